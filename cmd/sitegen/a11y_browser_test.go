package main

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/browsertest"
)

// a11yPage is a page of the built demo to check, and the element that
// shows it is ready.
type a11yPage struct{ path, ready string }

// a11yPages returns every kind of page of the demo built into out, in a
// left-to-right locale and in Arabic: home, collection, the article with
// video, table, image and callout, the article with code, the results
// page and the 404 page.
func a11yPages(t *testing.T, out string) []a11yPage {
	t.Helper()
	var pages []a11yPage
	for _, l := range []string{"en", "ar"} {
		pages = append(pages,
			a11yPage{"/" + l + "/", ".cards"},
			a11yPage{pageURL(t, out, l+"/collections/*"), ".article-list"},
			a11yPage{pageURL(t, out, l+"/articles/"+demoRichArticle+"-*"), ".article-body .video"},
			a11yPage{pageURL(t, out, l+"/articles/"+demoCodeArticle+"-*"), ".article-body pre"},
			a11yPage{"/" + l + "/search/?q=" + url.QueryEscape(a11yQueries[l]), "#search-results[data-query] .search-title"},
			a11yPage{"/" + l + "/404.html", ".not-found"},
		)
	}
	return pages
}

// a11yQueries are words that find articles of the demo in each locale
// the accessibility tests check.
var a11yQueries = map[string]string{"en": "password", "ar": "كلمة"}

// a11yViewports are the widths checked: the narrowest WCAG's reflow asks
// for, and a desktop.
var a11yViewports = []struct{ width, height int }{{320, 640}, {1280, 800}}

// TestAccessibility runs axe-core's WCAG 2.2 A and AA rules on every kind
// of page of the demo, served by a plain file server and as a bundle from
// file:// (its printable collection pages), and on an article with the
// header's search combobox showing its suggestions, in light and dark
// mode, left to right and right to left, 320 and 1280 pixels wide, and
// fails on any violation. In that open state it also checks that the
// combobox follows the ARIA Authoring Practices (its options are not
// links, ArrowDown makes the first one the active, selected option) and
// that Escape closes it.
func TestAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	axe := browsertest.AxeSource(t)
	out, srv := serveDemo(t)
	var urls []a11yPage
	for _, p := range a11yPages(t, out) {
		urls = append(urls, a11yPage{srv.URL + escapeURL(p.path), p.ready})
	}
	dir := filepath.Join(t.TempDir(), "bundle")
	runBundleCmd(t, "--demo", "--out", dir)
	for _, l := range []string{"en", "ar"} {
		urls = append(urls, a11yPage{"file://" + filepath.ToSlash(dir) + pageURL(t, dir, l+"/print/*") + "index.html", ".print-article"})
	}

	b := browsertest.New(t, browsertest.StubHosts(articlehtml.VideoEmbeds()...))
	for _, scheme := range []string{"light", "dark"} {
		for _, vp := range a11yViewports {
			t.Run(fmt.Sprintf("%s %dpx", scheme, vp.width), func(t *testing.T) {
				p := b.NewPage(t)
				p.Emulate(vp.width, vp.height, scheme)
				for _, u := range urls {
					p.Navigate(u.path)
					p.WaitVisible(u.ready)
					for _, v := range p.Axe(axe, browsertest.WCAG22AA...) {
						t.Errorf("%s: %s", u.path, v)
					}
				}
				for _, l := range []string{"en", "ar"} {
					p.Navigate(srv.URL + escapeURL(pageURL(t, out, l+"/articles/"+demoCodeArticle+"-*")))
					browsertest.OpenSuggestions(t, p, "#search-header", a11yQueries[l])
					for _, v := range p.Axe(axe, browsertest.WCAG22AA...) {
						t.Errorf("%s with the search suggestions open: %s", p.URL(), v)
					}
					browsertest.CloseWithEscape(t, p, "#search-header")
				}
			})
		}
	}
}

