package fakeintercom

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Notification is a webhook notification_event envelope, with the fields in
// the order Intercom sends them.
type Notification struct {
	Type             string           `json:"type"` // "notification_event"
	AppID            string           `json:"app_id"`
	Data             NotificationData `json:"data"`
	Links            struct{}         `json:"links"`
	ID               *string          `json:"id"` // null for ping
	Topic            string           `json:"topic"`
	DeliveryStatus   string           `json:"delivery_status"`
	DeliveryAttempts int              `json:"delivery_attempts"`
	DeliveredAt      int64            `json:"delivered_at"`
	FirstSentAt      int64            `json:"first_sent_at"`
	CreatedAt        int64            `json:"created_at"`
	Self             *string          `json:"self"`
}

// NotificationData holds the notified object.
type NotificationData struct {
	Type string          `json:"type"` // "notification_event_data"
	Item json.RawMessage `json:"item"`
}

// articleTopics are the Help Center topics Notification builds.
var articleTopics = map[string]bool{
	"article.created":     true,
	"article.updated":     true,
	"article.published":   true,
	"article.unpublished": true,
	"article.deleted":     true,
}

// Notification builds the notification Intercom would send for topic about
// an article, its item in that version's article shape (as GET
// /articles/{id} returns it, image URLs signed for the fake's base URL, or
// left canonical while it has none, see SetBaseURL). An
// article.deleted item is the minimal {type, id, deleted}; a ping carries a
// message and no id.
func (s *Server) Notification(topic, articleID, ver string) (Notification, error) {
	v, err := parseVersion(ver)
	if err != nil {
		return Notification{}, fmt.Errorf("notification: %w", err)
	}
	n := NewNotification(topic, nil, s.opts.Now())
	s.mu.RLock()
	defer s.mu.RUnlock()
	n.AppID = s.store.workspaceID
	switch {
	case topic == "ping":
		n.Data.Item = json.RawMessage(`{"type":"ping","message":"Hello from the fake Intercom"}`)
		return n, nil
	case !articleTopics[topic]:
		return Notification{}, fmt.Errorf("notification: unknown topic %q", topic)
	case topic == "article.deleted":
		w := jsonWriter{}
		w.beginObject()
		w.key("type")
		w.str("article")
		w.key("id")
		w.str(articleID)
		w.key("deleted")
		w.bool(true)
		w.endObject()
		n.Data.Item = w.b
	default:
		a := s.store.site.Article(articleID)
		if a == nil {
			return Notification{}, fmt.Errorf("notification %s: article %s: %w", topic, articleID, ErrNotFound)
		}
		vw := &view{s: s, v: v, base: s.baseURL, expires: s.opts.Now().Add(s.opts.ImageTTL).Unix()}
		w := vw.writer("")
		vw.article(w, a, true)
		n.Data.Item = w.b
	}
	id := "notif_" + s.requestID()
	n.ID = &id
	return n, nil
}

// NewNotification returns the envelope Intercom sends for topic at now,
// carrying item, without an id or app id.
func NewNotification(topic string, item json.RawMessage, now time.Time) Notification {
	return Notification{
		Type:             "notification_event",
		Topic:            topic,
		DeliveryStatus:   "pending",
		DeliveryAttempts: 1,
		FirstSentAt:      now.Unix(),
		CreatedAt:        now.Unix(),
		Data:             NotificationData{Type: "notification_event_data", Item: item},
	}
}

// WebhookSender delivers notifications as Intercom does.
type WebhookSender struct {
	// URL is the receiving endpoint.
	URL string
	// Secret is the app's client secret, the HMAC key of X-Hub-Signature.
	Secret string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

// Send POSTs n and returns the receiver's status. The body is drained so
// that the connection can be reused.
func (ws *WebhookSender) Send(ctx context.Context, n Notification) (int, error) {
	body, err := json.Marshal(n)
	if err != nil {
		return 0, fmt.Errorf("encoding notification: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ws.URL, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "intercom-parrot-service-client/1.0")
	req.Header.Set("Accept", "*/*")
	req.Header.Set("X-Hub-Signature", SignWebhook(ws.Secret, body))
	return ws.do(req)
}

// Validate sends the HEAD request Intercom sends when a webhook URL is
// registered, and returns the status.
func (ws *WebhookSender) Validate(ctx context.Context) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, ws.URL, nil)
	if err != nil {
		return 0, fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("User-Agent", "intercom-parrot-service-client/1.0")
	return ws.do(req)
}

func (ws *WebhookSender) do(req *http.Request) (int, error) {
	client := ws.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("delivering webhook to %s: %w", ws.URL, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) //nolint:errcheck // draining is best effort
	return resp.StatusCode, nil
}

// SignWebhook returns the X-Hub-Signature of body: "sha1=" and the hex
// HMAC-SHA1 keyed with the client secret.
func SignWebhook(secret string, body []byte) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return "sha1=" + hex.EncodeToString(mac.Sum(nil))
}
