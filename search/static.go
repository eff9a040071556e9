package search

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
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
// Index format (version 1), a JSON object:
//
//	v       1
//	locale  the locale
//	script  "cjk" (bigram CJK text), "ar" or "fa" (Arabic-script
//	        normalization), or "" (lowercase and accent folding only)
//	docs    [id, title, url, path, text, n] per article: path indexes paths,
//	        text is the start of the description and text, for snippets, n
//	        is the number of terms of the title
//	paths   [breadcrumb names, ids of the collections above] per distinct path
//	terms   the terms, sorted in UTF-16 order, separated by spaces
//	post    the postings of each term, separated by commas: per article,
//	        in order, the VLQ number docDelta<<5 | tf<<3 | fields, where
//	        fields has 1 for the title, 2 for a heading, 4 for the body (the
//	        whole article), and tf is 0, 1, 2 or 3 for a body frequency of 1,
//	        2–3, 4–7 or 8 and more
//	words   word forms whose stem differs from them, sorted, separated by spaces
//	stems   per word, the VLQ index of its stem in terms
//
// VLQ numbers are written low five bits first in base64url digits, with 32
// added to every digit but the last.
const (
	// EngineFile is the file name of the static search engine script.
	EngineFile    = "search-engine.js"
	staticVersion = 1
)

//go:embed static/search-engine.js
var engineJS []byte

// StaticIndexFile returns the file name of the static index of a locale.
func StaticIndexFile(locale string) string { return "search-" + locale + ".js" }

// Field flags of a static posting.
const (
	flagTitle   = 1
	flagHeading = 2
	flagBody    = 4
)

// staticIndex is the encoded static index of a locale.
type staticIndex struct {
	Version  int            `json:"v"`
	Locale   string         `json:"locale"`
	Script   string         `json:"script"`
	Docs     [][]any        `json:"docs"`
	Paths    [][]any        `json:"paths"`
	Terms    string         `json:"terms"`
	Postings string         `json:"post"`
	Words    string         `json:"words"`
	Stems    string         `json:"stems"`
	pathKeys map[string]int // index in Paths by breadcrumb and collections
}

// A posting is one article's use of a term.
type posting struct {
	doc   int
	flags int
	tf    int // in the body
}

// WriteStatic writes the static index of the published articles of locale
// in site as a script that registers it with the engine.
func WriteStatic(w io.Writer, site *content.Site, locale string, opts Options) error {
	if err := opts.check(); err != nil {
		return err
	}
	ix, err := buildStatic(newSource(site, opts), locale)
	if err != nil {
		return err
	}
	key, _ := json.Marshal(locale)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "(function(g){var s=g.helpsiteSearch=g.helpsiteSearch||{};(s.indexes=s.indexes||{})[%s]=", key)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ix); err != nil {
		return fmt.Errorf("search: encoding the %s static index: %w", locale, err)
	}
	bw.WriteString("})(globalThis);\n")
	return bw.Flush()
}

