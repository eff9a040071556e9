package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/helpsite/helpsite/internal/fakeintercom"

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

func TestParseChecksTypes(t *testing.T) {
	withItemID := func(id string) []byte {
		return notification("n1", "article.updated", `{"type":"article","id":`+id+`,"title":"Hi"}`)
	}
	accepted := []struct {
		body []byte
		id   string
	}{
		{withItemID(`"42"`), "42"},
		{withItemID(`42`), "42"},
		{withItemID(`"18446744073709551615"`), "18446744073709551615"},
		{withItemID(`99999999999999999999`), "99999999999999999999"}, // 20 digits, beyond a float's precision
		{notification("", "ping", `{"type":"ping","message":"hi"}`), ""},
		{notification("n2", "contact.created", `{"id":{"any":"thing"}}`), ""}, // ignored topics are not checked
	}
	for _, c := range accepted {
		env, err := Parse(c.body)
		if err != nil {
			t.Errorf("%s: %v", c.body, err)
			continue
		}
		if env.ArticleID != c.id {
			t.Errorf("%s: article id %q, want %q", c.body, env.ArticleID, c.id)
		}
	}
	envelope := func(topic, createdAt, item string) []byte {
		return []byte(`{"type":"notification_event","id":"n","topic":` + topic + `,"created_at":` + createdAt + `,"data":{"item":` + item + `}}`)
	}
	rejected := []struct {
		body []byte
		want string // in the error
	}{
		{withItemID(`{"id":"1"}`), "not an object"},
		{withItemID(`true`), "not a boolean"},
		{withItemID(`null`), "not null"},
		{withItemID(`["1"]`), "not an array"},
		{withItemID(`""`), `not the string ""`},
		{withItemID(`"12a"`), `not the string "12a"`},
		{withItemID(`"../../etc"`), "not the string"},
		{withItemID(`"1\n2"`), "not the string"},
		{withItemID(`-1`), "not the number -1"},
		{withItemID(`1.5`), "not the number 1.5"},
		{withItemID(`1e3`), "not the number 1e3"},
		{withItemID(`"` + strings.Repeat("9", 21) + `"`), "not the string"},
		{withItemID(strings.Repeat("9", 300)), "not a number of 300 characters"},
		{notification("n", "article.updated", `{"type":"article"}`), "has no id"},
		{notification("n", "article.updated", `[{"id":"1"}]`), "data.item is array, want an object"},
		{notification("n", "article.updated", `"1"`), "data.item is string, want an object"},
		{notification("n", "article.deleted", `null`), "has no id"},
		{envelope(`{"t":1}`, `1700000000`, `{"id":"1"}`), "topic is object, want a string"},
		{envelope(`7`, `1700000000`, `{"id":"1"}`), "topic is number, want a string"},
		{envelope(`null`, `1700000000`, `{"id":"1"}`), "no topic"},
		{envelope(`"article.updated"`, `"1700000000"`, `{"id":"1"}`), "created_at is string, want a whole number"},
		{envelope(`"article.updated"`, `null`, `{"id":"1"}`), "created_at is missing"},
		{envelope(`"article.updated"`, `1.5`, `{"id":"1"}`), "created_at is number 1.5, want a whole number"},
		{envelope(`"ping"`, `true`, `{}`), "created_at is bool"},
		{[]byte(`{"type":"notification_event","id":"n","topic":"ping","data":{}}`), "created_at is missing"},
		{[]byte(`{"type":"notification_event","id":5,"topic":"ping","created_at":1,"data":{}}`), "id is number, want a string"},
		{envelope(`"`+strings.Repeat("x", 101)+`"`, `1`, `{}`), "topic longer than"},
	}
	for _, c := range rejected {
		env, err := Parse(c.body)
		if err == nil {
			t.Errorf("%s: accepted, article id %q", c.body, env.ArticleID)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to say %q", c.body, err, c.want)
		}
	}
}

// senderSeeds returns the bodies the fake Intercom's WebhookSender posts for
// every topic, as it posts them.
func senderSeeds(f *testing.F) [][]byte {
	f.Helper()
	var (
		mu     sync.Mutex
		bodies [][]byte
	)
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, body)
		mu.Unlock()
	}))
	defer sink.Close()
	api := fakeintercom.New(fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 3, Locales: []string{"en", "fr"}, Seed: 1}), fakeintercom.Options{})
	sender := &fakeintercom.WebhookSender{URL: sink.URL, Secret: secret}
	id := api.Site().Articles[0].ID
	for _, ver := range []string{"2.7", "2.16"} {
		for _, topic := range []string{"ping", "article.created", "article.updated", "article.published", "article.unpublished", "article.deleted"} {
			n, err := api.Notification(topic, id, ver)
			if err != nil {
				f.Fatal(err)
			}
			if _, err := sender.Send(context.Background(), n); err != nil {
				f.Fatal(err)
			}
		}
	}
	return bodies
}

// validItemID is the check of an accepted article notification's id, made
// independently of Parse: a JSON string of digits or an integer literal.
func validItemID(t *testing.T, body []byte, got string) {
	t.Helper()
	var env struct {
		Data struct {
			Item struct {
				ID any `json:"id"`
			} `json:"item"`
		} `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		t.Fatalf("accepted a body that does not decode: %v", err)
	}
	var want string
	switch id := env.Data.Item.ID.(type) {
	case string:
		want = id
	case json.Number:
		want = id.String()
	default:
		t.Fatalf("accepted an article id of type %T", id)
	}
	if want != got || !regexp.MustCompile(`^[0-9]{1,20}$`).MatchString(got) {
		t.Fatalf("accepted article id %q (the body has %q)", got, want)
	}
}

// FuzzParse checks that no envelope panics Parse or the Receiver, and that
// an article notification accepted (and journaled) always has a valid id.
func FuzzParse(f *testing.F) {
	for _, body := range senderSeeds(f) {
		f.Add(body)
	}
	f.Add(notification("n", "article.updated", `{"id":1}`))
	f.Add(notification("n", "article.updated", `{"id":{"id":1}}`))
	f.Add(notification("n", "article.deleted", `{"id":true}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := Parse(body)
		if err == nil {
			if env.Topic == "" || env.CreatedAt <= 0 {
				t.Fatalf("parsed an envelope without a topic or a time: %+v", env)
			}
			if Topics[env.Topic] {
				validItemID(t, body, env.ArticleID)
			}
		}
		var rec memoryRecorder
		r := &Receiver{Verifier: fuzzVerifier, Recorder: &rec, Log: slog.New(slog.DiscardHandler)}
		status, _ := r.Receive(body, Sign(secret, body))
		if (status == http.StatusOK) != (err == nil) {
			t.Fatalf("Receive answered %d, Parse %v", status, err)
		}
		for _, r := range rec {
			validItemID(t, body, mustItemID(t, r.Item))
		}
	})
}

var fuzzVerifier, _ = NewVerifier(secret)

// memoryRecorder records in memory.
type memoryRecorder []journal.Record

func (m *memoryRecorder) Append(r journal.Record) (journal.Record, error) {
	*m = append(*m, r)
	return r, nil
}

func mustItemID(t *testing.T, item json.RawMessage) string {
	t.Helper()
	id, err := ItemID(item)
	if err != nil {
		t.Fatalf("recorded an item without a valid id: %v", err)
	}
	return id
}
