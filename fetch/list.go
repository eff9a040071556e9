package fetch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/content"
)

// listAll fetches every page of a list endpoint and converts its items:
// the first page says how many there are, the rest are fetched
// concurrently. Each page is converted as it arrives, so the raw JSON of
// only a few pages is held at a time.
func listAll[T, C any](ctx context.Context, c *Client, path string, convert func(*T) (C, error), refused *refusals) ([]C, error) {
	first, err := getPage(ctx, c, path, 1, convert, refused)
	if err != nil {
		return nil, err
	}
	total := first.totalPages
	c.progress(path, 1, total)
	pages := make([][]C, total)
	pages[0] = first.items

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.cfg.Concurrency)
	var mu sync.Mutex
	done := 1
	for n := 2; n <= total; n++ {
		g.Go(func() error {
			p, err := getPage(gctx, c, path, n, convert, refused)
			if err != nil {
				return err
			}
			mu.Lock()
			pages[n-1] = p.items
			done++
			c.progress(path, done, total)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []C
	for _, p := range pages {
		all = append(all, p...)
	}
	return all, nil
}

// listSince fetches the pages of a list sorted by updated_at descending
// until it reaches items not newer than since, and returns the newer ones
// and those updated at exactly since (they may have changed within that
// second).
func listSince[T, C any](ctx context.Context, c *Client, path string, since time.Time, convert func(*T) (C, error), updated func(*C) time.Time, refused *refusals) ([]C, error) {
	var out []C
	for n := 1; ; n++ {
		p, err := getPage(ctx, c, path, n, convert, refused)
		if err != nil {
			return nil, err
		}
		for i := range p.items {
			if updated(&p.items[i]).Before(since) {
				return out, nil
			}
			out = append(out, p.items[i])
		}
		if n >= p.totalPages {
			return out, nil
		}
	}
}

// page is one converted page of a list.
type page[C any] struct {
	items      []C
	totalPages int
}

func getPage[T, C any](ctx context.Context, c *Client, path string, n int, convert func(*T) (C, error), refused *refusals) (*page[C], error) {
	q := url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(PerPage)}}
	var raw listPage[json.RawMessage]
	if err := c.get(ctx, path, q, &raw); err != nil {
		return nil, fmt.Errorf("listing %s page %d: %w", path, n, err)
	}
	p := &page[C]{items: make([]C, 0, len(raw.Data)), totalPages: raw.totalPages()}
	for i, data := range raw.Data {
		var item T
		err := json.Unmarshal(data, &item)
		var v C
		if err == nil {
			v, err = convert(&item)
		}
		if err != nil {
			// One malformed item is left out, not the whole list.
			refused.add(content.Skipped{Kind: itemKind(path), ID: rawID(data),
				Reason: fmt.Sprintf("the API sent it malformed (%s page %d, item %d): %v", path, n, i+1, err)})
			continue
		}
		p.items = append(p.items, v)
	}
	return p, nil
}

// rawID is the id of a list item that could not be decoded, as far as it
// can be read.
func rawID(data json.RawMessage) string {
	var item struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &item) != nil || len(item.ID) == 0 {
		return "(unknown)"
	}
	var id flexID
	if id.UnmarshalJSON(item.ID) != nil {
		return string(item.ID)
	}
	return string(id)
}

// itemKind names the items of the list at path.
func itemKind(path string) string {
	switch {
	case strings.HasSuffix(path, "/help_centers"):
		return "help center"
	case strings.HasSuffix(path, "/articles"):
		return "article"
	}
	return "collection"
}

// refusals collects the items a sync leaves out; it is safe for concurrent
// use.
type refusals struct {
	mu   sync.Mutex
	list []content.Skipped
}

func (r *refusals) add(s ...content.Skipped) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.list = append(r.list, s...)
}

func (c *Client) progress(list string, done, total int) {
	if c.cfg.Progress != nil {
		c.cfg.Progress(list, done, total)
	}
}
