package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/browsertest"
)

// The demo articles that show every kind of content: 8102341 a video, a
// table, an image, a callout and code; 8104117 a code block; 8104960 a
// Loom video.
const (
	demoRichArticle = "8102341"
	demoCodeArticle = "8104117"
	demoLoomArticle = "8104960"
)

// TestCSPInBrowser opens every kind of page of the demo in headless
// Chromium, built for a plain static file server and as a bundle opened
// from file://, and checks that none breaks its Content-Security-Policy
// (nor has any other error), and that the policy is enforced on each.
func TestCSPInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	t.Run("static host", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "site")
		// The server's address is known before the build, so that
		// redirect pages lead to it.
		srv := httptest.NewUnstartedServer(http.FileServer(http.Dir(out)))
		base := "http://" + srv.Listener.Addr().String()
		// Colours make a stylesheet of their own.
		config := filepath.Join(t.TempDir(), "helpsite.yaml")
		if err := os.WriteFile(config, []byte("site:\n  colors: {primary: \"#1d4ed8\", accent: \"#f59e0b\"}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, stdout, errOut := sitegen(t, "build", "--demo", "--config", config, "--out", out, "--base-url", base+"/"); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, errOut)
		}
		srv.Start()
		defer srv.Close()
		b := browsertest.New(t, browsertest.StubHosts(articlehtml.VideoEmbeds()...))
		for url, ready := range map[string]string{
			"/":                                   "footer", // Hugo's redirect to /en/
			"/en/":                                ".cards",
			pageURL(t, out, "en/collections/*-*"): ".article-list",
			pageURL(t, out, "en/articles/"+demoRichArticle+"-*"): ".article-body .video .video-play",
			pageURL(t, out, "en/articles/"+demoCodeArticle+"-*"): ".article-body pre",
			pageURL(t, out, "ar/articles/"+demoRichArticle+"-*"): ".article-body table",
			"/en/articles/" + demoRichArticle + "/":              "article h1", // a redirect page
			"/en/search/?q=password":                             `#search-results[data-query="password"] .search-title`,
			"/en/404.html":                                       ".not-found",
		} {
			browsertest.VisitClean(t, b, base+url, ready)
		}
		// A video is a facade until clicked: then the player's frame,
		// which the policy allows, with the title the facade shows.
		video := b.NewPage(t)
		video.Navigate(base + pageURL(t, out, "en/articles/"+demoLoomArticle+"-*"))
		var frames int
		video.Eval(`document.querySelectorAll("iframe").length`, &frames)
		if frames != 0 {
			t.Errorf("the video article has %d frames before a click, want none", frames)
		}
		name := video.Text(".video-play .video-title")
		video.Click(".video-play")
		video.WaitVisible(".video iframe")
		if got := video.Attr(".video iframe", "title"); got != name {
			t.Errorf("the video's frame is titled %q, want the facade's %q", got, name)
		}
		if src := video.Attr(".video iframe", "src"); !strings.HasPrefix(src, "https://www.loom.com/embed/") {
			t.Errorf("the demo's Loom video loaded %q", src)
		}
		video.NoErrors(t)
		browsertest.EnforcesCSP(t, video)

		p := b.NewPage(t)
		p.Navigate(base + "/en/")
		title := p.Text(".cards .card-title a")
		p.Type("#search-home", "password")
		p.WaitVisible(`#search-home-listbox[data-query="password"] .search-title`)
		var primary string
		p.Eval(`getComputedStyle(document.documentElement).getPropertyValue("--primary").trim()`, &primary)
		if primary != "#1d4ed8" {
			t.Errorf("the primary colour is %q, want the configured #1d4ed8", primary)
		}
		p.NoErrors(t)
		browsertest.EnforcesCSP(t, p)
		if title == "" {
			t.Error("the home page lists no collection")
		}
	})

	t.Run("bundle", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "bundle")
		runBundleCmd(t, "--demo", "--out", dir)
		root := "file://" + filepath.ToSlash(dir) + "/"
		b := browsertest.New(t, browsertest.Offline())
		for url, ready := range map[string]string{
			"index.html":    ".locales",
			"en/index.html": ".cards",
			strings.TrimPrefix(pageURL(t, dir, "en/collections/*"), "/") + "index.html":                  ".article-list",
			strings.TrimPrefix(pageURL(t, dir, "en/articles/"+demoRichArticle+"-*"), "/") + "index.html": ".article-body .video-link",
			strings.TrimPrefix(pageURL(t, dir, "en/print/*"), "/") + "index.html":                        ".print-article",
			"en/search/index.html?q=password":                                                            `#search-results[data-query="password"] .search-title`,
		} {
			browsertest.VisitClean(t, b, root+url, ready)
		}
		p := b.NewPage(t)
		p.Navigate(root + "en/index.html")
		p.Type("#search-home", "password")
		p.WaitVisible(`#search-home-listbox[data-query="password"] .search-title`)
		p.NoErrors(t)
		browsertest.EnforcesCSP(t, p)
	})
}

// pageURL returns the root-relative URL of the first page directory of the
// built site dir that matches pattern.
func pageURL(t *testing.T, dir, pattern string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern), "index.html"))
	if err != nil || len(matches) == 0 {
		t.Fatalf("no page %s in %s (%v)", pattern, dir, err)
	}
	rel, err := filepath.Rel(dir, filepath.Dir(matches[0]))
	if err != nil {
		t.Fatal(err)
	}
	return "/" + filepath.ToSlash(rel) + "/"
}
