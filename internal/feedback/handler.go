package feedback

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Path is where pages send feedback: the request is a JSON object
// {"article", "locale", "reaction", "comment"?, "id"?, "token"?}.
const Path = "/api/feedback"

// MaxComment is the longest comment accepted, in characters.
const MaxComment = 1000

// maxBody bounds a request's body: a comment of MaxComment characters of
// four bytes each, escaped, and the rest.
const maxBody = 16 << 10

// Catalog says which article pages exist: the live site's plan
// (render.Plan).
type Catalog interface {
	// Article returns the title and root-relative URL of article id's page
	// in locale, and whether it is published there.
	Article(locale, id string) (title, url string, ok bool)
}

// Handler serves Path and the admin report. Its fields must be set before
// it serves.
type Handler struct {
	Store *Store
	// Catalog returns the live site's catalog; nil before the first
	// publish, when feedback is refused with a 503.
	Catalog func() Catalog
	Limiter *Limiter
	Log     *slog.Logger
	// Accepted, Rejected and Limited count requests for /metrics.
	Accepted, Rejected, Limited interface{ Inc() }
}

// request is the body of a POST to Path.
type request struct {
	Article  string `json:"article"`
	Locale   string `json:"locale"`
	Reaction int    `json:"reaction"`
	Comment  string `json:"comment"`
	ID       int64  `json:"id"`
	Token    string `json:"token"`
}

// Post records a reaction: 201 with the record's id and token, 200 when it
// changes one; 400 for a request that is malformed or names no published
// article, 413 for one too large, 429 past the client's rate limit.
func (h *Handler) Post(w http.ResponseWriter, r *http.Request) {
	allowCORS(w)
	if ok, wait := h.Limiter.Allow(ClientAddr(r)); !ok {
		h.Limited.Inc()
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many requests: try again later"})
		return
	}
	req, status, err := h.parse(r)
	if err != nil {
		if status != http.StatusServiceUnavailable {
			h.Rejected.Inc()
		} else {
			w.Header().Set("Retry-After", "5")
		}
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	id, token, err := h.Store.Add(r.Context(), Entry{
		Key: Key{Article: req.Article, Locale: req.Locale}, Reaction: req.Reaction, Comment: req.Comment,
		Client: ClientAddr(r), ID: req.ID, Token: req.Token,
	})
	if errors.Is(err, ErrUnknownRecord) {
		h.Rejected.Inc()
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id and token name no reaction to this article"})
		return
	}
	if err != nil {
		h.Log.Error("feedback: storing a reaction", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the reaction could not be stored"})
		return
	}
	h.Accepted.Inc()
	status = http.StatusCreated
	if req.ID != 0 {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{"id": id, "token": token})
}

// parse reads and checks a request, returning the status of its error.
func (h *Handler) parse(r *http.Request) (request, int, error) {
	var req request
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return req, http.StatusRequestEntityTooLarge, fmt.Errorf("request larger than %d bytes", maxBody)
	}
	if err != nil {
		return req, http.StatusBadRequest, fmt.Errorf("reading the request: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		return req, http.StatusBadRequest, errors.New("the request is not a JSON object {article, locale, reaction, comment}")
	}
	if req.Reaction < Sad || req.Reaction > Happy {
		return req, http.StatusBadRequest, errors.New("reaction must be 1, 2 or 3")
	}
	if !utf8.ValidString(req.Comment) || utf8.RuneCountInString(req.Comment) > MaxComment {
		return req, http.StatusBadRequest, fmt.Errorf("comment must be valid text of at most %d characters", MaxComment)
	}
	req.Comment = PlainText(req.Comment)
	if (req.ID == 0) != (req.Token == "") {
		return req, http.StatusBadRequest, errors.New("id and token go together")
	}
	var catalog Catalog
	if h.Catalog != nil {
		catalog = h.Catalog()
	}
	if catalog == nil {
		return req, http.StatusServiceUnavailable, errors.New("the help site is being built; try again in a moment")
	}
	if _, _, ok := catalog.Article(req.Locale, req.Article); !ok {
		return req, http.StatusBadRequest, errors.New("article and locale name no published article")
	}
	return req, 0, nil
}

// PlainText returns comment without markup: the text of its HTML, without
// the content of elements that hold no text (script, style), control
// characters turned into spaces (but line breaks), trimmed.
func PlainText(comment string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(comment))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(strings.Map(func(r rune) rune {
				if unicode.IsControl(r) && r != '\n' || r == utf8.RuneError {
					return ' '
				}
				return r
			}, b.String()))
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			if name, _ := z.TagName(); rawText[string(name)] {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); rawText[string(name)] && skip > 0 {
				skip--
			}
		}
	}
}

