package deploy

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/weedtest"
)

// recorder is a proxy in front of the store that records its requests.
type recorder struct {
	mu   sync.Mutex
	puts []recordedPut
	// onPut, if set, runs before each PUT is passed on.
	onPut func(n int)
}

type recordedPut struct {
	key    string
	header http.Header
}

func (r *recorder) reset() []recordedPut {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.puts
	r.puts = nil
	return p
}

// s3Target returns a Target through a recording proxy to w.
func s3Target(t *testing.T, w *weedtest.Server) (*Target, *recorder) {
	t.Helper()
	rec := &recorder{}
	backend, _ := url.Parse(w.Endpoint())
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // the store is killed on purpose
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPut {
			rec.mu.Lock()
			key := strings.TrimPrefix(req.URL.Path, "/"+weedtest.Bucket+"/")
			rec.puts = append(rec.puts, recordedPut{key, req.Header.Clone()})
			n, onPut := len(rec.puts), rec.onPut
			rec.mu.Unlock()
			if onPut != nil {
				onPut(n)
			}
		}
		proxy.ServeHTTP(rw, req)
	}))
	t.Cleanup(srv.Close)
	tg, err := Open(context.Background(), weedtest.TargetURL(srv.URL), Options{Attempts: 2, Backoff: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg, rec
}

// bigSite writes a site like render's: articles in locales, each with a
// redirect page, collection pages, assets, search indexes and sitemaps.
func bigSite(t *testing.T, dir string, articles int, title func(i int) string) map[string]string {
	t.Helper()
	files := map[string]string{
		"css/site.min.0123456789abcdef0123456789abcdef.css": "body{color:#333}",
		"js/site.min.fedcba9876543210fedcba9876543210.js":   "console.log(1)",
		"images/0123456789abcdef0123.webp":                  "RIFF....WEBP",
		"sitemap.xml":                                       "<sitemapindex/>",
		"_redirects":                                        "",
	}
	for _, l := range []string{"en", "fr", "de"} {
		home := "<html><h1>" + l + "</h1>"
		sm := "<urlset>"
		idx := "["
		for i := range articles {
			slug := fmt.Sprintf("%s/articles/%d-%s", l, 1000+i, strings.ReplaceAll(strings.ToLower(title(i)), " ", "-"))
			files[slug+"/index.html"] = "<html><title>" + title(i) + "</title><body>" + strings.Repeat("text ", 50) + "</body></html>"
			files[fmt.Sprintf("%s/articles/%d/index.html", l, 1000+i)] = strings.ReplaceAll(redirectPage, "/en/articles/1-refunds/", "/"+slug+"/")
			files["_redirects"] += fmt.Sprintf("/%s/articles/%d /%s/ 301\n", l, 1000+i, slug)
			home += `<a href="/` + slug + `/">` + title(i) + "</a>"
			sm += "<url><loc>/" + slug + "/</loc></url>"
			idx += `{"t":"` + title(i) + `"},`
		}
		files[l+"/index.html"] = home + "</html>"
		files[l+"/sitemap.xml"] = sm + "</urlset>"
		files["search/"+l+".json"] = idx + "{}]"
	}
	writeSite(t, dir, files)
	return files
}

func title(i int) string { return fmt.Sprintf("Article %d", i) }

// checkBucket asserts the bucket holds exactly files, with their types.
func checkBucket(t *testing.T, tg *Target, files map[string]string) {
	t.Helper()
	ctx := context.Background()
	if got, want := bucketKeys(t, tg.bucket), sortedKeys(files); !slices.Equal(got, want) {
		t.Fatalf("bucket has %d keys, the site %d; first differences: %v", len(got), len(want), diff(got, want))
	}
	for key, body := range files {
		data, err := tg.bucket.ReadAll(ctx, key)
		if err != nil || string(data) != body {
			t.Fatalf("%s: %d bytes, %v; want the site's %d", key, len(data), err, len(body))
		}
		a, err := tg.bucket.Attributes(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentType != contentType(key) || a.CacheControl != tg.opts.Cache.cacheControl(key) {
			t.Fatalf("%s: Content-Type %q, Cache-Control %q", key, a.ContentType, a.CacheControl)
		}
	}
}

func diff(a, b []string) []string {
	var d []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			d = append(d, "+"+x)
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			d = append(d, "-"+x)
		}
	}
	return d[:min(len(d), 10)]
}

