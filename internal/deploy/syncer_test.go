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
	"time"

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

// Changes notified while a push runs go together in the next: none is
// lost, and a change to another release makes it a push of all.
func TestPendingAdd(t *testing.T) {
	p := pending{}.add("r1", false, []string{"a"}, nil).add("r1", false, []string{"b"}, []string{"c"})
	if p.dir != "r1" || p.all || !slices.Equal(p.written, []string{"a", "b"}) || !slices.Equal(p.removed, []string{"c"}) {
		t.Errorf("two changes: %+v", p)
	}
	if q := p.add("r2", false, []string{"d"}, nil); q.dir != "r2" || !q.all {
		t.Errorf("a change to another release: %+v", q)
	}
	if q := p.add("r1", true, nil, nil).add("r1", false, []string{"d"}, nil); !q.all {
		t.Errorf("a change after a new release: %+v", q)
	}
}

// syncerOnSite returns a Syncer onto a file target (root, one attempt per
// push) and a site directory that holds testSite's files.
func syncerOnSite(t *testing.T) (s *Syncer, tg *Target, root, site string, files map[string]string) {
	t.Helper()
	tg, root = fileTarget(t, Options{Attempts: 1})
	s = NewSyncer(tg, "https://help.example.com/", nil, tg.opts.Logger)
	site, files = t.TempDir(), testSite()
	writeSite(t, site, files)
	return s, tg, root, site, files
}

// Run pushes notified files; after a failed push it re-syncs the whole
// site, so that a change the failed push did not name goes up too.
func TestSyncerRun(t *testing.T) {
	s, tg, root, site, files := syncerOnSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	defer func() { cancel(); <-done }()
	s.Notify(site)
	go func() { done <- s.Run(ctx) }()
	waitFor := func(what string, cond func(SyncStatus) bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond(s.Status()) {
			if time.Now().After(deadline) {
				t.Fatalf("gave up waiting for %s: %+v", what, s.Status())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	n := int64(len(files))
	waitFor("the first push", func(st SyncStatus) bool { return st.Uploaded == n && !st.LastPush.IsZero() })

	writeSite(t, site, map[string]string{"index.html": "<html>home 2</html>"})
	s.NotifyFiles(site, []string{"index.html"}, nil)
	writeSite(t, site, map[string]string{"sitemap.xml": "<urlset>2</urlset>"})
	s.NotifyFiles(site, []string{"sitemap.xml"}, nil)
	waitFor("the two changes", func(st SyncStatus) bool { return st.Uploaded == n+2 })

	// The store refuses _redirects (a directory is where it goes).
	blocked := filepath.Join(root, "_redirects")
	os.Remove(blocked)
	writeSite(t, blocked, map[string]string{"x": "x"})
	writeSite(t, site, map[string]string{"_redirects": "/a /b 301\n"})
	s.NotifyFiles(site, []string{"_redirects"}, nil)
	waitFor("the failed push", func(st SyncStatus) bool { return st.Failed })
	writeSite(t, site, map[string]string{"search/en.json": `{"docs":[1]}`}) // never notified
	os.RemoveAll(blocked)
	waitFor("the retry", func(st SyncStatus) bool { return !st.Failed })
	for key, want := range map[string]string{"_redirects": "/a /b 301\n", "search/en.json": `{"docs":[1]}`, "sitemap.xml": "<urlset>2</urlset>"} {
		if data, _ := tg.bucket.ReadAll(ctx, key); string(data) != want {
			t.Errorf("%s: %q, want %q", key, data, want)
		}
	}
}

// Run, stopped with a push notified but not yet made, makes it before it
// returns: a server's last change reaches the target as it shuts down.
func TestSyncerRunPushesWhatIsPendingWhenStopped(t *testing.T) {
	s, _, _, site, files := syncerOnSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.Notify(site)
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(); st.Uploaded != int64(len(files)) || st.LastPush.IsZero() {
		t.Errorf("stopped with a push pending, Run pushed %+v, want %d files", st, len(files))
	}
}
