package render

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/images"
)

// expiringAPI serves a small generated help center from the fake API and
// lists it through the client while every image URL it gives is already
// expired, as when URLs expire between the listing and the download. It
// returns the site listed, the client (whose reads of an article give
// fresh URLs) and the image store the API's own host is allowed for.
func expiringAPI(t *testing.T) (*content.Site, *fetch.Client, func(dir string) *images.Store) {
	t.Helper()
	fake := fakeintercom.New(fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 20, Seed: 3}), fakeintercom.Options{})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	client, err := fetch.New(fetch.Config{BaseURL: srv.URL, Token: "test-token"})
	if err != nil {
		t.Fatal(err)
	}
	fake.SetFaults(fakeintercom.Faults{ExpiredListImages: true})
	site, _, err := client.Sync(context.Background(), nil, fetch.SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	store := func(dir string) *images.Store {
		return &images.Store{Dir: dir, Backoff: 1, Policy: images.Policy{Endpoints: []string{srv.Listener.Addr().String()}}}
	}
	return site, client, store
}

// imagePages returns the pages, by output path, of the published articles
// of site whose English body shows an image.
func imagePages(t *testing.T, site *content.Site) map[string]string {
	t.Helper()
	r, err := New(Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	plan, err := r.Plan(site)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for i := range site.Articles {
		a := &site.Articles[i]
		if tr, ok := a.Translations["en"]; ok && tr.Published() && strings.Contains(tr.Body, "<img") {
			if u := plan.ArticleURL(a, "en"); u != "" {
				pages[a.ID] = filepath.FromSlash(strings.TrimPrefix(u, "/")) + "/index.html"
			}
		}
	}
	if len(pages) == 0 {
		t.Fatal("the generated site shows no image on a published page")
	}
	return pages
}

// countingReader counts the articles read again.
type countingReader struct {
	ArticleReader
	n atomic.Int64
}

func (r *countingReader) Article(ctx context.Context, id string) (content.Article, error) {
	r.n.Add(1)
	return r.ArticleReader.Article(ctx, id)
}

var localImage = regexp.MustCompile(`<img src="/images/[0-9a-f]{16}\.png"`)

// TestExpiredImageURLsRefreshed checks that an image whose signed URL
// expired between the listing and the download still appears on its
// page: the article is read again for a fresh URL.
func TestExpiredImageURLsRefreshed(t *testing.T) {
	site, client, store := expiringAPI(t)
	pages := imagePages(t, site)
	cache := t.TempDir()
	out := filepath.Join(t.TempDir(), "site")
	reread := &countingReader{ArticleReader: client}
	res, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/", Images: store(cache), Reread: reread})
	if err != nil {
		t.Fatal(err)
	}
	if res.LostImages != 0 || res.Images == 0 || reread.n.Load() == 0 {
		t.Errorf("LostImages %d, Images %d, articles read again %d; want none lost, some read again", res.LostImages, res.Images, reread.n.Load())
	}
	for _, w := range res.Warnings {
		if w.Kind == WarnImage || w.Kind == WarnImageLost || w.Kind != WarnContent && strings.Contains(w.Message, "image") {
			t.Errorf("warning: %s", w)
		}
	}
	for id, page := range pages {
		html, err := os.ReadFile(filepath.Join(out, page))
		if err != nil || !localImage.Match(html) {
			t.Errorf("article %s: %s shows no local image (%v)", id, page, err)
		}
	}

	// From the snapshot alone, the expired URLs come from the cache.
	out2 := filepath.Join(t.TempDir(), "site")
	res, err = Build(context.Background(), site, out2, Options{BaseURL: "https://help.example.com/", Images: store(cache)})
	if err != nil {
		t.Fatal(err)
	}
	if res.LostImages != 0 {
		t.Errorf("from the cache: LostImages %d, want 0", res.LostImages)
	}
	for id, page := range pages {
		if html, err := os.ReadFile(filepath.Join(out2, page)); err != nil || !localImage.Match(html) {
			t.Errorf("from the cache: article %s: %s shows no local image (%v)", id, page, err)
		}
	}
}

// TestExpiredImageURLsLost checks that an image that cannot be fetched,
// with no API to read the article again and no cached copy, is reported
// as lost on every page that shows it, and counted.
func TestExpiredImageURLsLost(t *testing.T) {
	site, _, store := expiringAPI(t)
	pages := imagePages(t, site)
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/", Images: store(t.TempDir())})
	if err != nil {
		t.Fatal(err)
	}
	if res.LostImages == 0 {
		t.Error("LostImages = 0, want the expired images counted")
	}
	lost := map[string]bool{}
	for _, w := range res.Warnings {
		switch {
		case w.Kind == WarnImageLost && w.Locale == "en" && strings.Contains(w.Message, "expired"):
			lost[w.Article] = true
		case strings.Contains(w.Message, "image unavailable"):
			t.Errorf("warning that says less than the lost-image one: %s", w)
		}
	}
	for id, page := range pages {
		if !lost[id] {
			t.Errorf("article %s: no %s warning", id, WarnImageLost)
		}
		html, err := os.ReadFile(filepath.Join(out, page))
		if err != nil || strings.Contains(string(html), "<img") || strings.Contains(string(html), "/cdn/") {
			t.Errorf("article %s: %s still points at an image (%v)", id, page, err)
		}
	}
}

// TestRefusedImage checks that an image on a host nobody allowed is never
// requested, is warned about on its page with the reason, and leaves the
// page pointing nowhere.
func TestRefusedImage(t *testing.T) {
	var requests atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	defer other.Close()
	imageURL := other.URL + "/internal.png"
	out := filepath.Join(t.TempDir(), "site")
	res, err := Build(context.Background(), testSite(imageURL), out, Options{
		BaseURL: "https://help.example.com/",
		Images:  &images.Store{Dir: t.TempDir()},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the refused image was requested %d times", n)
	}
	var warned bool
	for _, w := range res.Warnings {
		if w.Kind == WarnImage && w.Article == "100" && strings.Contains(w.Message, imageURL) && strings.Contains(w.Message, "not an allowed image host") {
			warned = true
		}
	}
	if !warned || res.LostImages != 0 {
		t.Errorf("warnings %v, LostImages %d; want a %s warning on article 100 naming %s and why, none lost", res.Warnings, res.LostImages, WarnImage, imageURL)
	}
	html, err := os.ReadFile(filepath.Join(out, "en/articles/100-welcome/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(html), other.Listener.Addr().String()) || !strings.Contains(string(html), `<span class="image-missing">Dashboard</span>`) {
		t.Errorf("the page does not replace the refused image by its alt text")
	}
}
