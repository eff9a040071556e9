package search

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/atomicfile"
	"github.com/helpsite/helpsite/internal/content"
)

// The static search is a script per locale holding that locale's index
// (StaticIndexFile) and one engine script (EngineFile) that searches them in
// the browser without a server: <script> tags load both, so it works from
// file://, where fetch is blocked.
//
// The index's terms are the output of the locale's stemming analyzer, the
// one the bleve index uses, so tokens, stems and CJK bigrams agree. The
// browser cannot stem, so the index also maps each word form seen in the
// text to its stem: a query word found in the text finds every form of it.
// A word the text never uses is matched as a prefix of indexed terms and
// words (search as you type), within one or two typos, or by its longest
// prefix that is a stem; this finds fewer forms than the server's stemmer.
//
// The index of a locale is split into scripts, so that a query loads
// only what it needs: a manifest (StaticIndexFile) with the dictionary and
// what ranking needs of every article, and chunks, named by a hash of
// their content, holding the postings of a range of terms or the titles,
// URLs and snippets of a range of articles. A query loads the manifest,
// the chunks of the terms it matches and the chunks of the articles it
// shows. Chunk boundaries depend on the content around them (a term or
// article starts a chunk by a hash of it, once the chunk is big enough),
// so a change rewrites only the chunks it touches and the manifest.
//
// Manifest format (version 2), a JSON object:
//
//	v       2
//	locale  the locale
//	script  "cjk" (bigram CJK text), "ar" or "fa" (Arabic-script
//	        normalization), or "" (lowercase and accent folding only)
//	n       the number of articles
//	titles  per article, the VLQ number of terms of its title
//	dpaths  per article, the VLQ index of its path in paths
//	paths   [breadcrumb names, ids of the collections above] per distinct path
//	terms   the terms, sorted in UTF-16 order, separated by spaces
//	df      per term, the VLQ number of articles that use it
//	words   word forms whose stem differs from them, sorted, separated by spaces
//	stems   per word, the VLQ index of its stem in terms
//	post    [first term, file] per postings chunk, in order of terms
//	docs    [first article, file] per article chunk, in order of articles
//
// A postings chunk holds {post}: the postings of its terms, separated by
// commas: per article, in order, the VLQ number docDelta<<5 | tf<<3 |
// fields, where fields has 1 for the title, 2 for a heading, 4 for the
// body (the whole article), and tf is 0, 1, 2 or 3 for a body frequency of
// 1, 2–3, 4–7 or 8 and more. An article chunk holds {docs}: [id, title,
// url, text] per article, text being the start of the description and
// text, for snippets. Each chunk script registers its data in
// helpsiteSearch.chunks under its file name.
//
// VLQ numbers are written low five bits first in base64url digits, with 32
// added to every digit but the last.
const (
	// EngineFile is the file name of the static search engine script.
	EngineFile    = "search-engine.js"
	staticVersion = 2
)

//go:embed static/search-engine.js
var engineJS []byte

// StaticIndexFile returns the file name of the static index (manifest) of
// a locale; its chunks are named search-<locale>.<hash>.js.
func StaticIndexFile(locale string) string { return "search-" + locale + ".js" }

// chunkFile returns the file name of a chunk of locale's index with data.
func chunkFile(locale string, data []byte) string {
	sum := sha256.Sum256(data)
	return fmt.Sprintf("search-%s.%x.js", locale, sum[:6])
}

// Chunk sizes, in bytes of encoded data: a chunk ends once it has min
// bytes at a term or article whose hash is a multiple of every, or before
// it would pass max.
const (
	postChunkMin, postChunkMax, postChunkEvery = 12 << 10, 48 << 10, 16
	docChunkMin, docChunkMax, docChunkEvery    = 4 << 10, 12 << 10, 4
)

// Field flags of a static posting.
const (
	flagTitle   = 1
	flagHeading = 2
	flagBody    = 4
)

// staticIndex is the encoded static index of a locale.
type staticIndex struct {
	manifest staticManifest
	chunks   []staticChunk
	pathKeys map[string]int // index in manifest.Paths by breadcrumb and collections
}

