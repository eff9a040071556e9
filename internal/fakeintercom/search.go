package fakeintercom

import (
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/helpsite/helpsite/internal/content"
)

// searchArticles answers /articles/search (2.10+): the articles whose
// default locale contains every word of phrase, most recently updated
// first, filtered by state and help center, with highlights on request.
func searchArticles(vw *view, st *store, _ string, q url.Values) ([]byte, *apiError) {
	state := q.Get("state")
	if state != "" && state != "all" && state != string(content.Published) && state != string(content.Draft) {
		return nil, &apiError{status: http.StatusBadRequest, code: "parameter_invalid", field: "state",
			message: "state must be one of published, draft or all"}
	}
	helpCenterID := q.Get("help_center_id")
	if helpCenterID != "" && !isNumber(helpCenterID) {
		return nil, &apiError{status: http.StatusBadRequest, code: "parameter_invalid", field: "help_center_id",
			message: "help_center_id must be an integer"}
	}
	p, err := parsePaging(q, 10)
	if err != nil {
		return nil, err
	}
	words := strings.Fields(strings.ToLower(q.Get("phrase")))
	var found []*content.Article
	for _, a := range st.articlesByUpdated {
		d := a.Translations[a.DefaultLocale]
		switch {
		case state != "" && state != "all" && string(d.State) != state:
		case helpCenterID != "" && (len(a.ParentIDs) == 0 || st.collections[a.ParentIDs[0]].HelpCenterID != helpCenterID):
		case containsAll(strings.ToLower(d.Title+" "+d.Description+" "+plainText(d.Body)), words):
			found = append(found, a)
		}
	}
	p.total = len(found)
	lo, hi := p.bounds()
	page := found[lo:hi]

	w := vw.writer("/articles/search?" + q.Encode())
	w.beginObject()
	w.key("type")
	w.str("list")
	w.key("total_count")
	w.int(int64(p.total))
	w.key("data")
	w.beginObject()
	w.key("articles")
	w.beginArray()
	for _, a := range page {
		vw.article(w, a, true)
	}
	w.endArray()
	w.key("highlights")
	w.beginArray()
	if q.Get("highlight") == "true" {
		for _, a := range page {
			writeHighlights(w, a, words)
		}
	}
	w.endArray()
	w.endObject()
	var lastUpdated int64
	var lastID string
	if len(page) > 0 {
		lastUpdated, lastID = articleKey(page[len(page)-1])
	}
	vw.pages(w, p, "/articles/search", lastUpdated, lastID)
	w.endObject()
	return w.b, nil
}

func containsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// plainText strips the tags of an HTML body and decodes its entities.
func plainText(body string) string {
	var b strings.Builder
	inTag := false
	for _, r := range body {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}

// writeHighlights writes an article_search_highlights object: the title
// and an excerpt around the first match, cut into plain and highlight runs.
func writeHighlights(w *jsonWriter, a *content.Article, words []string) {
	d := a.Translations[a.DefaultLocale]
	w.beginObject()
	w.key("article_id")
	w.str(a.ID)
	w.key("highlighted_title")
	writeRuns(w, d.Title, words)
	w.key("highlighted_summary")
	w.beginArray()
	writeRuns(w, excerpt(plainText(d.Body), words), words)
	w.endArray()
	w.endObject()
}

// excerpt is about 160 bytes of text around the first match of words.
func excerpt(text string, words []string) string {
	at := 0
	lower := strings.ToLower(text)
	for _, w := range words {
		if i := strings.Index(lower, w); i >= 0 && len(lower) == len(text) {
			at = i
			break
		}
	}
	lo, hi := max(0, at-60), min(len(text), at+100)
	for lo > 0 && !startsRune(text[lo]) {
		lo--
	}
	for hi < len(text) && !startsRune(text[hi]) {
		hi++
	}
	return text[lo:hi]
}

func startsRune(b byte) bool { return b&0xc0 != 0x80 }

// writeRuns writes text as an array of {type: plain|highlight, text} runs.
func writeRuns(w *jsonWriter, text string, words []string) {
	w.beginArray()
	lower := strings.ToLower(text)
	if len(lower) != len(text) { // case folding moved the offsets
		lower, words = text, nil
	}
	start := 0
	for i := 0; i < len(text); {
		n := 0
		for _, word := range words {
			if strings.HasPrefix(lower[i:], word) {
				n = max(n, len(word))
			}
		}
		if n == 0 {
			i++
			continue
		}
		writeRun(w, "plain", text[start:i])
		writeRun(w, "highlight", text[i:i+n])
		i += n
		start = i
	}
	writeRun(w, "plain", text[start:])
	w.endArray()
}

func writeRun(w *jsonWriter, kind, text string) {
	if text == "" {
		return
	}
	w.beginObject()
	w.key("type")
	w.str(kind)
	w.key("text")
	w.str(text)
	w.endObject()
}
