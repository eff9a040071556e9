package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
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
		chunks, err := filepath.Glob(filepath.Join(static, "search-"+l+".*.js"))
		if err != nil {
			b.Fatal(err)
		}
		var size int64
		for _, name := range append(chunks, filepath.Join(static, StaticIndexFile(l))) {
			info, err := os.Stat(name)
			if err != nil {
				b.Fatal(err)
			}
			size += info.Size()
		}
		n := 0
		for _, a := range site.Articles {
			if t, ok := a.Translations[l]; ok && t.Published() {
				n++
			}
		}
		b.ReportMetric(float64(size)/float64(n), "static-"+l+"-KB/1k-articles")
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
	queries := benchQueries(site, 100)
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

// BenchmarkStaticQueryBytes measures what the static search transfers,
// gzipped: for a first query on a page (the engine, the manifest and the
// chunks the query needs) and for each later query on the same page (the
// chunks it adds), over titles, misspelt titles, words being typed and
// single words in every locale, against the whole index of a locale.
// It runs the engine under Node.
func BenchmarkStaticQueryBytes(b *testing.B) {
	site := benchSite(b)
	dir := b.TempDir()
	if err := WriteStaticFiles(context.Background(), dir, site, nil, testOptions); err != nil {
		b.Fatal(err)
	}
	sizes := gzipSizes(b, dir)
	type request struct {
		Session string `json:"session,omitempty"`
		Locale  string `json:"locale,omitempty"`
		Q       string `json:"q,omitempty"`
		Loaded  bool   `json:"loaded,omitempty"`
	}
	var firsts, laters []request // a query per page; queries on one page per locale
	for _, q := range benchQueries(site, 25) {
		firsts = append(firsts, request{Session: q.Locale}, request{Locale: q.Locale, Q: q.Q}, request{Loaded: true})
	}
	for _, l := range benchLocales {
		laters = append(laters, request{Session: l})
		for _, q := range benchQueries(site, 25) {
			if q.Locale == l {
				laters = append(laters, request{Locale: l, Q: q.Q}, request{Loaded: true})
			}
		}
	}
	var first, later, whole []float64
	firstBy := map[string][]float64{} // by locale
	for b.Loop() {
		first, later, whole = nil, nil, nil
		clear(firstBy)
		var answers []json.RawMessage
		runNode(b, dir, append(firsts, laters...), &answers)
		locale := ""
		fresh := false
		for i, r := range append(firsts, laters...) {
			switch {
			case r.Session != "":
				locale, fresh = r.Session, i < len(firsts)
			case r.Loaded:
				var names []string
				if err := json.Unmarshal(answers[i], &names); err != nil {
					b.Fatal(err)
				}
				n := 0
				for _, name := range names {
					n += sizes[name]
				}
				if fresh {
					n += sizes[EngineFile] + sizes[StaticIndexFile(locale)]
					first = append(first, float64(n))
					firstBy[locale] = append(firstBy[locale], float64(n))
				} else {
					later = append(later, float64(n))
				}
				fresh = false
			}
		}
	}
	for _, l := range benchLocales {
		n := 0
		for name, size := range sizes {
			if name == StaticIndexFile(l) || strings.HasPrefix(name, "search-"+l+".") {
				n += size
			}
		}
		whole = append(whole, float64(n))
	}
	kb := func(xs []float64) float64 { return mean(xs) / 1e3 }
	b.ReportMetric(kb(first), "first-query-KB")
	b.ReportMetric(slices.Max(first)/1e3, "first-query-max-KB")
	b.ReportMetric(kb(later), "later-query-KB")
	b.ReportMetric(slices.Max(later)/1e3, "later-query-max-KB")
	b.ReportMetric(kb(whole), "locale-index-KB")
	for _, l := range benchLocales {
		b.ReportMetric(kb(firstBy[l]), "first-query-"+l+"-KB")
	}
}

// benchQueries returns queries of every kind in every locale, for about n
// articles: whole titles, titles with a typo, a word being typed, a single
// word.
func benchQueries(site *content.Site, n int) []Query {
	var queries []Query
	for i := 0; i < len(site.Articles); i += max(1, len(site.Articles)/n) {
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
	return queries
}

// gzipSizes returns the gzipped sizes of the files of dir by name.
func gzipSizes(b *testing.B, dir string) map[string]int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	sizes := map[string]int{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(data)
		w.Close()
		sizes[e.Name()] = buf.Len()
	}
	return sizes
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(max(1, len(xs)))
}
