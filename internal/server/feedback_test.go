package server

import (
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/feedback"
	"github.com/helpsite/helpsite/internal/metrics"
)

type onePage struct{}

func (onePage) Article(locale, id string) (string, string, bool) {
	return "Welcome", "/en/articles/1-welcome/", locale == "en" && id == "1"
}

type nopCounter struct{}

func (nopCounter) Inc() {}

// TestFeedbackRoutes checks the feedback routes: the report needs the
// admin token (403 without one configured, 401 without the right one),
// feedback waits for the first publish, CORS preflights are answered, and
// the admin page is served with a policy of its own.
func TestFeedbackRoutes(t *testing.T) {
	store, err := feedback.Open(context.Background(), filepath.Join(t.TempDir(), "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var catalog feedback.Catalog
	fb := &feedback.Handler{Store: store, Catalog: func() feedback.Catalog { return catalog },
		Limiter: &feedback.Limiter{Burst: 100, Every: time.Second}, Log: slog.New(slog.DiscardHandler),
		Accepted: nopCounter{}, Rejected: nopCounter{}, Limited: nopCounter{}}
	serve := func(token string) http.Handler {
		return New(Config{Worker: &recordingWorker{}, Site: (&SitePointer{}).Load, Metrics: metrics.New(),
			Feedback: fb, AdminToken: token, Log: slog.New(slog.DiscardHandler)})
	}
	h := serve("admin")
	body := []byte(`{"article":"1","locale":"en","reaction":2}`)
	if w := do(h, http.MethodPost, feedback.Path, body); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("before the first publish: %d", w.Code)
	}
	catalog = onePage{}
	if w := do(h, http.MethodPost, feedback.Path, body); w.Code != http.StatusCreated || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("post: %d %s", w.Code, w.Body)
	}
	if w := do(h, http.MethodOptions, feedback.Path, nil, "Origin", "https://static.example.com", "Access-Control-Request-Method", "POST"); w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Headers") != "Content-Type" {
		t.Errorf("preflight: %d %v", w.Code, w.Header())
	}
	if w := do(h, http.MethodGet, "/admin/feedback", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("report without a token: %d", w.Code)
	}
	if w := do(h, http.MethodGet, "/admin/feedback", nil, "Authorization", "Bearer nope"); w.Code != http.StatusUnauthorized {
		t.Errorf("report with a wrong token: %d", w.Code)
	}
	if w := do(h, http.MethodGet, "/admin/feedback?format=csv", nil, "Authorization", "Bearer admin"); w.Code != http.StatusOK ||
		!strings.Contains(w.Body.String(), "1,en,Welcome,/en/articles/1-welcome/,true,1,0,1,0,0.000,1.000,0.000") {
		t.Errorf("report: %d %s", w.Code, w.Body)
	}
	if w := do(serve(""), http.MethodGet, "/admin/feedback", nil, "Authorization", "Bearer "); w.Code != http.StatusForbidden {
		t.Errorf("report with no admin token configured: %d", w.Code)
	}
	w := do(h, http.MethodGet, feedback.AdminPagePath, nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<script src="/admin/feedback/admin.js" defer>`) ||
		!strings.Contains(w.Header().Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("admin page: %d %v", w.Code, w.Header())
	}
	if w := do(h, http.MethodGet, feedback.AdminPagePath+"admin.js", nil); w.Code != http.StatusOK {
		t.Errorf("admin script: %d", w.Code)
	}
}
