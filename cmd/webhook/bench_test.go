package main

import (
	"context"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/benchprof"
	"github.com/helpsite/helpsite/internal/peakmem"
)

// BenchmarkWebhookToLive measures, on a site of HELPSITE_BENCH_ARTICLES
// articles (default 200) in five locales: the time from sending one
// article.updated notification to the new title being served (p50, p95),
// the time of the first full build for comparison, and the acknowledgement
// latency of a burst of 500 notifications sent 50 at a time; and the
// process's peak resident memory (the fake API's copy of the site
// included) during the first build and while applying changes.
// HELPSITE_BENCH_MEMORY_LIMIT runs the server with --memory-limit, and
// HELPSITE_BENCH_CPUPROFILE names a file for the CPU profile of the changes.
func BenchmarkWebhookToLive(b *testing.B) {
	api, apiURL, ids := benchSite(b)
	startAt := time.Now()
	peakmem.Reset()
	var flags []string
	if limit := os.Getenv("HELPSITE_BENCH_MEMORY_LIMIT"); limit != "" {
		flags = append(flags, "--memory-limit", limit)
	}
	h := startServer(b, api, apiURL, b.TempDir(), flags...)
	fullBuild := time.Since(startAt)
	firstPeak := peakmem.Bytes()
	peakmem.Reset()
	stopProfile := benchprof.CPU(b, "HELPSITE_BENCH_CPUPROFILE")
	live := liveLatencies(b, h, ids, func(id string) string { return h.title(b, id) })
	stopProfile()

	writeHeapProfile(b)

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
	b.ReportMetric(float64(firstPeak)/(1<<20), "first-build-peak-MB")
	b.ReportMetric(float64(peakmem.Bytes())/(1<<20), "changes-peak-MB")
}

// writeHeapProfile writes the heap's profile to the file
// HELPSITE_BENCH_HEAPPROFILE names, if it names one: what the server holds
// while it serves the site and applies changes.
func writeHeapProfile(b *testing.B) {
	name := os.Getenv("HELPSITE_BENCH_HEAPPROFILE")
	if name == "" {
		return
	}
	runtime.GC()
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
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