// WriteStaticFiles writes the static indexes of locales (of every
// published locale if locales is nil) into dir, and the engine unless it is
// there already, each file replaced atomically. After Update, pass the
// locales it returned (never nil): only their files change.
func WriteStaticFiles(ctx context.Context, dir string, site *content.Site, locales []string, opts Options) error {
	if locales == nil {
		locales = site.PublishedLocales()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	engine := filepath.Join(dir, EngineFile)
	if old, err := os.ReadFile(engine); err != nil || !bytes.Equal(old, engineJS) {
		err := writeFile(engine, func(w io.Writer) error {
			_, err := w.Write(engineJS)
			return err
		})
		if err != nil {
			return err
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, l := range locales {
		if !validLocale.MatchString(l) {
			return fmt.Errorf("search: locale %q cannot name a file", l)
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			return writeFile(filepath.Join(dir, StaticIndexFile(l)), func(w io.Writer) error {
				return WriteStatic(w, site, l, opts)
			})
		})
	}
	return g.Wait()
}

// writeFile replaces name with what write writes.
func writeFile(name string, write func(io.Writer) error) error {
	if err := atomicfile.Write(name, write); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// staticBuilder analyzes documents into a static index.
type staticBuilder struct {
	stemmed, plain analysis.Analyzer // plain is nil if the language does not stem
	terms          map[string]int    // term → index in postings
	postings       [][]posting
	words          map[string]string // word form → stem
}

// buildStatic builds the static index of a locale.
func buildStatic(src source, locale string) (*staticIndex, error) {
	lang := languageOf(locale)
	m := indexMapping(lang)
	b := &staticBuilder{
		stemmed: m.AnalyzerNamed(lang.analyzer),
		terms:   map[string]int{},
		words:   map[string]string{},
	}
	if lang.hasPlainFields() {
		b.plain = m.AnalyzerNamed(lang.plain)
	}
	if b.stemmed == nil || (lang.hasPlainFields() && b.plain == nil) {
		return nil, fmt.Errorf("search: the analyzers of %s are not registered", locale)
	}
	ix := &staticIndex{Version: staticVersion, Locale: locale, Script: staticScript(lang), Docs: [][]any{}, Paths: [][]any{}, pathKeys: map[string]int{}}
	ids, docs := src.documents(locale)
	for i, d := range docs {
		b.addDocument(i, d)
		text := afterTitle(d.Body)
		_, end := snippetWindow(text, nil)
		ix.Docs = append(ix.Docs, []any{ids[i], d.Title, d.URL, ix.path(d), strings.ReplaceAll(text[:end], "\n", " "),
			len(b.stemmed.Analyze([]byte(d.Title)))})
	}
	b.encode(ix)
	return ix, nil
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

// path returns the index of d's breadcrumb and collections in ix.Paths,
// adding them the first time.
func (ix *staticIndex) path(d document) int {
	key := strings.Join(d.Breadcrumb, "\x00") + "\x01" + strings.Join(d.Collections, "\x00")
	i, ok := ix.pathKeys[key]
	if !ok {
		i = len(ix.Paths)
		ix.pathKeys[key] = i
		ix.Paths = append(ix.Paths, []any{orEmpty(d.Breadcrumb), orEmpty(d.Collections)})
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

// addDocument adds the terms of document doc.
func (b *staticBuilder) addDocument(doc int, d document) {
	uses := map[string]*posting{}
	b.addText(uses, flagTitle, d.Title)
	for _, h := range d.Headings {
		b.addText(uses, flagHeading, h)
	}
	b.addText(uses, flagBody, d.Body)
	for _, term := range slices.Sorted(maps.Keys(uses)) {
		p := uses[term]
		p.doc = doc
		i, ok := b.terms[term]
		if !ok {
			i = len(b.postings)
			b.terms[term] = i
			b.postings = append(b.postings, nil)
		}
		b.postings[i] = append(b.postings[i], *p)
	}
}

// addText records the terms of text with the field flag, and the word
// forms behind the stems.
func (b *staticBuilder) addText(uses map[string]*posting, flag int, text string) {
	tokens := b.stemmed.Analyze([]byte(text))
	for _, t := range tokens {
		p := uses[string(t.Term)]
		if p == nil {
			p = &posting{}
			uses[string(t.Term)] = p
		}
		p.flags |= flag
		if flag == flagBody {
			p.tf++
		}
	}
	if b.plain == nil {
		return
	}
	stems := make(map[int]string, len(tokens))
	for _, t := range tokens {
		stems[t.Start] = string(t.Term)
	}
	for _, t := range b.plain.Analyze([]byte(text)) {
		stem, ok := stems[t.Start]
		if !ok {
			continue // a stop word
		}
		word := string(t.Term)
		b.addWord(word, stem)
		// French and Italian analyzers drop elided articles (l'aide → aide):
		// let the word without them find the stem too.
		if i := strings.LastIndexAny(word, "'’"); i >= 0 {
			_, n := utf8.DecodeRuneInString(word[i:])
			b.addWord(word[i+n:], stem)
		}
	}
}

func (b *staticBuilder) addWord(word, stem string) {
	if _, ok := b.words[word]; !ok && word != stem && word != "" {
		b.words[word] = stem
	}
}

// encode writes the terms, postings and words into ix.
func (b *staticBuilder) encode(ix *staticIndex) {
	terms := slices.SortedFunc(maps.Keys(b.terms), compareUTF16)
	order := make(map[string]int, len(terms))
	var post []byte
	for i, t := range terms {
		order[t] = i
		if i > 0 {
			post = append(post, ',')
		}
		prev := 0
		for _, p := range b.postings[b.terms[t]] {
			post = appendVLQ(post, (p.doc-prev)<<5|tfBucket(p.tf)<<3|p.flags)
			prev = p.doc
		}
	}
	words := slices.SortedFunc(maps.Keys(b.words), compareUTF16)
	var stems []byte
	for _, w := range words {
		stems = appendVLQ(stems, order[b.words[w]])
	}
	ix.Terms = strings.Join(terms, " ")
	ix.Postings = string(post)
	ix.Words = strings.Join(words, " ")
	ix.Stems = string(stems)
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
