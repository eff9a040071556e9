package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Query is one search.
type Query struct {
	// Q is the text the visitor typed. Its last word is also matched as a
	// prefix, for search as you type.
	Q string
	// Locale is the locale to search, one of Index.Locales.
	Locale string
	// Collection, if set, keeps the articles in that collection or below it.
	Collection string
	// Limit is the most results to return: DefaultLimit if zero, at most
	// MaxLimit.
	Limit int
}

// Limits on queries.
const (
	MaxQueryBytes = 256
	DefaultLimit  = 10
	MaxLimit      = 50
	// maxTerms is how many words of a query are searched.
	maxTerms   = 16
	maxIDBytes = 64
)

// A QueryError reports a query that cannot run; the API answers it with 400.
type QueryError struct {
	Reason string
}

func (e *QueryError) Error() string { return "search: " + e.Reason }

// The query errors Search returns, possibly wrapped with detail.
var (
	ErrEmptyQuery    = &QueryError{"empty query"}
	ErrQueryTooLong  = &QueryError{fmt.Sprintf("query longer than %d bytes", MaxQueryBytes)}
	ErrInvalidQuery  = &QueryError{"query is not valid text"}
	ErrUnknownLocale = &QueryError{"unknown locale"}
	ErrBadCollection = &QueryError{"invalid collection id"}
	ErrBadLimit      = &QueryError{fmt.Sprintf("limit must be between 1 and %d", MaxLimit)}
)

// Results are the answer to a Query.
type Results struct {
	Query  string `json:"query"`
	Locale string `json:"locale"`
	// Total counts every matching article, not only those returned.
	Total   uint64   `json:"total"`
	Results []Result `json:"results"`
}

// Result is one article found.
type Result struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
	// Snippet is HTML: escaped text with the matches in <mark>.
	Snippet    string   `json:"snippet"`
	Breadcrumb []string `json:"breadcrumb"`
	Score      float64  `json:"score"`
}

// Boosts of the fields, and of the kinds of match relative to a match of
// the stemmed word: title matches come first.
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{fieldTitle, 8},
	{fieldHeadings, 2},
	{fieldBody, 1},
}

// A match of the plain form counts plainBoost divided by one plus the
// number of typos; a match of a term the last word starts, prefixBoost.
const (
	plainBoost  = 0.5
	prefixBoost = 0.4
)

// Search runs q. It returns a *QueryError for a query that cannot run.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	text, err := checkQuery(q)
	if err != nil {
		return nil, err
	}
	locale, idx, ok := ix.findLocale(q.Locale)
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownLocale, q.Locale)
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	res := &Results{Query: text, Locale: locale, Results: []Result{}}
	lang := languageOf(locale)
	terms, err := queryTerms(idx, lang, text)
	if err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return res, nil // only punctuation
	}
	var match query.Query = matchQuery(lang, terms)
	if q.Collection != "" {
		c := bleve.NewTermQuery(q.Collection)
		c.SetField(fieldCollections)
		match = bleve.NewConjunctionQuery(match, c)
	}
	req := bleve.NewSearchRequestOptions(match, limit, 0, false)
	req.Fields = []string{fieldTitle, fieldURL, fieldBreadcrumb, fieldBody}
	sr, err := idx.SearchInContext(ctx, req)
	if err == nil {
		err = addLocations(ctx, idx, match, sr.Hits)
	}
	if err != nil {
		return nil, fmt.Errorf("search: %s %q: %w", locale, text, err)
	}
	res.Total = sr.Total
	for _, hit := range sr.Hits {
		res.Results = append(res.Results, result(hit))
	}
	return res, nil
}

// addLocations sets where match matched in each hit, for snippets. Ranking
// every match reads no term locations: those of the common words of every
// article would make most of its cost. A second search over the hits alone
// gets them.
func addLocations(ctx context.Context, idx bleve.Index, match query.Query, hits blevesearch.DocumentMatchCollection) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, hit := range hits {
		ids[i] = hit.ID
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(bleve.NewDocIDQuery(ids), match), len(ids), 0, false)
	req.IncludeLocations = true
	req.Score = "none"
	located, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	locations := make(map[string]blevesearch.FieldTermLocationMap, len(located.Hits))
	for _, hit := range located.Hits {
		locations[hit.ID] = hit.Locations
	}
	for _, hit := range hits {
		hit.Locations = locations[hit.ID]
	}
	return nil
}

