package search

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	h := Handler(buildIndex(t, miniSite()))
	get := func(method, query string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, "/api/search?"+query, nil))
		return w
	}

	w := get(http.MethodGet, "q=pasword&locale=en&limit=5")
	var res struct {
		Query   string `json:"query"`
		Locale  string `json:"locale"`
		Total   int    `json:"total"`
		Results []struct {
			Title      string   `json:"title"`
			URL        string   `json:"url"`
			Snippet    string   `json:"snippet"`
			Breadcrumb []string `json:"breadcrumb"`
			Score      float64  `json:"score"`
		} `json:"results"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != http.StatusOK {
		t.Fatalf("GET: %d %s (%v)", w.Code, w.Body, err)
	}
	if res.Query != "pasword" || res.Locale != "en" || res.Total != 1 || len(res.Results) != 1 ||
		res.Results[0].URL != "/en/articles/1-article/" || !strings.Contains(res.Results[0].Snippet, "<mark>") ||
		len(res.Results[0].Breadcrumb) != 2 || res.Results[0].Score <= 0 {
		t.Errorf("GET: %s", w.Body)
	}
	if ct, cc := w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"); !strings.HasPrefix(ct, "application/json") || !strings.Contains(cc, "max-age=") {
		t.Errorf("GET: Content-Type %q, Cache-Control %q", ct, cc)
	}

	for _, query := range []string{
		"locale=en",
		"q=&locale=en",
		"q=" + strings.Repeat("x", 10<<10) + "&locale=en",
		"q=password&locale=xx",
		"q=password",
		"q=password&locale=en&limit=ten",
		"q=password&locale=en&limit=0",
		"q=password&locale=en&limit=1000",
		"q=" + url.QueryEscape("pass\x00word") + "&locale=en",
		"q=%ff%fe&locale=en",
	} {
		w := get(http.MethodGet, query)
		var body struct{ Error string }
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusBadRequest || body.Error == "" {
			t.Errorf("%.60s: %d %.100s, want 400 with an error", query, w.Code, w.Body)
		}
	}

	for _, q := range []string{`title:password`, `password AND NOT reset`, `*:*`, `{"match_all":{}}`, `pass*`} {
		if w := get(http.MethodGet, "q="+url.QueryEscape(q)+"&locale=en"); w.Code != http.StatusOK {
			t.Errorf("%s: %d %s, want 200", q, w.Code, w.Body)
		}
	}

	if w := get(http.MethodPost, "q=password&locale=en"); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") == "" {
		t.Errorf("POST: %d, Allow %q, want 405 with Allow", w.Code, w.Header().Get("Allow"))
	}
}
