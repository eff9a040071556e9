// Package webhook receives Intercom's webhook notifications: it verifies
// their signature, parses the envelope and hands article events to a
// durable recorder before acknowledging them.
package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxBody is the largest notification accepted.
const MaxBody = 1 << 20

// Topics are the article topics that change the site.
var Topics = map[string]bool{
	"article.created":     true,
	"article.updated":     true,
	"article.published":   true,
	"article.unpublished": true,
	"article.deleted":     true,
}

// Verifier checks X-Hub-Signature against one or more client secrets, so a
// secret can be rotated without dropping notifications.
type Verifier struct {
	secrets [][]byte
}

// NewVerifier returns a Verifier for the given secrets; empty ones are
// ignored.
func NewVerifier(secrets ...string) (*Verifier, error) {
	v := &Verifier{}
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" {
			v.secrets = append(v.secrets, []byte(s))
		}
	}
	if len(v.secrets) == 0 {
		return nil, errors.New("no client secret: set INTERCOM_CLIENT_SECRET (comma-separated for rotation) or --client-secret")
	}
	return v, nil
}

// Verify reports whether header ("sha1=<hex>") is the HMAC-SHA1 of body
// under one of the secrets. Every secret is tried in constant time.
func (v *Verifier) Verify(body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, "sha1=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha1.Size {
		return false
	}
	match := false
	for _, s := range v.secrets {
		mac := hmac.New(sha1.New, s)
		mac.Write(body)
		if hmac.Equal(mac.Sum(nil), got) {
			match = true
		}
	}
	return match
}

// Sign returns the X-Hub-Signature value of body under secret, as Intercom
// computes it.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return "sha1=" + hex.EncodeToString(mac.Sum(nil))
}

// Envelope is a notification_event.
type Envelope struct {
	Type             string  `json:"type"`
	ID               *string `json:"id"` // null for ping
	Topic            string  `json:"topic"`
	AppID            string  `json:"app_id"`
	CreatedAt        int64   `json:"created_at"`
	DeliveryAttempts int     `json:"delivery_attempts"`
	FirstSentAt      int64   `json:"first_sent_at"`
	Data             struct {
		Type string          `json:"type"`
		Item json.RawMessage `json:"item"`
	} `json:"data"`
}

// NotificationID is the envelope's id, or "" when it has none.
func (e *Envelope) NotificationID() string {
	if e.ID == nil {
		return ""
	}
	return *e.ID
}

// Parse decodes and checks an envelope.
func Parse(body []byte) (*Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("malformed notification: %w", err)
	}
	if e.Type != "notification_event" {
		return nil, fmt.Errorf("malformed notification: type %q, want notification_event", e.Type)
	}
	if e.Topic == "" {
		return nil, errors.New("malformed notification: no topic")
	}
	if Topics[e.Topic] {
		var item struct {
			ID json.RawMessage `json:"id"`
		}
		if json.Unmarshal(e.Data.Item, &item) != nil || len(item.ID) == 0 || string(item.ID) == "null" {
			return nil, fmt.Errorf("malformed notification: %s without an article id", e.Topic)
		}
	}
	return &e, nil
}
