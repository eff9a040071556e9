package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/helpsite/helpsite/internal/csp"
)

// A redirectPage sends a browser from other URLs of an article (its bare
// id, former slugs) to the article. render writes these itself, not as Hugo
// aliases: Hugo renders aliases only in full builds, not in the partial
// rebuilds of an Update.
type redirectPage struct {
	source string // the article's content file, whose change rewrites the pages
	dirs   []string
	page   redirectData
}

type redirectData struct {
	Locale, Title, Permalink string
	// Policy is the Content-Security-Policy of the page, as every page has.
	Policy string
}

var redirectTemplate = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="{{ .Locale }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ .Policy }}">
<title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ .Permalink }}">
</head>
<body><a href="{{ .Permalink }}">{{ .Title }}</a></body>
</html>
`))

// addRedirectPages records the pages at aliases (paths below the locale,
// like "/articles/1/") that redirect to the article at url, written from the
// content file source.
func (b *build) addRedirectPages(source, locale, title, url string, aliases []string) {
	if len(aliases) == 0 {
		return
	}
	rp := redirectPage{
		source: source,
		page:   redirectData{Locale: locale, Title: title, Permalink: strings.TrimSuffix(b.opts.BaseURL, "/") + url, Policy: csp.Meta()},
	}
	for _, a := range aliases {
		rp.dirs = append(rp.dirs, URLLocale(locale)+strings.TrimSuffix(a, "/"))
	}
	b.addOutputDirs(rp.dirs...)
	b.outputsMu.Lock()
	b.redirectPages = append(b.redirectPages, rp)
	b.outputsMu.Unlock()
}

// writeRedirectPages writes the redirect pages: all of them, or in a
// partial Update those of the articles whose content changed.
func (b *build) writeRedirectPages() error {
	changed := map[string]bool{}
	for _, ev := range b.tree.changes {
		changed[strings.TrimPrefix(ev.Name, workDir+"/")] = true
	}
	for _, rp := range b.redirectPages {
		if b.live != "" && !changed[rp.source] {
			continue
		}
		var buf bytes.Buffer
		if err := redirectTemplate.Execute(&buf, rp.page); err != nil {
			return fmt.Errorf("render: redirect page: %w", err)
		}
		for _, dir := range rp.dirs {
			if err := writeFile(b.sitePath(dir, "index.html"), buf.Bytes()); err != nil {
				return fmt.Errorf("render: %w", err)
			}
		}
	}
	return nil
}
