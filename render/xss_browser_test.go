package render

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/helpsite/helpsite/internal/content"
)

// xssPayloads reads articlehtml's corpus of XSS payloads.
func xssPayloads(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "internal", "articlehtml", "testdata", "xss.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if q, ok := strings.CutPrefix(line, "quoted: "); ok {
			if line, err = strconv.Unquote(q); err != nil {
				t.Fatalf("corpus line %q: %v", q, err)
			}
		}
		out = append(out, line)
	}
	return out
}

// TestXSSCorpusInBrowser renders every payload of the corpus into real
// article pages, as markup, inside a callout, as a link's href and as an
// image's src, and loads each page in headless Chromium: no script may
// run (no dialog, no exception, no console error).
func TestXSSCorpusInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	payloads := xssPayloads(t)
	if len(payloads) < 100 {
		t.Fatalf("the corpus has %d payloads, want at least 100", len(payloads))
	}
	const perPage = 20
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	site := &content.Site{
		HelpCenters: []content.HelpCenter{{ID: "1", DisplayName: "XSS", WebsiteTurnedOn: true}},
		Collections: []content.Collection{{ID: "10", DefaultLocale: "en", Translations: map[string]content.GroupText{"en": {Name: "Payloads"}}}},
	}
	var pages []string
	for i := 0; i < len(payloads); i += perPage {
		var body strings.Builder
		for _, p := range payloads[i:min(i+perPage, len(payloads))] {
			attr := html.EscapeString(p)
			fmt.Fprintf(&body, `%s<p class="no-margin">Before %s after</p><div class="intercom-interblocks-callout" style="background-color: #feedaf80;">%s</div>`, p, p, p)
			fmt.Fprintf(&body, `<p class="no-margin"><a href="%s">link</a> <img src="%s"></p>`, attr, attr)
		}
		id := strconv.Itoa(1000 + i)
		site.Articles = append(site.Articles, content.Article{ID: id, ParentIDs: []string{"10"}, DefaultLocale: "en", Translations: map[string]content.Translation{
			"en": {Title: "Payloads " + id, Body: body.String(), State: content.Published, CreatedAt: at, UpdatedAt: at},
		}})
		pages = append(pages, "/en/articles/"+id+"-payloads-"+id+"/")
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/", Logger: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	ctx, take := newBrowser(t)

	// The watch sees a script that runs.
	if err := chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<img src=x onerror=alert(1)><footer></footer>`), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if p := take(); len(p) == 0 {
		t.Fatal("a page whose image handler opens a dialog went unnoticed")
	}
	for _, p := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		time.Sleep(200 * time.Millisecond) // let image error handlers and timers fire
		for _, problem := range take() {
			if strings.Contains(problem, "Failed to load resource") {
				continue // a payload's broken image or link target: no script
			}
			t.Errorf("%s: %s", p, problem)
		}
	}
	t.Logf("%d payloads in %d pages, each in five contexts", len(payloads), len(pages))
}
