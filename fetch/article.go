package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/helpsite/helpsite/internal/content"
)

// Article fetches one article. The error satisfies IsNotFound when the
// article does not exist (any more).
func (c *Client) Article(ctx context.Context, id string) (content.Article, error) {
	var raw apiArticle
	if err := c.get(ctx, "/articles/"+url.PathEscape(id), nil, &raw); err != nil {
		return content.Article{}, err
	}
	return raw.content()
}

// ErrIncomplete says an article payload lacks what a mirror needs.
var ErrIncomplete = errors.New("article payload is incomplete")

// DecodeArticle decodes an article as the API sends it, which is also the
// item of an article webhook. A payload without an id or without any
// content (such as the minimal item of article.deleted) is ErrIncomplete.
func DecodeArticle(data []byte) (content.Article, error) {
	var raw apiArticle
	if err := json.Unmarshal(data, &raw); err != nil {
		return content.Article{}, fmt.Errorf("decoding article: %w", err)
	}
	if raw.ID == "" || (raw.TranslatedContent == nil && raw.Title == "" && raw.State == "") {
		return content.Article{}, ErrIncomplete
	}
	return raw.content()
}
