package search

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/testenv"
)

// runNode runs the static engine under Node on the static files in dir
// with requests, and decodes its answers into out.
func runNode(t testing.TB, dir string, requests, out any) {
	t.Helper()
	node := testenv.LookPath(t, "node")
	files := staticScripts(t, dir)
	in, err := json.Marshal(requests)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, append([]string{"testdata/run-engine.js"}, files...)...)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.Bytes())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("node answered %.200s: %v", b, err)
	}
}

// staticScripts returns the scripts of dir a page loads itself: the
// engine and the manifests, not the chunks.
func staticScripts(t testing.TB, dir string) []string {
	t.Helper()
	files := []string{filepath.Join(dir, EngineFile)}
	all, err := filepath.Glob(filepath.Join(dir, "search-*.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		if name := filepath.Base(f); name != EngineFile && strings.Count(name, ".") == 1 {
			files = append(files, f)
		}
	}
	return files
}

// writeStatic writes the static search files of site into a temporary
// directory.
func writeStatic(t *testing.T, site *content.Site) string {
	t.Helper()
	dir := t.TempDir()
	if err := WriteStaticFiles(context.Background(), dir, site, nil, testOptions); err != nil {
		t.Fatal(err)
	}
	return dir
}

// staticEngine runs queries with the static engine on site's static index.
func staticEngine(site *content.Site) engine {
	return func(t *testing.T, queries []Query) []*Results {
		t.Helper()
		dir := writeStatic(t, site)
		type request struct {
			Locale     string `json:"locale"`
			Q          string `json:"q"`
			Limit      int    `json:"limit,omitempty"`
			Collection string `json:"collection,omitempty"`
		}
		var requests []request
		for _, q := range queries {
			requests = append(requests, request{q.Locale, q.Q, q.Limit, q.Collection})
		}
		var results []*Results
		runNode(t, dir, requests, &results)
		return results
	}
}

func TestStaticRelevanceMiniSite(t *testing.T) {
	checkRelevance(t, staticEngine(miniSite()), miniCases)
}

func TestStaticRelevanceGenerated(t *testing.T) {
	site := generatedSite(300, testLocales, 7)
	checkRelevance(t, staticEngine(site), append(titleCases(site, testLocales, 40), draftCases(draftWords)...))
}

func TestStaticResults(t *testing.T) {
	site := miniSite()
	a := site.Article("3")
	tr := a.Translations["en"]
	tr.Description = "Every invoice, with <taxes> & fees."
	a.Translations["en"] = tr

	queries := []Query{
		{Q: "taxes", Locale: "en"},
		{Q: "sign", Locale: "en", Collection: "10"},
		{Q: "open", Locale: "en", Limit: 1},
		{Q: "password", Locale: "xx"},
	}
	results := staticEngine(site)(t, queries)
	if r := results[0].Results; len(r) != 1 || r[0].ID != "3" || r[0].URL != "/en/articles/3-article/" ||
		strings.Join(r[0].Breadcrumb, "/") != "Billing" ||
		!strings.HasPrefix(r[0].Snippet, "Every invoice, with &lt;<mark>taxes</mark>&gt; &amp; fees. Open Billing") {
		t.Errorf("taxes: %+v", r)
	}
	var inCollection []string
	for _, r := range results[1].Results {
		inCollection = append(inCollection, r.ID)
	}
	if slices.Sort(inCollection); !slices.Equal(inCollection, []string{"1", "2"}) {
		t.Errorf("collection 10: found %v, want 1 and 2", inCollection)
	}
	if len(results[2].Results) != 1 || results[2].Total != 2 {
		t.Errorf("limit 1: %d results of %d, want 1 of 2", len(results[2].Results), results[2].Total)
	}
	if results[3] != nil {
		t.Errorf("unknown locale: %+v, want null", results[3])
	}
}

// TestStaticAnalysisAgrees checks that the engine turns text into the
// terms the Go analyzers give: the plain analyzer's where the language
// stems, the index's own otherwise (CJK bigrams).
func TestStaticAnalysisAgrees(t *testing.T) {
	type request struct {
		Analyze string `json:"analyze"`
		Script  string `json:"script"`
	}
	var (
		requests []request
		want     [][]string
	)
	texts := []string{"Créer l’accès à l'application: e-mail, v2.5 et 3,14 ÉTÉ Straße Ærø", "東京タワーの設定ｱｲｳ ＡＢＣ한국어 テスト。3月", "إعادة تَعيين كلمة المرور"}
	for _, site := range []*content.Site{miniSite(), generatedSite(20, testLocales, 3)} {
		src := newSource(site, testOptions)
		for _, a := range site.Articles {
			for _, tr := range a.Translations {
				body, _ := src.bodyText(tr.Body)
				texts = append(texts, tr.Title, tr.Description, body)
			}
		}
	}
	for _, locale := range testLocales {
		lang := languageOf(locale)
		name := lang.plain
		if !lang.hasPlainFields() {
			name = lang.analyzer
		}
		a := indexMapping(lang).AnalyzerNamed(name)
		for _, text := range texts {
			var terms []string
			for _, tok := range a.Analyze([]byte(text)) {
				terms = append(terms, string(tok.Term))
			}
			requests = append(requests, request{text, staticScript(lang)})
			want = append(want, terms)
		}
	}
	var got [][]string
	runNode(t, writeStatic(t, &content.Site{}), requests, &got)
	bad := 0
	for i, r := range requests {
		if !slices.Equal(got[i], want[i]) && bad < 10 {
			bad++
			t.Errorf("%q (script %q):\n engine %q\n     go %q", r.Analyze, r.Script, got[i], want[i])
		}
	}
}

