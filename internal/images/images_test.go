package images

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func encode(t *testing.T, format string, w, h int) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.Black})
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webp1x1 is a 1×1 lossless WebP image.
var webp1x1, _ = base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")

// cdn is a fake image CDN that counts requests by path and answers with
// the responses queued for a path, then with its image.
type cdn struct {
	*httptest.Server
	mu                    sync.Mutex
	requests              map[string]int
	images                map[string][]byte // by path
	types                 map[string]string // Content-Type by path, if not image/png
	failures              map[string][]int  // status codes to answer first, by path
	inFlight, maxInFlight int
}

func newCDN(t *testing.T) *cdn {
	c := &cdn{requests: map[string]int{}, images: map[string][]byte{}, types: map[string]string{}, failures: map[string][]int{}}
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

func (c *cdn) serve(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests[r.URL.Path]++
	c.inFlight++
	c.maxInFlight = max(c.maxInFlight, c.inFlight)
	var status int
	if f := c.failures[r.URL.Path]; len(f) > 0 {
		status, c.failures[r.URL.Path] = f[0], f[1:]
	}
	data, ok := c.images[r.URL.Path]
	typ := c.types[r.URL.Path]
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}()

	switch {
	case status == -1: // a response cut short
		w.Header().Set("Content-Length", strconv.Itoa(len(data)+100))
		w.Write(data)
		return
	case status != 0:
		http.Error(w, "<Error><Code>AccessDenied</Code></Error>", status)
		return
	case !ok:
		http.NotFound(w, r)
		return
	}
	if typ == "" {
		typ = "image/png"
	}
	w.Header().Set("Content-Type", typ)
	w.Write(data)
}

func (c *cdn) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests[path]
}

func (c *cdn) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.requests {
		n += v
	}
	return n
}

// newStore returns a Store that may download from the test servers, on
// loopback, as from the configured API.
func newStore(dir string, servers ...*httptest.Server) *Store {
	return &Store{Dir: dir, Backoff: 1, Concurrency: 3, Policy: Policy{Endpoints: endpoints(servers...)}}
}

// endpoints are the host:port pairs of test servers.
func endpoints(servers ...*httptest.Server) []string {
	var hosts []string
	for _, srv := range servers {
		hosts = append(hosts, srv.Listener.Addr().String())
	}
	return hosts
}

func mustFetch(t *testing.T, s *Store, urls ...string) map[string]Image {
	t.Helper()
	got, errs := s.Fetch(context.Background(), urls)
	if errs != nil {
		t.Fatalf("Fetch: %v", errs)
	}
	return got
}

var namePattern = regexp.MustCompile(`^[0-9a-f]{16}\.[a-z]+$`)

func TestFetchCachesAcrossBuilds(t *testing.T) {
	c := newCDN(t)
	c.images["/i/o/1/a.png"] = encode(t, "png", 120, 80)
	c.images["/i/o/1/b.jpg"] = encode(t, "jpeg", 30, 20)
	c.types["/i/o/1/b.jpg"] = "image/jpeg"
	c.images["/i/o/1/c.gif"] = encode(t, "gif", 5, 6)
	c.images["/i/o/1/d.webp"] = webp1x1
	c.types["/i/o/1/d.webp"] = "application/octet-stream"
	urls := []string{
		c.URL + "/i/o/1/a.png?expires=1&signature=s1",
		c.URL + "/i/o/1/b.jpg?expires=1&signature=s2",
		c.URL + "/i/o/1/c.gif",
		c.URL + "/i/o/1/d.webp",
	}
	dir := t.TempDir()
	got := mustFetch(t, newStore(dir, c.Server), urls...)
	want := []struct {
		typ, ext string
		w, h     int
	}{{"image/png", ".png", 120, 80}, {"image/jpeg", ".jpg", 30, 20}, {"image/gif", ".gif", 5, 6}, {"image/webp", ".webp", 1, 1}}
	for i, u := range urls {
		img := got[u]
		if img.Type != want[i].typ || img.Width != want[i].w || img.Height != want[i].h ||
			!namePattern.MatchString(img.Name) || !strings.HasSuffix(img.Name, want[i].ext) {
			t.Errorf("%s: got %+v, want %+v", u, img, want[i])
		}
		data, err := os.ReadFile(newStore(dir, c.Server).Path(img))
		if err != nil || int64(len(data)) != img.Size {
			t.Errorf("%s: cached file: %d bytes, %v; want %d", u, len(data), err, img.Size)
		}
	}
	if n := c.total(); n != len(urls) {
		t.Errorf("first build made %d requests, want %d", n, len(urls))
	}

	// The next build, with new signatures: no request at all.
	next := make([]string, len(urls))
	for i, u := range urls {
		next[i] = strings.Replace(u, "signature=", "signature=new", 1)
	}
	again := mustFetch(t, newStore(dir, c.Server), next...)
	if n := c.total(); n != len(urls) {
		t.Errorf("second build made %d requests, want none", n-len(urls))
	}
	for i := range urls {
		if again[next[i]] != got[urls[i]] {
			t.Errorf("%s: second build got %+v, want %+v", next[i], again[next[i]], got[urls[i]])
		}
	}
}

