package server

import (
	"bytes"
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

func TestAdminRebuildDisabledWithoutToken(t *testing.T) {
	w := &recordingWorker{}
	h := New(Config{Worker: w, Site: (&SitePointer{}).Load, Metrics: metrics.New(), Log: slog.New(slog.DiscardHandler)})
	r := do(h, http.MethodPost, "/admin/rebuild", nil, "Authorization", "Bearer ")
	if r.Code != http.StatusForbidden || !strings.Contains(r.Body.String(), "disabled") || !strings.Contains(r.Body.String(), "HELPSITE_ADMIN_TOKEN") || w.rebuilds.Load() != 0 {
		t.Errorf("without an admin token: %d %s, %d rebuilds", r.Code, r.Body, w.rebuilds.Load())
	}
}