// checkQuery validates q and returns its text, trimmed.
func checkQuery(q Query) (string, error) {
	text := strings.TrimSpace(q.Q)
	switch {
	case len(q.Q) > MaxQueryBytes:
		return "", ErrQueryTooLong
	case !utf8.ValidString(text) || strings.ContainsFunc(text, unicode.IsControl):
		return "", ErrInvalidQuery
	case text == "":
		return "", ErrEmptyQuery
	case len(q.Collection) > maxIDBytes || strings.ContainsFunc(q.Collection, unicode.IsControl):
		return "", ErrBadCollection
	case q.Limit < 0 || q.Limit > MaxLimit:
		return "", ErrBadLimit
	}
	return text, nil
}

// findLocale returns the index of locale, matched without regard to case
// (pt-br finds pt-BR), and the locale as indexed.
func (ix *Index) findLocale(locale string) (string, bleve.Index, bool) {
	if idx, ok := ix.locale(locale); ok {
		return locale, idx, true
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for l, idx := range ix.locales {
		if strings.EqualFold(l, locale) {
			return l, idx, true
		}
	}
	return "", nil, false
}

// A queryTerm is one word of a query: as the stemming analyzer sees it
// ("" for a stop word), as the plain analyzer does (lowercased, accents
// folded), and the plain terms of the index it stands for.
type queryTerm struct {
	stem, plain string
	variants    []variant
}

// A variant is a plain term a query word stands for: itself (exact), a
// term within a typo or two, or for the word being typed, a term it starts.
// Its boost is relative to a match of the stem.
type variant struct {
	term  string
	boost float64
	exact bool
}

// maxVariants is how many terms a typo or a prefix may stand for; the
// commonest win.
const maxVariants = 10

// queryTerms returns the distinct words of text, the last word last, at
// most maxTerms of them (the last ones), with their variants from the
// index's dictionary.
func queryTerms(idx bleve.Index, lang language, text string) ([]queryTerm, error) {
	m := idx.Mapping()
	stemmed := m.AnalyzerNamed(lang.analyzer)
	plain := stemmed
	if lang.hasPlainFields() {
		plain = m.AnalyzerNamed(lang.plain)
	}
	if stemmed == nil || plain == nil {
		return nil, fmt.Errorf("search: the analyzers of %s are not registered", lang.name)
	}
	ii, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := ii.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return nil, fmt.Errorf("search: the index reader is a %T, which cannot match typos", r)
	}
	// The body holds the whole article: its dictionary has every term.
	field := plainField(lang, fieldBody)
	if lang.cjk() {
		if text, err = unswapCJK(r, field, plain, text); err != nil {
			return nil, err
		}
	}

	stems := map[int]string{} // by start offset
	for _, t := range stemmed.Analyze([]byte(text)) {
		stems[t.Start] = string(t.Term)
	}
	tokens := plain.Analyze([]byte(text))
	if lang.cjk() {
		tokens = thinBigrams(tokens)
	}
	var terms []queryTerm
	for _, t := range tokens {
		qt := queryTerm{plain: string(t.Term), stem: stems[t.Start]}
		terms = slices.DeleteFunc(terms, func(o queryTerm) bool { return o.plain == qt.plain })
		terms = append(terms, qt)
	}
	terms = terms[max(0, len(terms)-maxTerms):]

	for i := range terms {
		t := &terms[i]
		if k := fuzziness(t.plain); k > 0 {
			d, err := fr.FieldDictFuzzy(field, t.plain, k, "")
			if err != nil {
				return nil, err
			}
			if err := t.addVariants(d, func(e *index.DictEntry) float64 { return plainBoost / float64(1+e.EditDistance) }); err != nil {
				return nil, err
			}
			if err := t.addSwaps(r, fr, field, k); err != nil {
				return nil, err
			}
		} else {
			t.variants = append(t.variants, variant{t.plain, plainBoost, true})
		}
		if i == len(terms)-1 && utf8.RuneCountInString(t.plain) >= minPrefix(lang) {
			d, err := r.FieldDictPrefix(field, []byte(t.plain))
			if err != nil {
				return nil, err
			}
			if err := t.addVariants(d, func(*index.DictEntry) float64 { return prefixBoost }); err != nil {
				return nil, err
			}
		}
	}
	return terms, nil
}