func TestFetchSameImageOnce(t *testing.T) {
	c := newCDN(t)
	c.images["/a.png"] = encode(t, "png", 2, 2)
	c.images["/b.png"] = c.images["/a.png"]
	a1 := c.URL + "/a.png?expires=1&signature=x"
	a2 := c.URL + "/a.png?expires=2&signature=y"
	b := c.URL + "/b.png"
	got := mustFetch(t, newStore(t.TempDir(), c.Server), a1, a2, a1, b)
	if c.count("/a.png") != 1 {
		t.Errorf("%d requests for /a.png, want 1", c.count("/a.png"))
	}
	if len(got) != 3 || got[a1] != got[a2] || got[a1].Name != got[b].Name || got[a1].Source == got[b].Source {
		t.Errorf("got %+v", got)
	}
}

func TestFetchTriesEachSignature(t *testing.T) {
	c := newCDN(t)
	c.images["/a.png"] = encode(t, "png", 2, 2)
	c.failures["/a.png"] = []int{http.StatusForbidden}
	expired := c.URL + "/a.png?expires=1&signature=old"
	fresh := c.URL + "/a.png?expires=2&signature=new"
	got, errs := newStore(t.TempDir(), c.Server).Fetch(context.Background(), []string{expired, fresh})
	if errs != nil || got[expired].Name == "" || got[fresh] != got[expired] {
		t.Errorf("got %+v, %v", got, errs)
	}
}

func TestFetchRetries(t *testing.T) {
	tests := []struct {
		name     string
		failures []int
		retries  int
		requests int
		ok       bool
	}{
		{"500 then 200", []int{500}, 0, 2, true},
		{"503, 502, 429, 408 then 200", []int{503, 502, 429, 408}, 4, 5, true},
		{"truncated then 200", []int{-1}, 0, 2, true},
		{"always 500", []int{500, 500, 500, 500, 500}, 0, 1 + DefaultRetries, false},
		{"retries off", []int{500}, -1, 1, false},
		{"403 expired signature", []int{403}, 0, 1, false},
		{"404", []int{404}, 0, 1, false},
	}
	for _, tt := range tests {
		c := newCDN(t)
		c.images["/a.png"] = encode(t, "png", 2, 2)
		c.failures["/a.png"] = tt.failures
		s := newStore(t.TempDir(), c.Server)
		s.Retries = tt.retries
		u := c.URL + "/a.png?expires=1&signature=secret"
		got, errs := s.Fetch(context.Background(), []string{u})
		if n := c.count("/a.png"); n != tt.requests {
			t.Errorf("%s: %d requests, want %d", tt.name, n, tt.requests)
		}
		if _, ok := got[u]; ok != tt.ok || (len(errs) == 0) != tt.ok {
			t.Errorf("%s: got %+v, %v; want ok=%v", tt.name, got, errs, tt.ok)
		}
		for _, err := range errs {
			var e *Error
			if !errors.As(err, &e) || e.URL != u || strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: error %q: want an *Error for %s without the signature", tt.name, err, u)
			}
		}
	}
}