// staticManifest is the manifest of a static index.
type staticManifest struct {
	Version  int      `json:"v"`
	Locale   string   `json:"locale"`
	Script   string   `json:"script"`
	N        int      `json:"n"`
	Titles   string   `json:"titles"`
	DocPaths string   `json:"dpaths"`
	Paths    [][]any  `json:"paths"`
	Terms    string   `json:"terms"`
	DF       string   `json:"df"`
	Words    string   `json:"words"`
	Stems    string   `json:"stems"`
	Post     [][2]any `json:"post"`
	Docs     [][2]any `json:"docs"`
}

// A staticChunk is a chunk of a static index: its file name and data.
type staticChunk struct {
	name string
	data []byte
}

// A posting is one article's use of a term.
type posting struct {
	doc   int
	flags int
	tf    int // in the body
}

// A StaticIndexer writes static indexes and remembers each article's part
// of them, so that writing a locale's index again after a change analyzes
// only the articles whose document changed. A long-lived process keeps
// one; WriteStaticFiles uses a new one. It is safe for concurrent use.
type StaticIndexer struct {
	mu    sync.Mutex
	docs  map[string]map[string]*staticDoc // by locale, then article id
	terms map[string]*interner             // by locale
}

// An interner keeps one copy of each term and word of a locale: the
// articles' parts of its index share them, which at tens of thousands of
// articles saves most of the memory they hold. It numbers them too, for
// a build to gather postings by number rather than by looking each term
// up (staticBuilder).
type interner struct {
	mu      sync.Mutex
	ids     map[string]int32
	strings []string // by id
}

func newInterner() *interner { return &interner{ids: map[string]int32{}} }

// intern returns the copy of b and its number.
func (in *interner) intern(b []byte) (string, int32) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if id, ok := in.ids[string(b)]; ok {
		return in.strings[id], id
	}
	s, id := string(b), int32(len(in.strings))
	in.ids[s] = id
	in.strings = append(in.strings, s)
	return s, id
}

// size is how many strings in has numbered.
func (in *interner) size() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.strings)
}

// staticDoc is an article's part of the static index of a locale.
type staticDoc struct {
	source                  documentSource
	title, url              string
	breadcrumb, collections []string
	snippet                 string // the start of the text
	titleTerms              int
	uses                    []termUse   // sorted by term
	words                   [][2]string // word forms and their stems, in text order
}

// A termUse is an article's use of a term, and the term's number in its
// locale's interner.
type termUse struct {
	term  string
	id    int32
	flags uint8
	tf    uint8 // in the body, at most 255
}

// WriteStaticFiles writes the static indexes of locales (of every
// published locale if locales is nil) into dir, and the engine unless it is
// there already, each file replaced atomically. After Update, pass the
// locales it returned (never nil): only their files change.
func WriteStaticFiles(ctx context.Context, dir string, site *content.Site, locales []string, opts Options) error {
	return new(StaticIndexer).WriteFiles(ctx, dir, site, locales, opts)
}

// WriteFiles is WriteStaticFiles, reusing what earlier calls analyzed. Of
// a locale's chunks it writes only those dir does not have yet, then the
// manifest, and then removes the chunks the manifest no longer names.
func (x *StaticIndexer) WriteFiles(ctx context.Context, dir string, site *content.Site, locales []string, opts Options) error {
	named, err := x.write(ctx, dir, "", site, locales, opts)
	if err != nil {
		return err
	}
	stale, err := staleChunks(dir, named)
	if err != nil {
		return err
	}
	for _, name := range stale {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("search: removing an old static index chunk: %w", err)
		}
	}
	return nil
}

// WriteChanges is WriteFiles for an incremental build staged apart from
// the live site: it writes into dir, empty before, the manifests of
// locales' indexes and the chunks (and engine) that published, the live
// index directory, does not have, and returns the names of published's
// chunks the new indexes no longer name, to remove when dir's files are
// applied to it. A change writes a few chunks, not the whole index.
func (x *StaticIndexer) WriteChanges(ctx context.Context, dir, published string, site *content.Site, locales []string, opts Options) (stale []string, err error) {
	named, err := x.write(ctx, dir, published, site, locales, opts)
	if err != nil {
		return nil, err
	}
	return staleChunks(published, named)
}

