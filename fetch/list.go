package fetch

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// listAll fetches every page of a list endpoint: the first page says how
// many there are, the rest are fetched concurrently.
func listAll[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	first, err := getPage[T](ctx, c, path, 1)
	if err != nil {
		return nil, err
	}
	total := first.totalPages()
	c.progress(path, 1, total)
	pages := make([][]T, total)
	pages[0] = first.Data

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.cfg.Concurrency)
	var mu sync.Mutex
	done := 1
	for n := 2; n <= total; n++ {
		g.Go(func() error {
			p, err := getPage[T](gctx, c, path, n)
			if err != nil {
				return err
			}
			mu.Lock()
			pages[n-1] = p.Data
			done++
			c.progress(path, done, total)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []T
	for _, p := range pages {
		all = append(all, p...)
	}
	return all, nil
}

// listSince fetches the pages of a list sorted by updated_at descending
// until it reaches items not newer than since, and returns the newer ones
// and those updated at exactly since (they may have changed within that
// second).
func listSince[T any](ctx context.Context, c *Client, path string, since time.Time, updated func(*T) time.Time) ([]T, error) {
	var out []T
	for n := 1; ; n++ {
		p, err := getPage[T](ctx, c, path, n)
		if err != nil {
			return nil, err
		}
		for i := range p.Data {
			if updated(&p.Data[i]).Before(since) {
				return out, nil
			}
			out = append(out, p.Data[i])
		}
		if n >= p.totalPages() {
			return out, nil
		}
	}
}

func getPage[T any](ctx context.Context, c *Client, path string, n int) (*listPage[T], error) {
	q := url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(PerPage)}}
	var p listPage[T]
	if err := c.get(ctx, path, q, &p); err != nil {
		return nil, fmt.Errorf("listing %s page %d: %w", path, n, err)
	}
	return &p, nil
}

func (c *Client) progress(list string, done, total int) {
	if c.cfg.Progress != nil {
		c.cfg.Progress(list, done, total)
	}
}