func TestFetchRefuses(t *testing.T) {
	c := newCDN(t)
	c.images["/page.html"] = []byte("<!DOCTYPE html><html><body>Sign in</body></html>")
	c.types["/page.html"] = "text/html; charset=utf-8"
	c.images["/fake.png"] = []byte("this is not a PNG")
	c.images["/big.png"] = append(encode(t, "png", 2, 2), make([]byte, 2000)...)
	c.images["/drawing.svg"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>`)
	c.types["/drawing.svg"] = "image/svg+xml"
	s := newStore(t.TempDir(), c.Server)
	s.MaxBytes = 1000
	urls := []string{
		c.URL + "/page.html", c.URL + "/fake.png", c.URL + "/big.png", c.URL + "/drawing.svg",
		"ftp://example.com/a.png", "data:image/png;base64,iVBORw0KGgo=", "/relative.png", "https://%zz",
	}
	got, errs := s.Fetch(context.Background(), urls)
	if len(got) != 0 || len(errs) != len(urls) {
		t.Fatalf("got %+v, %d errors %v; want %d errors", got, len(errs), errs, len(urls))
	}
	for _, p := range []string{"/page.html", "/fake.png", "/big.png", "/drawing.svg"} {
		if n := c.count(p); n != 1 {
			t.Errorf("%s: %d requests, want 1 (refused content is not retried)", p, n)
		}
	}
	for i, err := range errs {
		var e *Error
		if !errors.As(err, &e) || e.URL != urls[i] || !errors.Is(err, ErrRefused) {
			t.Errorf("error %d: %v is not a refusal (*Error, ErrRefused) for %s", i, err, urls[i])
		}
	}
}

func TestFetchLargeStreamedImage(t *testing.T) {
	big := append(encode(t, "png", 2, 2), make([]byte, 5000)...)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		for i := 0; i < len(big); i += 100 { // chunked, no Content-Length
			w.Write(big[i:min(i+100, len(big))])
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	s := newStore(t.TempDir(), srv)
	s.MaxBytes = 1000
	if _, errs := s.Fetch(context.Background(), []string{srv.URL + "/a.png"}); len(errs) != 1 || !strings.Contains(errs[0].Error(), "limit") {
		t.Errorf("errors %v, want the size limit", errs)
	}
}

func TestSVG(t *testing.T) {
	c := newCDN(t)
	c.images["/a.svg"] = []byte(`<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" width="120.4px" height="30"></svg>`)
	c.images["/b.svg"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640,480" width="100%"></svg>`)
	c.images["/c.svg"] = []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)
	for p := range c.images {
		c.types[p] = "image/svg+xml"
	}
	s := newStore(t.TempDir(), c.Server)
	s.AllowSVG = true
	got := mustFetch(t, s, c.URL+"/a.svg", c.URL+"/b.svg", c.URL+"/c.svg")
	for p, want := range map[string][2]int{"/a.svg": {120, 30}, "/b.svg": {640, 480}, "/c.svg": {0, 0}} {
		img := got[c.URL+p]
		if img.Type != svgType || !strings.HasSuffix(img.Name, ".svg") || img.Width != want[0] || img.Height != want[1] {
			t.Errorf("%s: got %+v, want %v", p, img, want)
		}
	}
}

func TestFetchConcurrency(t *testing.T) {
	c := newCDN(t)
	var urls []string
	for i := range 20 {
		p := "/" + strconv.Itoa(i) + ".png"
		c.images[p] = encode(t, "png", i+1, 1)
		urls = append(urls, c.URL+p)
	}
	s := newStore(t.TempDir(), c.Server)
	got := mustFetch(t, s, urls...)
	if len(got) != 20 || c.maxInFlight > s.Concurrency {
		t.Errorf("%d images, at most %d requests at once; want 20 and at most %d", len(got), c.maxInFlight, s.Concurrency)
	}
	for i, u := range urls {
		if got[u].Width != i+1 {
			t.Errorf("%s: width %d, want %d", u, got[u].Width, i+1)
		}
	}
}

func TestFetchCanceledWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	// Cancel when the store says it will wait an hour to retry.
	s := &Store{Dir: t.TempDir(), Backoff: time.Hour, Logger: slog.New(cancelOnRetry{cancel}), Policy: Policy{Endpoints: endpoints(srv)}}
	_, errs := s.Fetch(ctx, []string{srv.URL + "/a.png"})
	if len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("errors %v, want context.Canceled", errs)
	}
}

