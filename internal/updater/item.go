package updater

import (
	"encoding/json"

	"github.com/helpsite/helpsite/internal/webhook"
)

// articleID reads the id of a webhook item, sent as a string or a number of
// decimal digits; the receiver journals no other kind, but a journal
// written by an older version may hold one.
func articleID(item json.RawMessage) (string, error) {
	return webhook.ItemID(item)
}
