package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// A redirectPage sends a browser from other URLs of an article or a
// collection (its bare id, former slugs) to its page, or, once it is no
// longer published, to its collection. render writes these itself, not as
// Hugo aliases, so that an Update writes those of the pages it changed
// and no others. The redirect files (_redirects,
// redirects.map) list the same redirects for servers.
type redirectPage struct {
	source string // the page's content file, whose change rewrites the pages
	// retired says the page's article is no longer published: no content
	// file shows where its pages lead (its collection, which a move or a
	// rename changes), so an Update compares them with the live site's.
	retired bool
	dirs    []string
	// paths are the dirs as redirects list them (parseRedirectPath).
	paths []redirectPath
	page  redirectData
}

// redirectData is what a redirect page shows. URL is root-relative, so
// that the page works wherever the site is served (another port, another
// host); Canonical is built from the configured base URL. The page names
// an empty icon, or a browser would ask for /favicon.ico, which a plain
// static host answers with a 404 in its console.
type redirectData struct {
	Locale, Title, URL, Canonical string
	// Policy is the Content-Security-Policy of the page, as every page has.
	Policy string
}

var redirectTemplate = template.Must(template.New("redirect").Parse(`<!DOCTYPE html>
<html lang="{{ .Locale }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ .Policy }}">
<title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Canonical }}">
<link rel="icon" href="data:,">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={{ .URL }}">
</head>
<body><a href="{{ .URL }}">{{ .Title }}</a></body>
</html>
`))

// addRedirectPages records the pages at aliases (root-relative URLs, like
// "/en/articles/1/") that redirect to url, written from the content file
// source, and returns them.
func (b *build) addRedirectPages(source, locale, title, url string, aliases []string) redirectPage {
	return b.addRedirects(redirectPage{source: source}, locale, title, url, aliases)
}

// addRedirects records the pages of rp (its source and whether it is
// retired) at aliases, as addRedirectPages.
func (b *build) addRedirects(rp redirectPage, locale, title, url string, aliases []string) redirectPage {
	if len(aliases) == 0 {
		return redirectPage{}
	}
	rp.page = redirectData{Locale: locale, Title: title, URL: url, Canonical: b.absURL(url), Policy: b.metaPolicy()}
	for _, a := range aliases {
		dir := strings.Trim(a, "/")
		rp.dirs = append(rp.dirs, dir)
		rp.paths = append(rp.paths, parseRedirectPath("/"+dir+"/"))
	}
	b.addRedirectPage(rp)
	return rp
}

// addRedirectPage records rp, if it has pages.
func (b *build) addRedirectPage(rp redirectPage) {
	b.outputsMu.Lock()
	defer b.outputsMu.Unlock()
	b.out.addRedirectPage(rp)
}

// addRedirectPage is build.addRedirectPage, the build's outputsMu held.
func (o *siteOutputs) addRedirectPage(rp redirectPage) {
	if len(rp.dirs) == 0 {
		return
	}
	o.addDirs(isArticleRedirectPage(rp), rp.dirs...)
	o.redirectPages = append(o.redirectPages, rp)
}

// writeRedirectPages writes the redirect pages: all of them, or in a
// partial Update those whose content file changed.
func (b *build) writeRedirectPages() error {
	changed := b.changedFiles()
	for _, rp := range b.out.redirectPages {
		if b.live != "" && !changed[rp.source] && !rp.retired {
			continue
		}
		var buf bytes.Buffer
		if err := redirectTemplate.Execute(&buf, rp.page); err != nil {
			return fmt.Errorf("render: redirect page: %w", err)
		}
		for _, dir := range rp.dirs {
			if err := b.writeChanged(dir+"/index.html", buf.Bytes()); err != nil {
				return err
			}
		}
	}
	return nil
}

// changedFiles are the files of the Hugo project, relative to it, that
// this build changed.
func (b *build) changedFiles() map[string]bool {
	changed := map[string]bool{}
	for _, c := range b.tree.changes {
		changed[c.name] = true
	}
	return changed
}
