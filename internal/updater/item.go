package updater

import (
	"encoding/json"
	"errors"
	"strconv"
)

// articleID reads the id of a webhook item, sent as a string or a number.
func articleID(item json.RawMessage) (string, error) {
	var v struct {
		ID any `json:"id"`
	}
	if err := json.Unmarshal(item, &v); err != nil {
		return "", err
	}
	switch id := v.ID.(type) {
	case string:
		if id != "" {
			return id, nil
		}
	case float64:
		return strconv.FormatInt(int64(id), 10), nil
	}
	return "", errors.New("no id")
}