// staleChunks returns the names of the chunks in dir of the locales of
// named, the names of each locale's chunks, that named does not name.
func staleChunks(dir string, named map[string]map[string]bool) ([]string, error) {
	var stale []string
	for _, l := range slices.Sorted(maps.Keys(named)) {
		all, err := chunkFiles(dir, l)
		if err != nil {
			return nil, err
		}
		for _, name := range all {
			if !named[l][name] {
				stale = append(stale, name)
			}
		}
	}
	return stale, nil
}

// write writes the static indexes of locales into dir, each chunk and the
// engine unless dir or published (if not empty) has it, and returns the
// names of each locale's chunks.
func (x *StaticIndexer) write(ctx context.Context, dir, published string, site *content.Site, locales []string, opts Options) (map[string]map[string]bool, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if locales == nil {
		locales = site.PublishedLocales()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if !hasFile(engineJS, dir, published, EngineFile) {
		if err := atomicWrite(filepath.Join(dir, EngineFile), engineJS); err != nil {
			return nil, err
		}
	}
	src := newSource(site, opts)
	tick := progressTicker(site, locales, opts.Progress)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	named := map[string]map[string]bool{}
	for _, l := range locales {
		if !validLocale.MatchString(l) {
			return nil, fmt.Errorf("search: locale %q cannot name a file", l)
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			ix, err := x.build(src, l, tick)
			if err != nil {
				return err
			}
			names, err := ix.writeFiles(dir, published)
			mu.Lock()
			named[l] = names
			mu.Unlock()
			return err
		})
	}
	return named, g.Wait()
}

// hasFile reports whether one of dirs (empty ones left out) has the file
// name with data.
func hasFile(data []byte, dir, published, name string) bool {
	for _, d := range []string{dir, published} {
		if old, err := os.ReadFile(filepath.Join(d, name)); d != "" && err == nil && bytes.Equal(old, data) {
			return true
		}
	}
	return false
}

// writeFiles writes into dir ix's chunks that neither dir nor published
// (if not empty) has, then its manifest, and returns the names of its
// chunks.
func (ix *staticIndex) writeFiles(dir, published string) (map[string]bool, error) {
	names := map[string]bool{}
	for _, c := range ix.chunks {
		names[c.name] = true
		if exists(filepath.Join(dir, c.name)) || published != "" && exists(filepath.Join(published, c.name)) {
			continue // named by its content: the same
		}
		if err := atomicWrite(filepath.Join(dir, c.name), registerScript("chunks", c.name, c.data)); err != nil {
			return nil, err
		}
	}
	m, err := marshalJSON(ix.manifest)
	if err != nil {
		return nil, fmt.Errorf("search: encoding the %s static index: %w", ix.manifest.Locale, err)
	}
	if err := atomicWrite(filepath.Join(dir, StaticIndexFile(ix.manifest.Locale)), registerScript("indexes", ix.manifest.Locale, m)); err != nil {
		return nil, err
	}
	return names, nil
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// chunkFiles returns the names of the chunks of locale's static index in
// dir.
func chunkFiles(dir, locale string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "search-"+locale+".*.js"))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names, nil
}

// registerScript returns a script that stores the JSON data as
// helpsiteSearch[table][key], where the engine finds it.
func registerScript(table, key string, data []byte) []byte {
	k, _ := json.Marshal(key)
	var b bytes.Buffer
	fmt.Fprintf(&b, "(function(g){var s=g.helpsiteSearch=g.helpsiteSearch||{};(s.%s=s.%[1]s||{})[%s]=", table, k)
	b.Write(data)
	b.WriteString("})(globalThis);\n")
	return b.Bytes()
}

