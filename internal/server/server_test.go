package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/helpsite/helpsite/internal/journal"
	"github.com/helpsite/helpsite/internal/metrics"
	"github.com/helpsite/helpsite/internal/sitehttp"
	"github.com/helpsite/helpsite/internal/webhook"
)

type recordingWorker struct {
	rebuilds atomic.Int32
	status   Status
}

func (w *recordingWorker) Rebuild(full bool) { w.rebuilds.Add(1) }
func (w *recordingWorker) Status() Status    { return w.status }

func newServer(t *testing.T) (http.Handler, *journal.Journal, *recordingWorker, *SitePointer) {
	t.Helper()
	j, err := journal.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	v, _ := webhook.NewVerifier("secret")
	log := slog.New(slog.DiscardHandler)
	w := &recordingWorker{}
	var site SitePointer
	h := New(Config{
		Receiver:   &webhook.Receiver{Verifier: v, Recorder: j, Log: log},
		Worker:     w,
		Site:       site.Load,
		Metrics:    metrics.New(),
		AdminToken: "admin",
		Log:        log,
	})
	return h, j, w, &site
}

func do(h http.Handler, method, path string, body []byte, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestWebhookEndpoint(t *testing.T) {
	h, j, _, _ := newServer(t)
	body := []byte(`{"type":"notification_event","id":"notif_1","topic":"article.updated","created_at":1,"data":{"item":{"type":"article","id":"5"}}}`)
	if w := do(h, http.MethodHead, "/webhooks/intercom", nil); w.Code != http.StatusOK {
		t.Errorf("HEAD: %d", w.Code)
	}
	if w := do(h, http.MethodPost, "/webhooks/intercom", body, "X-Hub-Signature", "sha1=00"); w.Code != http.StatusUnauthorized || len(j.Pending()) != 0 {
		t.Errorf("forged: %d, %d recorded", w.Code, len(j.Pending()))
	}
	big := bytes.Repeat([]byte("x"), webhook.MaxBody+1)
	if w := do(h, http.MethodPost, "/webhooks/intercom", big, "X-Hub-Signature", webhook.Sign("secret", big)); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", w.Code)
	}
	if w := do(h, http.MethodPost, "/webhooks/intercom", body, "X-Hub-Signature", webhook.Sign("secret", body)); w.Code != http.StatusOK || len(j.Pending()) != 1 {
		t.Errorf("valid: %d, %d recorded", w.Code, len(j.Pending()))
	}
}

// TestWebhookEnvelopeChecks posts correctly signed notifications whose
// fields have the wrong JSON type: each gets a 400 with a JSON error, and
// none is journaled.
func TestWebhookEnvelopeChecks(t *testing.T) {
	h, j, _, _ := newServer(t)
	envelope := func(topic, createdAt, item string) []byte {
		return []byte(`{"type":"notification_event","id":"notif_1","topic":` + topic + `,"app_id":"a","created_at":` + createdAt +
			`,"data":{"type":"notification_event_data","item":` + item + `}}`)
	}
	cases := map[string][]byte{
		"id an object":          envelope(`"article.updated"`, `1700000000`, `{"type":"article","id":{"id":"5"}}`),
		"id a boolean":          envelope(`"article.updated"`, `1700000000`, `{"type":"article","id":true}`),
		"id null":               envelope(`"article.deleted"`, `1700000000`, `{"type":"article","id":null,"deleted":true}`),
		"id an array":           envelope(`"article.published"`, `1700000000`, `{"type":"article","id":["5"]}`),
		"id a path":             envelope(`"article.created"`, `1700000000`, `{"type":"article","id":"../../etc/passwd"}`),
		"id 300 digits":         envelope(`"article.updated"`, `1700000000`, `{"type":"article","id":"`+strings.Repeat("7", 300)+`"}`),
		"id negative":           envelope(`"article.updated"`, `1700000000`, `{"type":"article","id":-5}`),
		"item an array":         envelope(`"article.updated"`, `1700000000`, `[{"id":"5"}]`),
		"topic a number":        envelope(`42`, `1700000000`, `{"type":"article","id":"5"}`),
		"topic an object":       envelope(`{"name":"article.updated"}`, `1700000000`, `{"type":"article","id":"5"}`),
		"created_at a string":   envelope(`"article.updated"`, `"yesterday"`, `{"type":"article","id":"5"}`),
		"created_at null":       envelope(`"article.updated"`, `null`, `{"type":"article","id":"5"}`),
		"created_at a fraction": envelope(`"article.updated"`, `1700000000.5`, `{"type":"article","id":"5"}`),
	}
	for name, body := range cases {
		w := do(h, http.MethodPost, "/webhooks/intercom", body, "X-Hub-Signature", webhook.Sign("secret", body))
		var answer struct{ Error string }
		if err := json.Unmarshal(w.Body.Bytes(), &answer); err != nil || w.Code != http.StatusBadRequest ||
			!strings.HasPrefix(answer.Error, "malformed notification: ") {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
		if n := len(j.Pending()); n != 0 {
			t.Fatalf("%s: %d notifications journaled", name, n)
		}
	}
	for i, id := range []string{`"5"`, `5`, `"18446744073709551615"`} {
		body := envelope(`"article.updated"`, `1700000000`, `{"type":"article","id":`+id+`}`)
		body = bytes.Replace(body, []byte("notif_1"), fmt.Appendf(nil, "notif_ok%d", i), 1)
		if w := do(h, http.MethodPost, "/webhooks/intercom", body, "X-Hub-Signature", webhook.Sign("secret", body)); w.Code != http.StatusOK {
			t.Errorf("id %s: %d %s", id, w.Code, w.Body)
		}
	}
	if n := len(j.Pending()); n != 3 {
		t.Errorf("%d valid notifications journaled, want 3", n)
	}
}

func TestAdminRebuild(t *testing.T) {
	h, _, w, _ := newServer(t)
	for _, auth := range []string{"", "Bearer wrong", "admin"} {
		if r := do(h, http.MethodPost, "/admin/rebuild", nil, "Authorization", auth); r.Code != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d", auth, r.Code)
		}
	}
	if r := do(h, http.MethodPost, "/admin/rebuild?full=true", nil, "Authorization", "Bearer admin"); r.Code != http.StatusAccepted || w.rebuilds.Load() != 1 {
		t.Errorf("authorized rebuild: %d, %d rebuilds", r.Code, w.rebuilds.Load())
	}
}

