package search

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// Handler serves the search API on GET (and HEAD):
//
//	/api/search?q=&locale=&collection=&limit=
//
// It answers JSON Results, 400 with {"error": "..."} for a query that
// cannot run, and 405 for other methods. Results may be cached for a minute.
func Handler(ix *Index) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		p := r.URL.Query()
		q := Query{Q: p.Get("q"), Locale: p.Get("locale"), Collection: p.Get("collection")}
		if s := p.Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 {
				writeError(w, http.StatusBadRequest, ErrBadLimit.Error())
				return
			}
			q.Limit = n
		}
		res, err := ix.Search(r.Context(), q)
		var qe *QueryError
		switch {
		case errors.As(err, &qe):
			writeError(w, http.StatusBadRequest, err.Error())
			return
		case err != nil:
			if r.Context().Err() == nil {
				ix.opts.logger().Error("search failed", "locale", q.Locale, "err", err)
			}
			writeError(w, http.StatusInternalServerError, "search failed")
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=60")
		writeJSON(w, http.StatusOK, res)
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, struct {
		Error string `json:"error"`
	}{msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// An error here means the client went away: there is no one to tell.
	_ = json.NewEncoder(w).Encode(v)
}