// addVariants adds the terms of d to t's variants, with the boost the
// function gives them: the maxVariants best, the commonest first among
// equals. It closes d.
func (t *queryTerm) addVariants(d index.FieldDict, boost func(*index.DictEntry) float64) error {
	defer d.Close()
	type candidate struct {
		variant
		count uint64
	}
	var found []candidate
	for {
		e, err := d.Next()
		if err != nil {
			return err
		}
		if e == nil {
			break
		}
		found = append(found, candidate{variant{e.Term, boost(e), e.Term == t.plain}, e.Count})
	}
	slices.SortStableFunc(found, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.boost, a.boost), cmp.Compare(b.count, a.count))
	})
	for _, c := range found[:min(len(found), maxVariants)] {
		i := slices.IndexFunc(t.variants, func(v variant) bool { return v.term == c.term })
		switch {
		case i < 0:
			t.variants = append(t.variants, c.variant)
		case t.variants[i].boost < c.boost:
			t.variants[i].boost = c.boost
		}
	}
	return nil
}

// addSwaps adds to t's variants the terms within k typos of it when two
// neighbouring letters swapped count as one typo (Damerau), which bleve's
// Levenshtein automata do not count: the terms t is with one such swap,
// and for k = 2, unless t is a typo away from a term, those within a typo
// of them (an automaton per swap: too dear for every word). A word the
// index has is taken as written, as the static engine does.
func (t *queryTerm) addSwaps(r index.IndexReader, fr index.IndexReaderFuzzy, field string, k int) error {
	if slices.ContainsFunc(t.variants, func(v variant) bool { return v.exact }) {
		return nil
	}
	add := func(d index.FieldDict, err error) error {
		if err != nil {
			return err
		}
		return t.addVariants(d, func(e *index.DictEntry) float64 { return plainBoost / float64(2+e.EditDistance) })
	}
	swapped := swaps(t.plain)
	for _, s := range swapped {
		if err := add(r.FieldDictRange(field, []byte(s), []byte(s))); err != nil {
			return err
		}
	}
	if k < 2 || slices.ContainsFunc(t.variants, func(v variant) bool { return v.boost >= plainBoost/2 }) {
		return nil
	}
	for _, s := range swapped {
		if err := add(fr.FieldDictFuzzy(field, s, k-1, "")); err != nil {
			return err
		}
	}
	return nil
}

// swaps returns the words that s is with two different neighbouring
// letters swapped.
func swaps(s string) []string {
	r := []rune(s)
	var out []string
	for i := 0; i+1 < len(r); i++ {
		if r[i] != r[i+1] {
			r[i], r[i+1] = r[i+1], r[i]
			out = append(out, string(r))
			r[i], r[i+1] = r[i+1], r[i]
		}
	}
	return out
}

// unswapCJK returns text with each run of CJK bigrams that has one the
// body's dictionary lacks fixed by the first swap of two neighbouring
// characters that makes all its bigrams known: CJK words are too short
// for typos, but a swapped pair is a common slip. The static engine's
// unswapCJK does the same.
func unswapCJK(r index.IndexReader, field string, plain analysis.Analyzer, text string) (string, error) {
	known := func(s string) (bool, error) {
		for _, t := range plain.Analyze([]byte(s)) {
			tfr, err := r.TermFieldReader(context.Background(), t.Term, field, false, false, false)
			if err != nil {
				return false, err
			}
			n := tfr.Count()
			tfr.Close()
			if n == 0 {
				return false, nil
			}
		}
		return true, nil
	}
	type run struct{ start, end int }
	var runs []run
	for _, t := range plain.Analyze([]byte(text)) {
		if t.Type != analysis.Double {
			continue
		}
		if n := len(runs); n > 0 && t.Start < runs[n-1].end {
			runs[n-1].end = t.End
		} else {
			runs = append(runs, run{t.Start, t.End})
		}
	}
	for i := len(runs) - 1; i >= 0; i-- {
		part := text[runs[i].start:runs[i].end]
		ok, err := known(part)
		if err != nil || ok {
			if err != nil {
				return "", err
			}
			continue
		}
		for _, swapped := range swaps(part) {
			ok, err := known(swapped)
			if err != nil {
				return "", err
			}
			if ok {
				text = text[:runs[i].start] + swapped + text[runs[i].end:]
				break
			}
		}
	}
	return text, nil
}

// thinBigrams drops each CJK bigram that overlaps both its neighbours
// (of ABCDE, BC): every character stays covered, by half as many terms to
// search.
func thinBigrams(tokens analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, t := range tokens {
		overlapsKept := len(out) > 0 && t.Type == analysis.Double && t.Start < out[len(out)-1].End
		overlapsNext := i+1 < len(tokens) && tokens[i+1].Type == analysis.Double && tokens[i+1].Start < t.End
		if !overlapsKept || !overlapsNext {
			out = append(out, t)
		}
	}
	return out
}