func TestS3Publish(t *testing.T) {
	w := weedtest.Start(t)
	tg, rec := s3Target(t, w)
	ctx := context.Background()
	site := t.TempDir()
	files := bigSite(t, site, 100, title)

	if _, err := tg.Publish(ctx, site); err != nil {
		t.Fatal(err)
	}
	checkBucket(t, tg, files)
	puts := rec.reset()
	if len(puts) != len(files)+1 {
		t.Errorf("%d PUTs for %d files and the manifest", len(puts), len(files))
	}
	// Order: no page before an asset, no index before a page, the manifest last.
	last := phaseAssets
	for _, p := range puts[:len(puts)-1] {
		ph := classify(p.key, true)
		if ph < last {
			t.Fatalf("%s (%v) uploaded after a file of phase %v", p.key, ph, last)
		}
		last = ph
	}
	if puts[len(puts)-1].key != ManifestKey {
		t.Errorf("the last PUT is %s, not the manifest", puts[len(puts)-1].key)
	}
	// Redirect pages carry S3's website redirect.
	seen := false
	for _, p := range puts {
		if p.key == "en/articles/1007/index.html" {
			seen = true
			if got := p.header.Get("X-Amz-Website-Redirect-Location"); got != "/en/articles/1007-article-7/" {
				t.Errorf("redirect page sent with x-amz-website-redirect-location %q", got)
			}
		}
		if p.key == "en/articles/1007-article-7/index.html" && p.header.Get("X-Amz-Website-Redirect-Location") != "" {
			t.Error("an article carries a website redirect")
		}
	}
	if !seen {
		t.Error("the redirect page en/articles/1007/index.html was not uploaded")
	}

	// One article retitled: its page moves, its redirect page changes, and
	// so do the locale's home, sitemap, search index and _redirects.
	os.RemoveAll(site)
	retitled := func(i int) string {
		if i == 7 {
			return "Refunds explained"
		}
		return title(i)
	}
	files = bigSite(t, site, 100, retitled)
	rep, err := tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	puts = rec.reset()
	// 3 locales × (new page, redirect page, home, sitemap, search index),
	// _redirects and the manifest.
	if len(puts) != 3*5+2 || len(rep.Uploaded) != 3*5+1 {
		t.Errorf("a retitle PUT %d objects (%v)", len(puts), rep.Uploaded)
	}
	if len(rep.Deleted) != 3 || !strings.Contains(rep.Deleted[0], "1007-article-7") {
		t.Errorf("deleted %v, want the retitled article's old pages", rep.Deleted)
	}
	checkBucket(t, tg, files)

	// The same retitle of another article, told which files changed as
	// the webhook server is: the same PUTs, and only those files read.
	before := files
	files = bigSite(t, site, 100, func(i int) string {
		if i == 9 {
			return "Payouts explained"
		}
		return retitled(i)
	})
	var written, removed []string
	for k, body := range files {
		if b, ok := before[k]; !ok || b != body {
			written = append(written, k)
		}
	}
	for k := range before {
		if _, ok := files[k]; !ok {
			removed = append(removed, k)
		}
	}
	for _, k := range removed {
		os.Remove(filepath.Join(site, filepath.FromSlash(k)))
	}
	rep, err = tg.PublishFiles(ctx, site, written, removed)
	if err != nil {
		t.Fatal(err)
	}
	if puts := rec.reset(); len(puts) != 3*5+2 || rep.Hashed != 3*5+1 || len(rep.Deleted) != 3 {
		t.Errorf("an incremental retitle: %d PUTs, %d files hashed, %d deleted", len(puts), rep.Hashed, len(rep.Deleted))
	}
	checkBucket(t, tg, files)
}

// A publish cut off by the store dying is completed by the next one.
func TestS3PublishInterrupted(t *testing.T) {
	w := weedtest.Start(t)
	tg, rec := s3Target(t, w)
	ctx := context.Background()
	site := t.TempDir()
	bigSite(t, site, 60, title)
	if _, err := tg.Publish(ctx, site); err != nil {
		t.Fatal(err)
	}
	// Every article retitled: some 400 objects change.
	os.RemoveAll(site)
	files := bigSite(t, site, 60, func(i int) string { return "Renamed " + title(i) })
	rec.reset()
	var once sync.Once
	rec.onPut = func(n int) {
		if n == 100 {
			once.Do(w.Kill)
		}
	}
	rep, err := tg.Publish(ctx, site)
	if err == nil {
		t.Fatal("a publish to a killed store succeeded")
	}
	if rep == nil || len(rep.Uploaded) >= len(files) {
		t.Fatalf("the interrupted publish reports %+v", rep)
	}
	// What the killed store showed was whole: assets and new pages went up
	// first, no index names a page that was not there yet.
	for _, p := range rec.reset() {
		if classify(p.key, false) == phaseIndexes {
			t.Errorf("%s went up before the pages were all there", p.key)
		}
	}
	rec.onPut = nil
	w.Restart(t)
	if _, err := tg.Publish(ctx, site); err != nil {
		t.Fatal(err)
	}
	checkBucket(t, tg, files)
}
