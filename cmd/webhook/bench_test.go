package main

import (
	"context"
	"io"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkWebhookToLive measures, on a site of HELPSITE_BENCH_ARTICLES
// articles (default 200) in five locales: the time from sending one
// article.updated notification to the new title being served (p50, p95),
// the time of the first full build for comparison, and the acknowledgement
// latency of a burst of 500 notifications sent 50 at a time.
func BenchmarkWebhookToLive(b *testing.B) {
	api, apiURL, ids := benchSite(b)
	startAt := time.Now()
	h := startServer(b, api, apiURL, b.TempDir())
	fullBuild := time.Since(startAt)
	live := liveLatencies(b, h, ids, func(id string) string { return h.title(b, id) })

	// A burst: 500 notifications, 50 in flight at a time.
	var (
		mu   sync.Mutex
		acks []time.Duration
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 50)
	)
	for k := range 500 {
		notif, err := api.Notification("article.updated", ids[k%len(ids)], "2.11")
		if err != nil {
			b.Fatal(err)
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			start := time.Now()
			h.sender.Send(context.Background(), notif)
			mu.Lock()
			acks = append(acks, time.Since(start))
			mu.Unlock()
		})
	}
	wg.Wait()

	b.ReportMetric(pct(live, 50).Seconds()*1000, "live-p50-ms")
	b.ReportMetric(pct(live, 95).Seconds()*1000, "live-p95-ms")
	b.ReportMetric(fullBuild.Seconds()*1000, "first-build-ms")
	b.ReportMetric(pct(acks, 50).Seconds()*1000, "ack-p50-ms")
	b.ReportMetric(pct(acks, 95).Seconds()*1000, "ack-p95-ms")
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func logSink() io.Writer {
	if os.Getenv("HELPSITE_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}
