package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// finishRelative makes the output Hugo wrote work from file://: a root
// page that lists the locales instead of Hugo's redirect, and every link in
// every page relative to the page and naming index.html.
func (b *build) finishRelative() error {
	if err := b.writeLocaleIndex(); err != nil {
		return err
	}
	return filepath.WalkDir(b.outDir, func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(file) != ".html" {
			return err
		}
		rel, err := filepath.Rel(b.outDir, file)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		out := relativizeLinks(data, path.Dir("/"+filepath.ToSlash(rel)), b.opts.BaseURL)
		if bytes.Equal(out, data) {
			return nil
		}
		if err := os.WriteFile(file, out, 0o644); err != nil {
			return fmt.Errorf("render: %w", err)
		}
		return nil
	})
}

// urlAttr matches the attributes that hold URLs in the theme's and the
// articles' HTML, always double-quoted. data-root holds the site's root,
// for scripts that resolve the URLs of the search index, and
// data-search-script the script that site.js loads.
var urlAttr = regexp.MustCompile(`\s(href|src|action|data-root|data-search-script)="([^"]*)"`)

// relativizeLinks rewrites the root-relative URLs (and absolute ones below
// baseURL) in the HTML of a page in directory dir (a slash path from the
// site's root) into URLs relative to dir that name index.html rather than
// a directory.
func relativizeLinks(html []byte, dir, baseURL string) []byte {
	return urlAttr.ReplaceAllFunc(html, func(m []byte) []byte {
		sub := urlAttr.FindSubmatch(m)
		attr, value := string(sub[1]), string(sub[2])
		if rest, ok := strings.CutPrefix(value, baseURL); ok && baseURL != "" {
			value = "/" + rest
		}
		if !strings.HasPrefix(value, "/") || strings.HasPrefix(value, "//") {
			return m
		}
		return fmt.Appendf(nil, ` %s="%s"`, attr, relativeURL(dir, value, attr == "data-root"))
	})
}

// relativeURL returns the root-relative URL target as seen from directory
// dir. A directory's URL names its index.html, unless asDir.
func relativeURL(dir, target string, asDir bool) string {
	p, suffix := target, ""
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, suffix = p[:i], p[i:]
	}
	isDir := strings.HasSuffix(p, "/")
	rel, err := filepath.Rel(filepath.FromSlash(dir), filepath.FromSlash(p))
	if err != nil {
		return target // both are absolute: cannot happen
	}
	rel = filepath.ToSlash(rel)
	switch {
	case isDir && asDir:
		rel += "/"
	case isDir && rel == ".":
		rel = "index.html"
	case isDir:
		rel += "/index.html"
	}
	return rel + suffix
}

// BundlePath turns a page's root-relative URL ("/en/articles/1-x/") into
// its path from the root of a Relative site ("en/articles/1-x/index.html"),
// as the search index of a bundle lists it.
func BundlePath(url string) string {
	if url == "" {
		return ""
	}
	return strings.TrimPrefix(relativeURL("/", url, false), "./")
}

// localeIndexCSS is the stylesheet of the root page of a Relative site, in
// a file of its own (localeIndexCSSName): the Content-Security-Policy allows
// no inline style.
const (
	localeIndexCSSName = "css/root.css"
	localeIndexCSS     = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}a{font-size:1.25rem}li{margin:.5rem 0}.version{color:#555}\n"
)

// localeIndex is the root page of a Relative site.
var localeIndex = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="{{ .Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}</title>
<meta http-equiv="Content-Security-Policy" content="{{ .Policy }}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="` + localeIndexCSSName + `">
</head>
<body>
<main>
<h1>{{ .Title }}</h1>
<ul class="locales">
{{- range .Locales }}
<li><a href="{{ .Href }}" hreflang="{{ .Locale }}" lang="{{ .Locale }}">{{ .Name }}</a></li>
{{- end }}
</ul>
{{- with .Version }}
<p class="version">Version {{ . }}</p>
{{- end }}
</main>
</body>
</html>
`))

// writeLocaleIndex writes the root index.html of a Relative site: a link
// to the home page of each locale, in its own language.
func (b *build) writeLocaleIndex() error {
	type locale struct{ Locale, Name, Href string }
	data := struct {
		Lang, Title, Version, Policy string
		Locales                      []locale
	}{Lang: b.plan.defaultLocale, Title: b.siteTitle(), Version: b.version(), Policy: b.metaPolicy()}
	for _, l := range b.plan.locales {
		data.Locales = append(data.Locales, locale{l, languageName(l), URLLocale(l) + "/index.html"})
	}
	var buf bytes.Buffer
	if err := localeIndex.Execute(&buf, data); err != nil {
		return fmt.Errorf("render: root page: %w", err)
	}
	if err := os.WriteFile(b.sitePath("index.html"), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := writeFile(b.sitePath(localeIndexCSSName), []byte(localeIndexCSS)); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// version is the time of the snapshot a Relative site shows on every
// page, or "" if unknown.
func (b *build) version() string {
	if t := b.site.SyncedAt; !t.IsZero() {
		return t.UTC().Format("2006-01-02 15:04 UTC")
	}
	return ""
}