// cancelOnRetry is a log handler that cancels a context when a download is
// about to be retried.
type cancelOnRetry struct{ cancel context.CancelFunc }

func (h cancelOnRetry) Enabled(context.Context, slog.Level) bool { return true }
func (h cancelOnRetry) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h cancelOnRetry) WithGroup(string) slog.Handler            { return h }

func (h cancelOnRetry) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "retrying image download" {
		h.cancel()
	}
	return nil
}

func TestCorruptCacheRefetched(t *testing.T) {
	c := newCDN(t)
	c.images["/a.png"] = encode(t, "png", 3, 3)
	dir := t.TempDir()
	u := c.URL + "/a.png"
	img := mustFetch(t, newStore(dir, c.Server), u)[u]
	s := newStore(dir, c.Server)
	if err := os.Remove(s.Path(img)); err != nil {
		t.Fatal(err)
	}
	if again := mustFetch(t, s, u)[u]; again != img || c.count("/a.png") != 2 {
		t.Errorf("after losing the bytes: %+v with %d requests, want %+v with 2", again, c.count("/a.png"), img)
	}
	key := filepath.Base(s.Path(img))
	if err := os.WriteFile(filepath.Join(dir, key[:2], key+".json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A Store trusts the metadata it read while the bytes are there: a
	// new one (a restart) reads the corrupt file.
	if again := mustFetch(t, newStore(dir, c.Server), u)[u]; again != img || c.count("/a.png") != 3 {
		t.Errorf("after corrupt metadata: %+v with %d requests, want %+v with 3", again, c.count("/a.png"), img)
	}
}

// Progress counts images, not URLs, whether they are fetched or fail.
func TestFetchProgress(t *testing.T) {
	c := newCDN(t)
	c.images["/a.png"] = encode(t, "png", 2, 2)
	c.images["/b.png"] = encode(t, "png", 3, 3)
	s := newStore(t.TempDir())
	s.Retries = -1
	var mu sync.Mutex
	var counts []int
	s.Progress = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 3 {
			t.Errorf("total %d, want 3 images", total)
		}
		counts = append(counts, done)
	}
	s.Fetch(context.Background(), []string{c.URL + "/a.png?s=1", c.URL + "/a.png?s=2", c.URL + "/b.png", c.URL + "/missing.png"})
	slices.Sort(counts)
	if !slices.Equal(counts, []int{0, 1, 2, 3}) {
		t.Errorf("progress %v", counts)
	}
}

// A Store remembers what it read of the cache: the next Fetch of the same
// image reads no metadata (here, gone) and downloads nothing.
func TestStoreRemembersCachedImages(t *testing.T) {
	c := newCDN(t)
	c.images["/a.png"] = encode(t, "png", 3, 3)
	s := newStore(t.TempDir(), c.Server)
	u := c.URL + "/a.png"
	img := mustFetch(t, s, u)[u]
	if err := os.Remove(s.Path(img) + ".json"); err != nil {
		t.Fatal(err)
	}
	if again := mustFetch(t, s, u)[u]; again != img || c.count("/a.png") != 1 {
		t.Errorf("fetched again: %+v with %d requests, want %+v with 1", again, c.count("/a.png"), img)
	}
}
