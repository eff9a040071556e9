package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/browsertest"
)

// screenshotsEnv names the directory TestScreenshots writes to; unset,
// the test does nothing. The README's screenshots are made with
//
//	HELPSITE_SCREENSHOTS=$PWD/docs/screenshots go test ./cmd/sitegen -run TestScreenshots
const screenshotsEnv = "HELPSITE_SCREENSHOTS"

// TestScreenshots photographs the demo's home and its flagship article, 390 and 1280 pixels wide, in light and dark mode, as PNGs of
// the viewport named like home-390-light.png.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv(screenshotsEnv)
	if dir == "" {
		t.Skip(screenshotsEnv + " is not set")
	}
	out, srv := serveDemo(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pages := []struct{ name, path, ready string }{
		{"home", "/en/", ".cards"},
		{"article", pageURL(t, out, "en/articles/"+demoRichArticle+"-*"), ".article-body"},
	}
	b := browsertest.New(t, browsertest.StubHosts(articlehtml.VideoEmbeds()...))
	for _, scheme := range []string{"light", "dark"} {
		for _, vp := range []struct{ width, height int }{{390, 844}, {1280, 800}} {
			p := b.NewPage(t)
			p.Emulate(vp.width, vp.height, scheme)
			for _, pg := range pages {
				p.Navigate(srv.URL + pg.path)
				p.WaitVisible(pg.ready)
				p.ScreenshotViewport(filepath.Join(dir, fmt.Sprintf("%s-%d-%s.png", pg.name, vp.width, scheme)))
			}
		}
	}
}