func TestHealthReadinessAndSite(t *testing.T) {
	h, _, w, site := newServer(t)
	if r := do(h, http.MethodGet, "/healthz", nil); r.Code != http.StatusOK {
		t.Errorf("healthz %d", r.Code)
	}
	if r := do(h, http.MethodGet, "/readyz", nil); r.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz before a publish: %d", r.Code)
	}
	if r := do(h, http.MethodGet, "/en/", nil); r.Code != http.StatusServiceUnavailable {
		t.Errorf("site before a publish: %d", r.Code)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "en"), 0o755)
	os.WriteFile(filepath.Join(dir, "en", "index.html"), []byte("<h1>Help</h1>"), 0o644)
	s, _ := sitehttp.Open(dir)
	site.Store(s)
	w.status = Status{Ready: true, LastError: "build failed: boom"}
	if r := do(h, http.MethodGet, "/readyz", nil); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "boom") {
		t.Errorf("readyz after a publish and a failed build: %d %s", r.Code, r.Body)
	}
	if r := do(h, http.MethodGet, "/en/", nil); r.Code != http.StatusOK || r.Body.String() != "<h1>Help</h1>" {
		t.Errorf("site: %d %q", r.Code, r.Body)
	}
	if r := do(h, http.MethodGet, "/metrics", nil); r.Code != http.StatusOK || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/plain") {
		t.Errorf("metrics: %d %s", r.Code, r.Header())
	}
}

// failingRecorder cannot record anything, like a journal on a full disk.
type failingRecorder struct{}

func (failingRecorder) Append(journal.Record) (journal.Record, error) {
	return journal.Record{}, errors.New("disk full")
}

// TestNotReadyIsNotAnError checks that the 503s of a server that has not
// published yet (/readyz, pages) say when to retry and are not logged as
// errors, while a 503 that needs a person (a notification that cannot be
// journaled) is.
func TestNotReadyIsNotAnError(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	v, _ := webhook.NewVerifier("secret")
	var site SitePointer
	h := New(Config{
		Receiver: &webhook.Receiver{Verifier: v, Recorder: failingRecorder{}, Log: log},
		Worker:   &recordingWorker{},
		Site:     site.Load,
		Metrics:  metrics.New(),
		Log:      log,
	})
	for _, path := range []string{"/readyz", "/en/"} {
		w := do(h, http.MethodGet, path, nil)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s before the first publish: %d, Retry-After %q", path, w.Code, w.Header().Get("Retry-After"))
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "path=/readyz status=503") {
		t.Errorf("a server not ready yet logged:\n%s", logs.String())
	}
	logs.Reset()
	body := []byte(`{"type":"notification_event","id":"notif_1","topic":"article.updated","created_at":1,"data":{"item":{"type":"article","id":"5"}}}`)
	if w := do(h, http.MethodPost, "/webhooks/intercom", body, "X-Hub-Signature", webhook.Sign("secret", body)); w.Code != http.StatusServiceUnavailable {
		t.Errorf("a notification that cannot be journaled: %d", w.Code)
	}
	if !strings.Contains(logs.String(), `level=ERROR msg="webhook not recorded"`) || !strings.Contains(logs.String(), "level=ERROR msg=http") {
		t.Errorf("a notification that cannot be journaled logged:\n%s", logs.String())
	}
}

func TestAdminRebuildDisabledWithoutToken(t *testing.T) {
	w := &recordingWorker{}
	h := New(Config{Worker: w, Site: (&SitePointer{}).Load, Metrics: metrics.New(), Log: slog.New(slog.DiscardHandler)})
	r := do(h, http.MethodPost, "/admin/rebuild", nil, "Authorization", "Bearer ")
	if r.Code != http.StatusForbidden || !strings.Contains(r.Body.String(), "disabled") || !strings.Contains(r.Body.String(), "HELPSITE_ADMIN_TOKEN") || w.rebuilds.Load() != 0 {
		t.Errorf("without an admin token: %d %s, %d rebuilds", r.Code, r.Body, w.rebuilds.Load())
	}
}
