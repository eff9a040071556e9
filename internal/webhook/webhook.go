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
	"reflect"
	"strings"

	"github.com/helpsite/helpsite/internal/content"
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
	// ArticleID is the checked data.item.id of an article topic (see
	// ItemID), "" for other topics.
	ArticleID string `json:"-"`
}

// NotificationID is the envelope's id, or "" when it has none.
func (e *Envelope) NotificationID() string {
	if e.ID == nil {
		return ""
	}
	return *e.ID
}

// Limits on the envelope's strings: Intercom's are far shorter, and both
// are logged and journaled.
const (
	maxNotificationID = 256
	maxTopic          = 100
)

// Parse decodes and checks an envelope: its type, a topic that is a
// string, a created_at that is a positive whole number, and for an article
// topic an item whose id is a decimal string or number (ItemID). It never
// accepts an envelope whose fields have another JSON type.
func Parse(body []byte) (*Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("malformed notification: %w", describe(err))
	}
	switch {
	case e.Type != "notification_event":
		return nil, fmt.Errorf("malformed notification: type %q, want notification_event", e.Type)
	case e.Topic == "":
		return nil, errors.New("malformed notification: no topic")
	case len(e.Topic) > maxTopic:
		return nil, fmt.Errorf("malformed notification: topic longer than %d bytes", maxTopic)
	case e.ID != nil && len(*e.ID) > maxNotificationID:
		return nil, fmt.Errorf("malformed notification: id longer than %d bytes", maxNotificationID)
	case e.CreatedAt <= 0:
		return nil, errors.New("malformed notification: created_at is missing or not a positive number")
	}
	if Topics[e.Topic] {
		id, err := ItemID(e.Data.Item)
		if err != nil {
			return nil, fmt.Errorf("malformed notification: %s: %w", e.Topic, err)
		}
		e.ArticleID = id
	}
	return &e, nil
}

// ItemID returns the id of a notification's data.item: a string of
// decimal digits or a JSON number written with digits alone, at most
// content.MaxIDLength long. An id of any other kind (an object, a boolean, null,
// a signed, fractional or exponent number, text) is an error: ids name files
// and URLs, and a number must not lose digits on its way through a float.
func ItemID(item json.RawMessage) (string, error) {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if len(item) == 0 {
		return "", errors.New("no data.item")
	}
	if err := json.Unmarshal(item, &v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return "", fmt.Errorf("data.item is %s, want an object", typeErr.Value)
		}
		return "", fmt.Errorf("data.item: %w", err)
	}
	raw := v.ID
	if len(raw) == 0 {
		return "", errors.New("data.item has no id")
	}
	id := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &id); err != nil {
			return "", fmt.Errorf("data.item.id: %w", err)
		}
	}
	if !content.ValidID(id) {
		return "", fmt.Errorf("data.item.id must be a decimal string or number of 1 to %d digits, not %s", content.MaxIDLength, jsonKind(raw))
	}
	return id, nil
}

// jsonKind names the kind of a JSON value for an error message, showing
// short strings and numbers.
func jsonKind(raw json.RawMessage) string {
	const show = 40
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '"':
		if len(raw) > show {
			return "a string of " + fmt.Sprint(len(raw)-2) + " bytes"
		}
		return "the string " + string(raw)
	}
	if len(raw) > show {
		return "a number of " + fmt.Sprint(len(raw)) + " characters"
	}
	return "the number " + string(raw)
}

// describe turns a JSON type error into a sentence naming the field, as
// "topic is number, want string"; other errors are returned as they are.
func describe(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		want := typeErr.Type.String()
		switch typeErr.Type.Kind() {
		case reflect.String:
			want = "a string"
		case reflect.Int, reflect.Int64:
			want = "a whole number"
		case reflect.Struct:
			want = "an object"
		}
		return fmt.Errorf("%s is %s, want %s", typeErr.Field, typeErr.Value, want)
	}
	return err
}
