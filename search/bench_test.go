package search

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// The benchmarks index HELPSITE_BENCH_ARTICLES articles (default 200) in
// five locales:
//
//	HELPSITE_BENCH_ARTICLES=10000 go test ./search -run '^$' -bench . -benchtime 1x
var benchLocales = []string{"en", "fr", "de", "ja", "ar"}

func benchSite(b *testing.B) *content.Site {
	n := 200
	if s := os.Getenv("HELPSITE_BENCH_ARTICLES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("HELPSITE_BENCH_ARTICLES: %v", err)
		}
	}
	return generatedSite(n, benchLocales, 1)
}

// BenchmarkIndex measures building the bleve index of every locale, and
// reports its size on disk, the size and build time of the static indexes,
// and the time to update both when one article changes.
func BenchmarkIndex(b *testing.B) {
	site := benchSite(b)
	ctx := context.Background()
	var dir string
	for b.Loop() {
		dir = filepath.Join(b.TempDir(), "index")
		ix, err := Build(ctx, dir, site, testOptions)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(dirSize(b, dir))/1e6, "index-MB")

	static := b.TempDir()
	var indexer StaticIndexer
	start := time.Now()
	if err := indexer.WriteFiles(ctx, static, site, nil, testOptions); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "static-ms")
	for _, l := range benchLocales {
		info, err := os.Stat(filepath.Join(static, StaticIndexFile(l)))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, a := range site.Articles {
			if t, ok := a.Translations[l]; ok && t.Published() {
				n++
			}
		}
		b.ReportMetric(float64(info.Size())/float64(n), "static-"+l+"-KB/1k-articles")
	}
	b.ReportMetric(float64(dirSize(b, static))/1e6, "static-MB")

	ix, err := Open(dir, testOptions)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	i := slices.IndexFunc(site.Articles, func(a content.Article) bool { return a.Translations["en"].Published() })
	setTitle(site, site.Articles[i].ID, "en", "An updated title")
	start = time.Now()
	changed, err := ix.Update(ctx, site, []string{site.Articles[i].ID}, testOptions)
	if err != nil || !slices.Equal(changed, []string{"en"}) {
		b.Fatalf("Update: %v, %v", changed, err)
	}
	b.ReportMetric(ms(time.Since(start)), "update-ms")
	start = time.Now()
	if err := indexer.WriteFiles(ctx, static, site, changed, testOptions); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(ms(time.Since(start)), "static-update-ms")
}

// BenchmarkQuery measures API queries of every kind in every locale: whole
// titles, titles with a typo, a word being typed, a single word.
func BenchmarkQuery(b *testing.B) {
	site := benchSite(b)
	ix, err := Build(context.Background(), b.TempDir(), site, testOptions)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var queries []Query
	for i := 0; i < len(site.Articles); i += max(1, len(site.Articles)/100) {
		for _, l := range benchLocales {
			t, ok := site.Articles[i].Translations[l]
			if !ok || !t.Published() {
				continue
			}
			words := strings.Fields(t.Title)
			typing := []rune(words[len(words)-1])
			queries = append(queries,
				Query{Q: t.Title, Locale: l},
				Query{Q: misspell(t.Title), Locale: l},
				Query{Q: strings.Join(words[:len(words)-1], " ") + " " + string(typing[:min(len(typing), 3)]), Locale: l},
				Query{Q: words[0], Locale: l})
		}
	}
	latencies := make([]time.Duration, 0, b.N)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		start := time.Now()
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatalf("%+v: %v", q, err)
		}
		latencies = append(latencies, time.Since(start))
	}
	slices.Sort(latencies)
	b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
	b.ReportMetric(ms(latencies[len(latencies)*95/100]), "p95-ms")
	b.ReportMetric(float64(len(queries)), "distinct-queries")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// dirSize returns the total size of the files under dir.
func dirSize(b *testing.B, dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		n += info.Size()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return n
}