// marshalJSON encodes v as JSON without escaping HTML characters and
// without a trailing newline.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// atomicWrite replaces name with data.
func atomicWrite(name string, data []byte) error {
	if err := atomicfile.WriteFile(name, data); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// progressTicker returns a function to call for each document of the
// static indexes of locales, which reports to progress (nil for none).
func progressTicker(site *content.Site, locales []string, progress func(done, total int)) func() {
	if progress == nil {
		return func() {}
	}
	total := 0
	for _, a := range site.Articles {
		for _, l := range locales {
			if a.Translations[l].Published() {
				total++
			}
		}
	}
	var done atomic.Int64
	progress(0, total)
	return func() { progress(int(done.Add(1)), total) }
}

// build builds the static index of the published articles of locale,
// analyzing those it has not seen as they are now.
func (x *StaticIndexer) build(src source, locale string, tick func()) (*staticIndex, error) {
	an, err := newStaticAnalyzer(locale)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	seen := x.docs[locale]
	if x.terms == nil {
		x.terms = map[string]*interner{}
	}
	if x.terms[locale] == nil {
		x.terms[locale] = newInterner()
	}
	an.terms = x.terms[locale]
	x.mu.Unlock()
	docs := map[string]*staticDoc{}
	b := &staticBuilder{words: map[string]string{}}
	ix := &staticIndex{
		manifest: staticManifest{Version: staticVersion, Locale: locale, Script: an.script, Paths: [][]any{}},
		pathKeys: map[string]int{},
	}
	var titles, paths []byte
	var rows [][]any // [id, title, url, text] per article
	for i := range src.site.Articles {
		a := &src.site.Articles[i]
		if !a.Translations[locale].Published() {
			continue
		}
		source := src.documentSource(a, locale)
		sd := seen[a.ID]
		if sd == nil || !sd.source.equal(&source) {
			d, _ := src.document(a, locale)
			sd = an.analyze(d)
			sd.source = source
		}
		docs[a.ID] = sd
		tick()
		b.add(len(rows), sd, an.terms.size())
		rows = append(rows, []any{a.ID, sd.title, sd.url, sd.snippet})
		titles = appendVLQ(titles, sd.titleTerms)
		paths = appendVLQ(paths, ix.path(sd))
	}
	ix.manifest.N = len(rows)
	ix.manifest.Titles, ix.manifest.DocPaths = string(titles), string(paths)
	if err := b.encode(ix); err != nil {
		return nil, err
	}
	if err := ix.chunkDocs(rows); err != nil {
		return nil, err
	}
	x.mu.Lock()
	if x.docs == nil {
		x.docs = map[string]map[string]*staticDoc{}
	}
	x.docs[locale] = docs
	x.mu.Unlock()
	return ix, nil
}

// A chunker cuts a sequence of encoded items into chunks by content: a
// chunk ends before an item whose key hashes to a multiple of every once
// it has min bytes, or before one that would take it past max.
type chunker struct {
	min, max, every int
	size            int
}

// cut reports whether a new chunk starts with the item of key and size n,
// and counts the item into the current chunk.
func (c *chunker) cut(key string, n int) bool {
	cut := c.size > 0 && (c.size+n > c.max || c.size >= c.min && fnv32(key)%uint32(c.every) == 0)
	if cut {
		c.size = 0
	}
	c.size += n
	return cut
}

// fnv32 is the 32-bit FNV-1a hash of s.
func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// addChunk encodes data as a chunk of ix and returns its file name.
func (ix *staticIndex) addChunk(data any) (string, error) {
	b, err := marshalJSON(data)
	if err != nil {
		return "", fmt.Errorf("search: encoding a chunk of the %s static index: %w", ix.manifest.Locale, err)
	}
	name := chunkFile(ix.manifest.Locale, b)
	ix.chunks = append(ix.chunks, staticChunk{name, b})
	return name, nil
}

// chunkDocs splits the articles' rows into chunks.
func (ix *staticIndex) chunkDocs(rows [][]any) error {
	ix.manifest.Docs = [][2]any{}
	c := chunker{min: docChunkMin, max: docChunkMax, every: docChunkEvery}
	start := 0
	flush := func(end int) error {
		name, err := ix.addChunk(map[string]any{"docs": rows[start:end]})
		ix.manifest.Docs = append(ix.manifest.Docs, [2]any{start, name})
		start = end
		return err
	}
	for i, r := range rows {
		n := len(r[1].(string)) + len(r[2].(string)) + len(r[3].(string)) + 32
		if c.cut(r[0].(string), n) {
			if err := flush(i); err != nil {
				return err
			}
		}
	}
	if len(rows) > start {
		return flush(len(rows))
	}
	return nil
}

// staticBuilder puts articles' parts together into a static index.
type staticBuilder struct {
	postings [][]posting       // by term number (termUse.id)
	used     []termUse         // a use of each term, in the order first used
	words    map[string]string // word form → stem
}

// add adds the terms and words of document doc; vocabulary is the number
// of terms and words its locale's interner has numbered.
func (b *staticBuilder) add(doc int, sd *staticDoc, vocabulary int) {
	if len(b.postings) < vocabulary {
		b.postings = slices.Grow(b.postings, vocabulary-len(b.postings))[:vocabulary]
	}
	for _, u := range sd.uses {
		if b.postings[u.id] == nil {
			b.used = append(b.used, u)
		}
		b.postings[u.id] = append(b.postings[u.id], posting{doc: doc, flags: int(u.flags), tf: int(u.tf)})
	}
	for _, w := range sd.words {
		if _, ok := b.words[w[0]]; !ok {
			b.words[w[0]] = w[1]
		}
	}
}

// A staticAnalyzer analyzes documents of a locale into their part of its
// static index.
type staticAnalyzer struct {
	stemmed, plain analysis.Analyzer // plain is nil if the language does not stem
	script         string
	terms          *interner
}

func newStaticAnalyzer(locale string) (*staticAnalyzer, error) {
	lang := languageOf(locale)
	m := indexMapping(lang)
	an := &staticAnalyzer{stemmed: m.AnalyzerNamed(lang.analyzer), script: staticScript(lang)}
	if lang.hasPlainFields() {
		an.plain = m.AnalyzerNamed(lang.plain)
	}
	if an.stemmed == nil || (lang.hasPlainFields() && an.plain == nil) {
		return nil, fmt.Errorf("search: the analyzers of %s are not registered", locale)
	}
	return an, nil
}

// analyze returns d's part of the static index.
func (an *staticAnalyzer) analyze(d document) *staticDoc {
	text := afterTitle(d.Body)
	_, end := snippetWindow(text, nil)
	sd := &staticDoc{title: d.Title, url: d.URL, breadcrumb: d.Breadcrumb, collections: d.Collections,
		snippet: strings.ReplaceAll(text[:end], "\n", " "), titleTerms: len(an.stemmed.Analyze([]byte(d.Title)))}
	uses := map[string]*termUse{}
	words := map[string]bool{}
	an.addText(sd, uses, words, flagTitle, d.Title)
	for _, h := range d.Headings {
		an.addText(sd, uses, words, flagHeading, h)
	}
	an.addText(sd, uses, words, flagBody, d.Body)
	for _, term := range slices.Sorted(maps.Keys(uses)) {
		sd.uses = append(sd.uses, *uses[term])
	}
	return sd
}

// addText records the terms of text with the field flag, and the word
// forms behind the stems that words has not seen.
func (an *staticAnalyzer) addText(sd *staticDoc, uses map[string]*termUse, words map[string]bool, flag uint8, text string) {
	tokens := an.stemmed.Analyze([]byte(text))
	for _, t := range tokens {
		u := uses[string(t.Term)]
		if u == nil {
			term, id := an.terms.intern(t.Term)
			u = &termUse{term: term, id: id}
			uses[u.term] = u
		}
		u.flags |= flag
		if flag == flagBody && u.tf < math.MaxUint8 {
			u.tf++
		}
	}
	if an.plain == nil {
		return
	}
	stems := make(map[int]string, len(tokens))
	for _, t := range tokens {
		stems[t.Start], _ = an.terms.intern(t.Term)
	}
	addWord := func(word, stem string) {
		if !words[word] && word != stem && word != "" {
			words[word] = true
			sd.words = append(sd.words, [2]string{word, stem})
		}
	}
	for _, t := range an.plain.Analyze([]byte(text)) {
		stem, ok := stems[t.Start]
		if !ok {
			continue // a stop word
		}
		word, _ := an.terms.intern(t.Term)
		addWord(word, stem)
		// French and Italian analyzers drop elided articles (l'aide → aide):
		// let the word without them find the stem too.
		if i := strings.LastIndexAny(word, "'’"); i >= 0 {
			_, n := utf8.DecodeRuneInString(word[i:])
			addWord(word[i+n:], stem)
		}
	}
}

// staticScript names the browser-side normalization of a language.
func staticScript(lang language) string {
	switch lang.plain {
	case plainArabic:
		return "ar"
	case plainPersian:
		return "fa"
	}
	if lang.cjk() {
		return "cjk"
	}
	return ""
}

// path returns the index of sd's breadcrumb and collections in the
// manifest's paths, adding them the first time.
func (ix *staticIndex) path(sd *staticDoc) int {
	key := strings.Join(sd.breadcrumb, "\x00") + "\x01" + strings.Join(sd.collections, "\x00")
	i, ok := ix.pathKeys[key]
	if !ok {
		i = len(ix.manifest.Paths)
		ix.pathKeys[key] = i
		ix.manifest.Paths = append(ix.manifest.Paths, []any{orEmpty(sd.breadcrumb), orEmpty(sd.collections)})
	}
	return i
}

// orEmpty returns s, or an empty slice for nil so that it encodes as [].
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// encode writes the terms, their document frequencies and the words into
// ix's manifest, and their postings into chunks.
func (b *staticBuilder) encode(ix *staticIndex) error {
	slices.SortFunc(b.used, func(x, y termUse) int { return compareUTF16(x.term, y.term) })
	terms := make([]string, len(b.used))
	for i, u := range b.used {
		terms[i] = u.term
	}
	order := make(map[string]int, len(terms))
	var df []byte
	var post []string // of the current chunk
	start := 0
	m := &ix.manifest
	m.Post = [][2]any{}
	flush := func(end int) error {
		name, err := ix.addChunk(map[string]string{"post": strings.Join(post, ",")})
		m.Post = append(m.Post, [2]any{start, name})
		start, post = end, post[:0]
		return err
	}
	c := chunker{min: postChunkMin, max: postChunkMax, every: postChunkEvery}
	var p []byte
	for i, t := range terms {
		order[t] = i
		ps := b.postings[b.used[i].id]
		df = appendVLQ(df, len(ps))
		p = p[:0]
		prev := 0
		for _, x := range ps {
			p = appendVLQ(p, (x.doc-prev)<<5|tfBucket(x.tf)<<3|x.flags)
			prev = x.doc
		}
		if c.cut(t, len(p)+1) {
			if err := flush(i); err != nil {
				return err
			}
		}
		post = append(post, string(p))
	}
	if len(terms) > start {
		if err := flush(len(terms)); err != nil {
			return err
		}
	}
	words := slices.SortedFunc(maps.Keys(b.words), compareUTF16)
	var stems []byte
	for _, w := range words {
		stems = appendVLQ(stems, order[b.words[w]])
	}
	m.Terms = strings.Join(terms, " ")
	m.DF = string(df)
	m.Words = strings.Join(words, " ")
	m.Stems = string(stems)
	return nil
}

// tfBucket sorts a body term frequency into 0 (none or one), 1 (2–3),
// 2 (4–7) or 3 (8 and more).
func tfBucket(tf int) int {
	switch {
	case tf >= 8:
		return 3
	case tf >= 4:
		return 2
	case tf >= 2:
		return 1
	}
	return 0
}

const vlqDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// appendVLQ appends n ≥ 0 as a VLQ number.
func appendVLQ(b []byte, n int) []byte {
	for {
		d := n & 31
		n >>= 5
		if n > 0 {
			d |= 32
		}
		b = append(b, vlqDigits[d])
		if n == 0 {
			return b
		}
	}
}

// compareUTF16 orders strings as JavaScript does, by UTF-16 code units,
// so that the engine can binary-search the terms.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, _ := utf16.EncodeRune(ra)
			ub, _ := utf16.EncodeRune(rb)
			if ra < 0x10000 {
				ua = ra
			}
			if rb < 0x10000 {
				ub = rb
			}
			return cmp.Or(cmp.Compare(ua, ub), cmp.Compare(ra, rb))
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}
