package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/weedtest"
)

// BenchmarkWebhookToBucket measures, on a site of HELPSITE_BENCH_ARTICLES
// articles (default 200) in five locales published with --publish-to to a
// real S3 store (SeaweedFS, see internal/weedtest): the time from sending
// one article.updated notification to the new title being readable from
// the bucket (p50, p95), and the time from the server's start to the
// first push being complete, for comparison.
func BenchmarkWebhookToBucket(b *testing.B) {
	weed := weedtest.Start(b)
	api, apiURL, ids := benchSite(b)
	startAt := time.Now()
	h := startServer(b, api, apiURL, b.TempDir(), "--publish-to", weedtest.TargetURL(weed.Endpoint()), "--serve-site=false")
	waitUntil(b, "the first push", func() bool { return !h.push(b).LastPush.IsZero() }, 30*time.Minute)
	firstPush := time.Since(startAt)
	if st := h.push(b); st.Failed {
		b.Fatalf("the first push failed: %s", st.LastError)
	}

	// get reads the object a site path names from the bucket, as a CDN
	// in front of it would: a directory's index.html.
	get := func(path string) (int, string) {
		key := strings.TrimPrefix(path, "/")
		if key == "" || strings.HasSuffix(key, "/") {
			key += "index.html"
		}
		resp, err := http.Get(weed.Endpoint() + "/" + weedtest.Bucket + "/" + key)
		if err != nil {
			return 0, ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	live := liveLatencies(b, h, ids, func(id string) string { return pageTitle(get, id) })
	if st := h.push(b); st.Failed {
		b.Fatalf("a push failed: %s", st.LastError)
	}

	b.ReportMetric(pct(live, 50).Seconds()*1000, "bucket-p50-ms")
	b.ReportMetric(pct(live, 95).Seconds()*1000, "bucket-p95-ms")
	b.ReportMetric(firstPush.Seconds()*1000, "first-push-ms")
}

// benchSite starts a fake Intercom with a generated site of
// HELPSITE_BENCH_ARTICLES articles (default 200) in five locales, and
// returns it, its URL and the ids of the articles published in English.
func benchSite(b *testing.B) (*fakeintercom.Server, string, []string) {
	b.Helper()
	n := 200
	if s := os.Getenv("HELPSITE_BENCH_ARTICLES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n <= 0 {
			b.Fatalf("HELPSITE_BENCH_ARTICLES=%q: want a number of articles", s)
		}
	}
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: n, Locales: []string{"en", "fr", "de", "ja", "ar"}, HelpCenters: 1, Seed: 3})
	api := fakeintercom.New(site, fakeintercom.Options{RatePerMinute: 1_000_000})
	apiSrv := httptest.NewServer(api)
	b.Cleanup(apiSrv.Close)
	api.SetBaseURL(apiSrv.URL)
	var ids []string
	for _, a := range api.Site().Articles {
		if a.Translations["en"].Published() {
			ids = append(ids, a.ID)
		}
	}
	return api, apiSrv.URL, ids
}

// liveLatencies retitles the articles of ids in turn, one each iteration
// of b.Loop, sends h its article.updated notification, and returns how
// long it took each time until title(id) said the new title.
func liveLatencies(b *testing.B, h *harness, ids []string, title func(id string) string) []time.Duration {
	b.Helper()
	var live []time.Duration
	i := 0
	for b.Loop() {
		id := ids[i%len(ids)]
		want := fmt.Sprintf("Benchmark title %d", i)
		i++
		retitle(h.api, b, id, want)
		sent := time.Now()
		if s := h.send(b, "article.updated", id); s != http.StatusOK {
			b.Fatalf("webhook answered %d", s)
		}
		// Every 10 ms: a request takes CPU from the server it measures, of
		// which the machine has two cores.
		for title(id) != want {
			time.Sleep(10 * time.Millisecond)
		}
		live = append(live, time.Since(sent))
	}
	return live
}