// rawText are the elements whose content is not text a reader sees.
var rawText = map[string]bool{"script": true, "style": true, "template": true, "noscript": true, "iframe": true, "textarea": true, "title": true, "xmp": true, "noembed": true, "noframes": true, "plaintext": true}

// allowCORS lets pages of the site on another host (a static host whose
// feedback.endpoint names this server) send feedback. Requests carry no
// credentials.
func allowCORS(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "86400")
}

// Preflight answers the CORS preflight of a POST to Path.
func (h *Handler) Preflight(w http.ResponseWriter, r *http.Request) {
	allowCORS(w)
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Row is an article page's feedback in the report.
type Row struct {
	Article string `json:"article"`
	Locale  string `json:"locale"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	// Published says the page is on the live site.
	Published bool `json:"published"`
	Total     int  `json:"total"`
	Sad       int  `json:"sad"`
	Neutral   int  `json:"neutral"`
	Happy     int  `json:"happy"`
	// Shares are each reaction's share of Total, 0 to 1.
	SadShare     float64   `json:"sad_share"`
	NeutralShare float64   `json:"neutral_share"`
	HappyShare   float64   `json:"happy_share"`
	Comments     []Comment `json:"comments,omitempty"`
}

// commentsPerPage is how many of a page's newest comments the JSON report
// holds.
const commentsPerPage = 20

// Report serves the feedback of every article page, the worst first (by
// share of sad reactions, then by number): JSON by default, CSV with
// ?format=csv or Accept: text/csv. The caller checks the admin token.
func (h *Handler) Report(w http.ResponseWriter, r *http.Request) {
	rows, err := h.rows(r)
	if err != nil {
		h.Log.Error("feedback: report", "err", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "the report could not be read"})
		return
	}
	if r.URL.Query().Get("format") == "csv" || strings.Contains(r.Header.Get("Accept"), "text/csv") {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="feedback.csv"`)
		w.Header().Set("Cache-Control", "no-store")
		writeCSV(w, rows)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"articles": rows})
}

// rows makes the report.
func (h *Handler) rows(r *http.Request) ([]Row, error) {
	comments, err := h.Store.Comments(r.Context(), commentsPerPage)
	if err != nil {
		return nil, err
	}
	var catalog Catalog
	if h.Catalog != nil {
		catalog = h.Catalog()
	}
	var rows []Row
	for k, c := range h.Store.Counts() {
		total := c.Total()
		if total == 0 {
			continue
		}
		row := Row{Article: k.Article, Locale: k.Locale, Total: total, Sad: c[0], Neutral: c[1], Happy: c[2],
			SadShare: share(c[0], total), NeutralShare: share(c[1], total), HappyShare: share(c[2], total), Comments: comments[k]}
		if catalog != nil {
			row.Title, row.URL, row.Published = catalog.Article(k.Locale, k.Article)
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(b.SadShare, a.SadShare), cmp.Compare(b.Total, a.Total),
			cmp.Compare(a.Article, b.Article), cmp.Compare(a.Locale, b.Locale))
	})
	return rows, nil
}

// share is n/total rounded to three decimals.
func share(n, total int) float64 { return math.Round(float64(n)/float64(total)*1000) / 1000 }

// writeCSV writes rows without comments. A cell that a spreadsheet would
// read as a formula (=, +, -, @) is prefixed with a quote.
func writeCSV(w io.Writer, rows []Row) {
	cw := csv.NewWriter(w)
	cw.Write([]string{"article", "locale", "title", "url", "published", "total", "sad", "neutral", "happy", "sad_share", "neutral_share", "happy_share"})
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	for _, r := range rows {
		cw.Write([]string{r.Article, r.Locale, csvText(r.Title), r.URL, strconv.FormatBool(r.Published),
			strconv.Itoa(r.Total), strconv.Itoa(r.Sad), strconv.Itoa(r.Neutral), strconv.Itoa(r.Happy),
			f(r.SadShare), f(r.NeutralShare), f(r.HappyShare)})
	}
	cw.Flush()
}

func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