// plainField returns the field that holds the plain terms of field.
func plainField(lang language, field string) string {
	if lang.hasPlainFields() {
		return field + plainSuffix
	}
	return field
}

// matchQuery builds the query for terms, from parts, never parsed, so that
// no query syntax reaches bleve.
//
// Bleve scores a disjunction by the sum of its matching clauses times the
// share of clauses that match, so the shape of the query is its ranking:
// the query is a disjunction of its terms (articles that match more of them
// come first); a term, a disjunction of the three fields (one match in the
// title outweighs several in the body); a field, a disjunction of the stem
// and of the variants of the plain form.
func matchQuery(lang language, terms []queryTerm) *query.DisjunctionQuery {
	term := func(term, field string, boost float64) query.Query {
		q := bleve.NewTermQuery(term)
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	onlyStopWords := !slices.ContainsFunc(terms, func(t queryTerm) bool { return t.stem != "" })
	var termQueries []query.Query
	for _, t := range terms {
		var fieldQueries []query.Query
		for _, f := range fieldBoosts {
			var parts []query.Query
			if t.stem != "" {
				parts = append(parts, term(t.stem, f.field, f.boost))
			}
			var variants []query.Query
			for _, v := range t.variants {
				if v.exact && skipExact(lang, t, f.field, onlyStopWords) {
					continue
				}
				variants = append(variants, term(v.term, plainField(lang, f.field), f.boost*v.boost))
			}
			if len(variants) > 0 {
				parts = append(parts, bleve.NewDisjunctionQuery(variants...))
			}
			if len(parts) > 0 {
				fieldQueries = append(fieldQueries, bleve.NewDisjunctionQuery(parts...))
			}
		}
		if len(fieldQueries) > 0 {
			termQueries = append(termQueries, bleve.NewDisjunctionQuery(fieldQueries...))
		}
	}
	return bleve.NewDisjunctionQuery(termQueries...)
}

// skipExact reports whether a field does without the exact plain form of
// query term t. Where the plain form is the stem (no *_plain fields), it
// would count twice. The body, the longest field, skips it when the term has
// a stem, which reads nearly the same postings, and when the term is a stop
// word among other words: a stop word in the body says little, but one in a
// title says which of similar titles was typed.
func skipExact(lang language, t queryTerm, field string, onlyStopWords bool) bool {
	switch {
	case !lang.hasPlainFields():
		return t.stem != ""
	case field == fieldBody:
		return t.stem != "" || !onlyStopWords
	}
	return false
}

// fuzziness returns the edit distance a word is matched within: none below
// four letters, one up to seven, two from eight.
func fuzziness(term string) int {
	switch n := utf8.RuneCountInString(term); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// minPrefix is the shortest word matched as a prefix: two letters, but one
// CJK character, which is a word of its own.
func minPrefix(lang language) int {
	if lang.cjk() {
		return 1
	}
	return 2
}

// result turns a bleve hit into a Result.
func result(hit *blevesearch.DocumentMatch) Result {
	return Result{
		ID:         hit.ID,
		Title:      stringField(hit.Fields[fieldTitle]),
		URL:        stringField(hit.Fields[fieldURL]),
		Snippet:    hitSnippet(hit),
		Breadcrumb: stringsField(hit.Fields[fieldBreadcrumb]),
		Score:      hit.Score,
	}
}

// hitSnippet returns the snippet of a hit: around the matches in the body
// after its title line, or its start.
func hitSnippet(hit *blevesearch.DocumentMatch) string {
	body := stringField(hit.Fields[fieldBody])
	text := afterTitle(body)
	offset := len(body) - len(text)
	var spans []span
	for _, s := range matchSpans(hit, fieldBody) {
		if s.start >= offset {
			spans = append(spans, span{s.start - offset, s.end - offset})
		}
	}
	return snippet(text, spans)
}

// matchSpans returns where the query matched field, in it or its plain twin
// (same text, same offsets).
func matchSpans(hit *blevesearch.DocumentMatch, field string) []span {
	var spans []span
	for _, f := range []string{field, field + plainSuffix} {
		for _, locs := range hit.Locations[f] {
			for _, l := range locs {
				spans = append(spans, span{int(l.Start), int(l.End)})
			}
		}
	}
	return spans
}

func stringField(v any) string {
	s, _ := v.(string)
	return s
}

// stringsField reads a stored array field, which bleve returns as a string
// when it has one element.
func stringsField(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		s := make([]string, 0, len(v))
		for _, e := range v {
			s = append(s, stringField(e))
		}
		return s
	}
	return nil
}
