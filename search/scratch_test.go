package search

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func BenchmarkScratchQuery(b *testing.B) {
	site := generatedSite(10000, benchLocales, 1)
	dir := "/tmp/bench10k"
	var ix *Index
	var err error
	if _, e := os.Stat(dir); e == nil {
		ix, err = Open(dir, testOptions)
	} else {
		ix, err = Build(context.Background(), dir, site, testOptions)
	}
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
	type lat struct {
		d time.Duration
		q Query
	}
	var lats []lat
	i := 0
	for b.Loop() {
		q := queries[i%len(queries)]
		i++
		start := time.Now()
		if _, err := ix.Search(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		lats = append(lats, lat{time.Since(start), q})
	}
	slices.SortFunc(lats, func(a, b lat) int { return int(a.d - b.d) })
	b.ReportMetric(ms(lats[len(lats)/2].d), "p50-ms")
	b.ReportMetric(ms(lats[len(lats)*95/100].d), "p95-ms")
	for _, l := range lats[len(lats)-8:] {
		b.Logf("%v %s %q", l.d, l.q.Locale, l.q.Q)
	}
}
