package webhook

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/helpsite/helpsite/internal/journal"
)

const secret = "s3cret"

func notification(id, topic, item string) []byte {
	idJSON := "null"
	if id != "" {
		idJSON = fmt.Sprintf("%q", id)
	}
	return []byte(fmt.Sprintf(`{"type":"notification_event","id":%s,"topic":%q,"app_id":"abc","created_at":1700000000,
	  "delivery_attempts":1,"first_sent_at":1700000000,"data":{"type":"notification_event_data","item":%s}}`, idJSON, topic, item))
}

func newReceiver(t *testing.T, secrets ...string) (*Receiver, *journal.Journal) {
	t.Helper()
	j, err := journal.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	v, err := NewVerifier(secrets...)
	if err != nil {
		t.Fatal(err)
	}
	return &Receiver{Verifier: v, Recorder: j, Log: slog.New(slog.DiscardHandler)}, j
}

func TestReceive(t *testing.T) {
	r, j := newReceiver(t, secret)
	article := `{"type":"article","id":"42","title":"Hi"}`
	body := notification("notif_1", "article.updated", article)
	cases := []struct {
		name    string
		body    []byte
		sig     string
		status  int
		pending int
	}{
		{"missing signature", body, "", http.StatusUnauthorized, 0},
		{"wrong secret", body, Sign("other", body), http.StatusUnauthorized, 0},
		{"forged body", []byte(string(body) + " "), Sign(secret, body), http.StatusUnauthorized, 0},
		{"not hex", body, "sha1=zz", http.StatusUnauthorized, 0},
		{"sha256 scheme", body, "sha256=" + Sign(secret, body)[5:], http.StatusUnauthorized, 0},
		{"malformed", []byte(`{"type":`), Sign(secret, []byte(`{"type":`)), http.StatusBadRequest, 0},
		{"no article id", notification("notif_x", "article.updated", `{"type":"article"}`), Sign(secret, notification("notif_x", "article.updated", `{"type":"article"}`)), http.StatusBadRequest, 0},
		{"ping", notification("", "ping", `{}`), Sign(secret, notification("", "ping", `{}`)), http.StatusOK, 0},
		{"unknown topic", notification("notif_2", "contact.created", `{}`), Sign(secret, notification("notif_2", "contact.created", `{}`)), http.StatusOK, 0},
		{"valid", body, Sign(secret, body), http.StatusOK, 1},
		{"duplicate", body, Sign(secret, body), http.StatusOK, 1},
		{"deleted", notification("notif_3", "article.deleted", `{"type":"article","id":"42","deleted":true}`), Sign(secret, notification("notif_3", "article.deleted", `{"type":"article","id":"42","deleted":true}`)), http.StatusOK, 2},
	}
	for _, c := range cases {
		status, _ := r.Receive(c.body, c.sig)
		if status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, status, c.status)
		}
		if n := len(j.Pending()); n != c.pending {
			t.Errorf("%s: %d recorded, want %d", c.name, n, c.pending)
		}
	}
	if r.Duplicates.Load() != 1 || r.Rejected.Load() != 7 {
		t.Errorf("duplicates %d, rejected %d", r.Duplicates.Load(), r.Rejected.Load())
	}
}

func TestRotatedSecrets(t *testing.T) {
	r, _ := newReceiver(t, "old", "new")
	body := notification("notif_9", "article.created", `{"type":"article","id":"1"}`)
	for _, s := range []string{"old", "new"} {
		if !r.Verifier.Verify(body, Sign(s, body)) {
			t.Errorf("secret %q not accepted", s)
		}
	}
	if _, err := NewVerifier(" ", ""); err == nil {
		t.Error("NewVerifier accepted no secret")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(notification("n", "article.updated", `{"id":1}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := Parse(body)
		if err == nil && env.Topic == "" {
			t.Fatal("parsed an envelope without a topic")
		}
	})
}
