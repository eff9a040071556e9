package render

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/benchprof"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/peakmem"
	"github.com/helpsite/helpsite/internal/publish"
)

// BenchmarkBuild renders a generated help center. HELPSITE_BENCH_ARTICLES
// sets the number of articles (default 200) and HELPSITE_BENCH_LOCALES the
// number of locales (default 5); the figure is 10000 × 5. It
// reports pages per second and the process's peak resident memory.
func BenchmarkBuild(b *testing.B) {
	articles := envInt(b, "HELPSITE_BENCH_ARTICLES", 200)
	locales := []string{"en", "fr", "de", "ja", "ar", "es", "pt-BR", "zh-CN"}[:min(envInt(b, "HELPSITE_BENCH_LOCALES", 5), 8)]
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: articles, Locales: locales, Seed: 1})
	opts := Options{BaseURL: "https://help.example.com/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	b.Run(fmt.Sprintf("articles=%d/locales=%d", articles, len(locales)), func(b *testing.B) {
		peakmem.Reset()
		pages := 0
		i := 0
		for b.Loop() {
			out := filepath.Join(b.TempDir(), strconv.Itoa(i))
			i++
			res, err := Build(context.Background(), site, out, opts)
			if err != nil {
				b.Fatal(err)
			}
			pages = res.TotalPages()
			b.StopTimer()
			os.RemoveAll(out)
			b.StartTimer()
		}
		b.ReportMetric(float64(pages*b.N)/b.Elapsed().Seconds(), "pages/s")
		b.ReportMetric(float64(peakmem.Bytes())/(1<<20), "peak-MB")
	})
}

// BenchmarkUpdate measures a Live Renderer's Update after one article's
// title changes, on the site BenchmarkBuild renders, and reports its parts.
// HELPSITE_BENCH_CPUPROFILE names a file for the CPU profile of the updates,
// HELPSITE_BENCH_ALLOCPROFILE one for what they allocate (benchprof.Allocs).
func BenchmarkUpdate(b *testing.B) {
	articles := envInt(b, "HELPSITE_BENCH_ARTICLES", 200)
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: articles, Locales: []string{"en", "fr", "de", "ja", "ar"}, Seed: 1})
	r, err := New(Options{BaseURL: "https://help.example.com/", Live: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	dir := b.TempDir()
	live := filepath.Join(dir, "live")
	if _, err := r.Build(context.Background(), mustPlan(b, r, site), live); err != nil {
		b.Fatal(err)
	}
	var plan, prepare, hugo, total time.Duration
	var rewritten, prepared, written int
	b.ReportAllocs()
	defer benchprof.CPU(b, "HELPSITE_BENCH_CPUPROFILE")()
	defer benchprof.Allocs(b, "HELPSITE_BENCH_ALLOCPROFILE")()
	i := 0
	for b.Loop() {
		next := site.Clone()
		a := firstPublished(b, next, "en")
		tr := a.Translations["en"]
		tr.Title = fmt.Sprint("Benchmark title ", i)
		a.Translations["en"] = tr
		next.PutArticle(a)
		staged := filepath.Join(dir, strconv.Itoa(i))
		i++
		planStart := time.Now()
		p := mustPlan(b, r, next)
		plan += time.Since(planStart)
		res, err := r.Update(context.Background(), p, staged, live)
		if err != nil {
			b.Fatal(err)
		}
		prepare += res.Durations["prepare"]
		hugo += res.Durations["hugo"]
		total += res.Durations["total"]
		rewritten, prepared, written = rewritten+res.Rewritten, prepared+res.Prepared, written+res.Written
		b.StopTimer()
		if err := publish.Apply(live, staged, res.Removed); err != nil {
			b.Fatal(err)
		}
		site = next
		b.StartTimer()
	}
	perOp := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(b.N) }
	b.ReportMetric(perOp(plan), "plan-ms/op")
	b.ReportMetric(perOp(prepare), "prepare-ms/op")
	b.ReportMetric(perOp(hugo), "hugo-ms/op")
	b.ReportMetric(perOp(total-prepare-hugo), "finish-ms/op")
	b.ReportMetric(perOp(plan+total-hugo), "own-ms/op")
	b.ReportMetric(float64(rewritten)/float64(b.N), "rewritten/op")
	b.ReportMetric(float64(prepared)/float64(b.N), "prepared/op")
	b.ReportMetric(float64(written)/float64(b.N), "written/op")
}

func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q is not a positive number", name, s)
	}
	return n
}
