package deploy

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/helpsite/helpsite/internal/purge"
)

// After each push the purge hook receives exactly the URLs that changed:
// none for the first push (no CDN has the site yet), then the pages of
// the changed and removed files.
func TestSyncerPurgesChangedURLs(t *testing.T) {
	var mu sync.Mutex
	var got [][]string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var urls []string
		if err := json.NewDecoder(r.Body).Decode(&urls); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, urls)
		mu.Unlock()
	}))
	defer hook.Close()
	tg, _ := fileTarget(t, Options{})
	s := NewSyncer(tg, "https://help.example.com/", &purge.Webhook{URL: hook.URL}, tg.opts.Logger)
	site := t.TempDir()
	writeSite(t, site, testSite())
	ctx := context.Background()
	if err := s.Push(ctx, site); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("the first push purged %v", got)
	}
	writeSite(t, site, map[string]string{"en/articles/1-refunds/index.html": "<html>refunds, edited</html>", "sitemap.xml": "<urlset>2</urlset>"})
	os.Remove(filepath.Join(site, "images", "logo.png"))
	if err := s.Push(ctx, site); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://help.example.com/en/articles/1-refunds/",
		"https://help.example.com/images/logo.png",
		"https://help.example.com/sitemap.xml",
	}
	if len(got) != 1 || !slices.Equal(got[0], want) {
		t.Errorf("the hook received %q, want %q", got, want)
	}
	if st := s.Status(); st.Failed || st.Purged != 3 || st.LastPush.IsZero() {
		t.Errorf("status %+v", st)
	}

	// A hook that fails leaves the push failed, and the URLs are purged
	// with the next push.
	hook.Close()
	writeSite(t, site, map[string]string{"index.html": "<html>home 3</html>"})
	if err := s.Push(ctx, site); err == nil || !s.Status().Failed {
		t.Fatalf("a push whose purge failed: %v, %+v", err, s.Status())
	}
	if !slices.Equal(s.unpurged, []string{"index.html"}) {
		t.Errorf("left to purge: %v", s.unpurged)
	}
}
