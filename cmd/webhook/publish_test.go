package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob"

	"github.com/helpsite/helpsite/internal/deploy"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/server"
)

// push returns the state of the server's pushes, from /readyz.
func (h *harness) push(t testing.TB) deploy.SyncStatus {
	t.Helper()
	_, body := h.get(t, "/readyz")
	var st server.Status
	json.Unmarshal([]byte(body), &st)
	if st.Push == nil {
		t.Fatalf("/readyz has no push status: %s", body)
	}
	return *st.Push
}

// With --publish-to the server pushes each publish to the bucket, a
// webhook edit pushes only what it changed, the purge hook gets the
// changed URLs, and with --serve-site=false the site is not served.
func TestWebhookPushesToTarget(t *testing.T) {
	var mu sync.Mutex
	var purged []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var urls []string
		json.NewDecoder(r.Body).Decode(&urls)
		mu.Lock()
		purged = append(purged, urls...)
		mu.Unlock()
	}))
	defer hook.Close()
	target := "file://" + filepath.ToSlash(t.TempDir()) + "?no_tmp_dir=true"
	data := t.TempDir()
	flags := []string{"--publish-to", target, "--serve-site=false", "--purge-url", hook.URL, "--base-url", "https://help.example.com/"}
	api := fakeintercom.New(fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 30, Locales: []string{"en", "fr"}, HelpCenters: 1, Seed: 5}), fakeintercom.Options{Window: time.Second})
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	api.SetBaseURL(apiSrv.URL)
	h := startServer(t, api, apiSrv.URL, data, flags...)
	h.waitFor(t, "the first push", func() bool { return !h.push(t).LastPush.IsZero() })
	if st := h.push(t); st.Failed || st.Uploaded < 100 {
		t.Fatalf("first push: %+v", st)
	}
	if s := h.status(t, "/en/"); s != http.StatusNotFound {
		t.Errorf("with --serve-site=false /en/ answered %d", s)
	}
	ctx := context.Background()
	b, err := blob.OpenBucket(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if ok, _ := b.Exists(ctx, "en/index.html"); !ok {
		t.Fatal("the bucket has no en/index.html")
	}

	first := h.push(t)
	before := first.Uploaded
	id := publishedArticle(h.api)
	retitle(h.api, t, id, "Reconcile payouts with your ledger")
	if s := h.send(t, "article.updated", id); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	page := "en/articles/" + id + "-reconcile-payouts-with-your-ledger/index.html"
	h.waitFor(t, "the retitled page in the bucket", func() bool {
		ok, _ := b.Exists(ctx, page)
		return ok && h.push(t).Uploaded > before && !h.push(t).Failed
	})
	h.waitFor(t, "the search index pushed", func() bool {
		data, _ := b.ReadAll(ctx, "search/search-en.js")
		return strings.Contains(string(data), "ledger")
	})
	if n := h.push(t).Uploaded - before; n > 60 {
		t.Errorf("a retitle uploaded %d objects", n)
	}
	// The pushes read only the files the edit wrote, not the whole site
	// each time.
	if n := h.push(t).Hashed - first.Hashed; n > first.Hashed/2 {
		t.Errorf("the first push hashed %d files, the pushes of a retitle %d", first.Hashed, n)
	}
	want := "https://help.example.com/" + strings.TrimSuffix(page, "index.html")
	h.waitFor(t, "the purge of "+want, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return slices.Contains(purged, want)
	})
	mu.Lock()
	for _, u := range purged {
		if !strings.HasPrefix(u, "https://help.example.com/") {
			t.Errorf("purged %s", u)
		}
	}
	if len(purged) > 60 {
		t.Errorf("purged %d URLs %q, want a few", len(purged), purged)
	}
	mu.Unlock()

	// A restart re-syncs the target from its manifest: nothing to upload.
	h.stop()
	h = startServer(t, api, apiSrv.URL, data, flags...)
	h.waitFor(t, "the push after the restart", func() bool { return !h.push(t).LastPush.IsZero() })
	if st := h.push(t); st.Failed || st.Uploaded != 0 || st.Deleted != 0 {
		t.Errorf("the push after a restart: %+v, want nothing to do", st)
	}
}