// TestReflow checks WCAG's reflow at 320 CSS pixels: no page of the demo,
// in English or Arabic, is wider than the viewport, so none scrolls
// sideways; and that the header stays short at 390 pixels.
func TestReflow(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	out, srv := serveDemo(t)
	var paths []string
	for _, l := range []string{"en", "ar"} {
		paths = append(paths, "/"+l+"/", "/"+l+"/search/?q=a", "/"+l+"/404.html")
		for _, kind := range []string{"articles", "collections"} {
			matches, err := filepath.Glob(filepath.Join(out, l, kind, "*", "index.html"))
			if err != nil || len(matches) == 0 {
				t.Fatalf("no %s in %s (%v)", kind, l, err)
			}
			for _, m := range matches {
				if !strings.Contains(filepath.Base(filepath.Dir(m)), "-") {
					continue // a bare id: a redirect page
				}
				rel, _ := filepath.Rel(out, filepath.Dir(m))
				paths = append(paths, "/"+filepath.ToSlash(rel)+"/")
			}
		}
	}
	b := browsertest.New(t, browsertest.StubHosts(articlehtml.VideoEmbeds()...))
	p := b.NewPage(t)
	p.Emulate(320, 640, "light")
	for _, path := range paths {
		p.Navigate(srv.URL + escapeURL(path))
		p.WaitVisible("footer")
		var width struct{ Scroll, Viewport int }
		p.Eval(`({scroll: document.documentElement.scrollWidth, viewport: innerWidth})`, &width)
		if width.Scroll > width.Viewport {
			var wide []string
			p.Eval(`[...document.querySelectorAll("body *")].filter(e => {
				const r = e.getBoundingClientRect();
				return r.right > innerWidth + 1 || r.left < -1;
			}).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replace(/ /g, ".") : ""))`, &wide)
			t.Errorf("%s is %d px wide in a %d px viewport; too wide: %s", path, width.Scroll, width.Viewport, strings.Join(wide, ", "))
		}
	}

	// On a phone the header is two rows, the brand and its tools, then
	// the search box, and leaves the page most of the screen.
	p.Emulate(390, 844, "light")
	for _, l := range []string{"en", "ar"} {
		p.Navigate(srv.URL + escapeURL(pageURL(t, out, l+"/articles/"+demoRichArticle+"-*")))
		var height float64
		p.Eval(`document.querySelector(".site-header").getBoundingClientRect().height`, &height)
		if height > 120 {
			t.Errorf("%s: at 390 px the header is %.0f px tall, over 120", l, height)
		}
	}
}

// escapeURL escapes the path of a root-relative URL (Arabic slugs), and
// keeps its query.
func escapeURL(u string) string {
	path, query, ok := strings.Cut(u, "?")
	path = (&url.URL{Path: path}).EscapedPath()
	if ok {
		return path + "?" + query
	}
	return path
}

// TestThemeControls checks the theme's scripts in headless Chromium: the
// dark-mode toggle overrides the system's scheme and is remembered on the
// next page, and code blocks get a labelled copy button.
func TestThemeControls(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	out, srv := serveDemo(t)
	b := browsertest.New(t)
	p := b.NewPage(t)
	p.Emulate(1280, 800, "light")
	p.Navigate(srv.URL + "/en/")
	background := func() string {
		var bg string
		p.Eval(`getComputedStyle(document.body).backgroundColor`, &bg)
		return bg
	}
	light := background()
	if got := p.Attr(".theme-toggle", "aria-pressed"); got != "false" {
		t.Errorf("in light mode the toggle is pressed=%q", got)
	}
	p.Click(".theme-toggle")
	if got := p.Attr(".theme-toggle", "aria-pressed"); got != "true" {
		t.Errorf("after a click the toggle is pressed=%q", got)
	}
	dark := background()
	if dark == light {
		t.Errorf("the toggle left the background %s", dark)
	}
	p.Navigate(srv.URL + escapeURL(pageURL(t, out, "en/articles/"+demoCodeArticle+"-*")))
	if got := background(); got != dark {
		t.Errorf("on the next page the background is %s, want the chosen dark %s", got, dark)
	}
	if got := p.Text(".code-block .copy-code"); got != "Copy" {
		t.Errorf("the copy button says %q", got)
	}
	if got := p.Attr(".code-block pre", "aria-label"); got != "Code" {
		t.Errorf("the code block is named %q", got)
	}
	p.NoErrors(t)
}