func TestCompareUTF16(t *testing.T) {
	words := []string{"z", "\U0001F600", "\uFF21", "a", "\u00e9", "ab", "", "\U00010000x"}
	slices.SortFunc(words, compareUTF16)
	for i := 1; i < len(words); i++ {
		a, b := utf16.Encode([]rune(words[i-1])), utf16.Encode([]rune(words[i]))
		if slices.Compare(a, b) > 0 {
			t.Errorf("%q sorted before %q", words[i-1], words[i])
		}
	}
}

// A static index build reports each document it indexes, across locales.
func TestStaticProgress(t *testing.T) {
	site := generatedSite(40, []string{"en", "fr"}, 3)
	want := 0
	for _, a := range site.Articles {
		for _, l := range []string{"en", "fr"} {
			if a.Translations[l].Published() {
				want++
			}
		}
	}
	var mu sync.Mutex
	var last, total, calls int
	opts := testOptions
	opts.Progress = func(done, n int) {
		mu.Lock()
		defer mu.Unlock()
		last, total, calls = max(last, done), n, calls+1
	}
	if err := WriteStaticFiles(context.Background(), t.TempDir(), site, nil, opts); err != nil {
		t.Fatal(err)
	}
	if want == 0 || last != want || total != want || calls != want+1 {
		t.Errorf("reported %d of %d in %d calls; the site has %d published translations", last, total, calls, want)
	}
}

// A query loads only the chunks it needs, and a change to one article's
// title rewrites only the manifest and a few chunks, and removes the
// chunks it replaces.
func TestStaticChunks(t *testing.T) {
	site := generatedSite(1500, []string{"en"}, 5)
	a := &site.Articles[len(site.Articles)/2]
	title := "Quetzalcoatl feathers"
	setTitle(site, a.ID, "en", title)
	dir := t.TempDir()
	var x StaticIndexer
	if err := x.WriteFiles(context.Background(), dir, site, nil, testOptions); err != nil {
		t.Fatal(err)
	}
	chunks := func() map[string]bool {
		names, err := filepath.Glob(filepath.Join(dir, "search-en.*.js"))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, n := range names {
			out[filepath.Base(n)] = true
		}
		return out
	}
	before := chunks()
	if len(before) < 10 {
		t.Fatalf("%d chunks, want more at 1,500 articles", len(before))
	}

	type request struct {
		Session string `json:"session,omitempty"`
		Locale  string `json:"locale,omitempty"`
		Q       string `json:"q,omitempty"`
		Loaded  bool   `json:"loaded,omitempty"`
	}
	requests := []request{{Locale: "en", Q: title}, {Loaded: true}, {Locale: "en", Q: title}, {Loaded: true}}
	var answers []json.RawMessage
	runNode(t, dir, requests, &answers)
	var res Results
	var first, again []string
	if json.Unmarshal(answers[0], &res) != nil || json.Unmarshal(answers[1], &first) != nil || json.Unmarshal(answers[3], &again) != nil {
		t.Fatalf("answers %s", answers)
	}
	if len(res.Results) == 0 || res.Results[0].ID != a.ID {
		t.Errorf("%q found %+v first, want %s", title, res.Results, a.ID)
	}
	if len(first) == 0 || len(first) > len(before)/3 {
		t.Errorf("%q loaded %d of %d chunks", title, len(first), len(before))
	}
	t.Logf("%q loaded %d of %d chunks", title, len(first), len(before))
	if len(again) != 0 {
		t.Errorf("the same query again loaded %q", again)
	}

	setTitle(site, a.ID, "en", "Xylophone lessons")
	// Written apart, as the server stages an incremental build: the fresh
	// directory has the new chunks only, WriteChanges names those it
	// replaces.
	fresh := t.TempDir()
	stale, err := x.WriteChanges(context.Background(), fresh, dir, site, []string{"en"}, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	freshChunks, err := chunkFiles(fresh, "en")
	if err != nil {
		t.Fatal(err)
	}
	if err := x.WriteFiles(context.Background(), dir, site, []string{"en"}, testOptions); err != nil {
		t.Fatal(err)
	}
	after := chunks()
	var replaced []string
	for n := range before {
		if !after[n] {
			replaced = append(replaced, n)
		}
	}
	slices.Sort(replaced)
	slices.Sort(stale)
	if len(stale) == 0 || !slices.Equal(stale, replaced) {
		t.Errorf("WriteChanges named %q stale, want the chunks WriteFiles removed, %q", stale, replaced)
	}
	var added []string
	for n := range after {
		if !before[n] {
			added = append(added, n)
		}
	}
	slices.Sort(added)
	t.Logf("a new title replaced %d chunks", len(added))
	if len(added) == 0 || len(added) > 6 || len(after) != len(before) {
		t.Errorf("a new title: %d new chunks, %d chunks before and %d after; want a few replaced", len(added), len(before), len(after))
	}
	if !slices.Equal(freshChunks, added) {
		t.Errorf("WriteChanges wrote the chunks %q, want only the new ones, %q", freshChunks, added)
	}
	var found []*Results
	runNode(t, dir, []request{{Locale: "en", Q: "xylophone"}}, &found)
	if len(found) != 1 || found[0].Total != 1 || found[0].Results[0].ID != a.ID {
		t.Errorf("the new title finds %+v", found[0])
	}
}
