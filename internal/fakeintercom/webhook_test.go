package fakeintercom

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/webhook"
)

func TestNotification(t *testing.T) {
	site := testSite(t)
	a := articleWithImage(t, site)
	s := New(site, Options{})
	s.SetBaseURL("http://fake.test")

	for _, tc := range []struct {
		version   string
		parentKey string
	}{{"2.9", "parent_id"}, {"2.16", "parent_ids"}} {
		n, err := s.Notification("article.updated", a.ID, tc.version)
		if err != nil {
			t.Fatal(err)
		}
		if n.Type != "notification_event" || n.Topic != "article.updated" || n.ID == nil || !strings.HasPrefix(*n.ID, "notif_") ||
			n.Data.Type != "notification_event_data" || n.AppID == "" || n.CreatedAt == 0 {
			t.Errorf("%s: envelope %+v", tc.version, n)
		}
		var item map[string]any
		if err := json.Unmarshal(n.Data.Item, &item); err != nil {
			t.Fatal(err)
		}
		if item["type"] != "article" || item["id"] != a.ID || item[tc.parentKey] == nil || item["translated_content"] == nil {
			t.Errorf("%s: item %v", tc.version, item)
		}
		if body, _ := item["body"].(string); !strings.Contains(body, "http://fake.test/cdn/i/o/") {
			t.Errorf("%s: item body images not signed for the base URL: %s", tc.version, body)
		}
	}

	n, err := s.Notification("article.deleted", a.ID, "2.11")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(n.Data.Item); got != `{"type":"article","id":"`+a.ID+`","deleted":true}` {
		t.Errorf("deleted item %s", got)
	}
	ping, err := s.Notification("ping", "", "2.11")
	if err != nil {
		t.Fatal(err)
	}
	if ping.ID != nil {
		t.Errorf("ping id %q, want null", *ping.ID)
	}
	if _, err := s.Notification("article.updated", "1", "2.11"); err == nil {
		t.Error("notification about an unknown article")
	}
	if _, err := s.Notification("conversation.created", a.ID, "2.11"); err == nil {
		t.Error("notification with an unknown topic")
	}
}

func TestWebhookSender(t *testing.T) {
	site := testSite(t)
	s := New(site, Options{})
	n, err := s.Notification("article.published", site.Articles[0].ID, "2.11")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "client-secret"
	var got struct {
		method, signature, agent, contentType string
		body                                  []byte
	}
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.signature = r.Method, r.Header.Get("X-Hub-Signature")
		got.agent, got.contentType = r.Header.Get("User-Agent"), r.Header.Get("Content-Type")
		got.body, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer receiver.Close()
	ws := &WebhookSender{URL: receiver.URL, Secret: secret}

	status, err := ws.Send(context.Background(), n)
	if err != nil || status != http.StatusAccepted {
		t.Fatalf("Send: %d, %v", status, err)
	}
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(got.body)
	if want := "sha1=" + hex.EncodeToString(mac.Sum(nil)); got.signature != want {
		t.Errorf("X-Hub-Signature %q, want %q", got.signature, want)
	}
	if got.method != http.MethodPost || got.agent != "intercom-parrot-service-client/1.0" || got.contentType != "application/json" {
		t.Errorf("request: %s, User-Agent %q, Content-Type %q", got.method, got.agent, got.contentType)
	}
	env, err := webhook.Parse(got.body)
	if err != nil || env.Topic != n.Topic || env.NotificationID() != *n.ID {
		t.Errorf("the webhook package reads %s as %+v (%v)", got.body, env, err)
	}

	if status, err := ws.Validate(context.Background()); err != nil || got.method != http.MethodHead || status != http.StatusAccepted {
		t.Errorf("Validate: %d, %v, method %s", status, err, got.method)
	}
}
