// Package purge tells a CDN which URLs of a site changed after a publish,
// so that it drops its cached copies: through Cloudflare's purge-by-URL
// API, CloudFront invalidations or a generic webhook that receives the
// list. Requests are batched as each API allows and spaced out to respect
// its rate limits.
package purge

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/helpsite/helpsite/internal/retry"
)

// URLs returns the URLs below base (the site's base URL) that serve the
// site files at keys (slash paths): a directory's URL for its index.html,
// which is how pages are linked, else the file's URL. Sorted, unique.
func URLs(base string, keys []string) []string {
	base = strings.TrimSuffix(base, "/") + "/"
	var urls []string
	for _, k := range keys {
		if path.Base(k) == "index.html" {
			k = strings.TrimSuffix(k, "index.html")
		}
		urls = append(urls, base+k)
	}
	slices.Sort(urls)
	return slices.Compact(urls)
}

// batches calls send with urls in batches of at most size, waiting
// interval between calls, each call retried on a transient failure.
func batches(ctx context.Context, urls []string, size int, interval time.Duration, send func(context.Context, []string) error) error {
	for i := 0; i < len(urls); i += size {
		if i > 0 {
			if err := retry.Sleep(ctx, interval); err != nil {
				return err
			}
		}
		batch := urls[i:min(i+size, len(urls))]
		err := retry.Do(ctx, 4, max(interval, 500*time.Millisecond), transient, func(ctx context.Context) error { return send(ctx, batch) })
		if err != nil {
			return fmt.Errorf("purging %d of %d URLs: %w", len(urls)-i, len(urls), err)
		}
	}
	return nil
}

// statusError is a response that was not a success.
type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("HTTP %d: %s", e.status, e.body)
}

// transient reports whether err may go away when tried again: a network
// error, a throttle (429) or a server error.
func transient(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.status == http.StatusTooManyRequests || se.status >= 500
	}
	return true
}

// post sends body as JSON to target with headers, and reads the answer
// into out (if not nil).
func post(ctx context.Context, client *http.Client, target string, header http.Header, body, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if header != nil {
		req.Header = header.Clone()
	}
	req.Header.Set("Content-Type", "application/json")
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL may hold a token
		}
		return fmt.Errorf("POST %s: %w", redact(target), err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: %w", redact(target), &statusError{resp.StatusCode, strings.TrimSpace(string(answer[:min(len(answer), 512)]))})
	}
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			return fmt.Errorf("POST %s: reading the answer: %w", redact(target), err)
		}
	}
	return nil
}

// redact drops the query and user of a URL, which may hold a token.
func redact(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}

// Webhook POSTs the changed URLs, as a JSON array of strings, to URL: the
// generic hook, for a CDN or a script helpsite has no client for.
type Webhook struct {
	URL string
	// BatchSize is the most URLs of one request (1000 if zero); Interval
	// the wait between requests.
	BatchSize int
	Interval  time.Duration
	Client    *http.Client
}

// Purge posts urls.
func (w *Webhook) Purge(ctx context.Context, urls []string) error {
	size := w.BatchSize
	if size <= 0 {
		size = 1000
	}
	return batches(ctx, urls, size, w.Interval, func(ctx context.Context, batch []string) error {
		return post(ctx, w.Client, w.URL, nil, batch, nil)
	})
}

// CloudflareAPI is the base of Cloudflare's API.
const CloudflareAPI = "https://api.cloudflare.com/client/v4"

// CloudflareBatch is the most URLs Cloudflare purges in one call.
const CloudflareBatch = 30

// Cloudflare purges URLs from a zone's cache with Cloudflare's
// purge-by-URL API (POST /zones/{zone}/purge_cache {"files": […]}), 30 a
// call, with a token that has the Cache Purge permission.
type Cloudflare struct {
	Zone, Token string
	// API is CloudflareAPI if empty; tests point it elsewhere.
	API string
	// Interval is the wait between calls (250ms if zero), within the
	// API's purge rate limits on every plan.
	Interval time.Duration
	Client   *http.Client
}

// Purge purges urls.
func (c *Cloudflare) Purge(ctx context.Context, urls []string) error {
	api := c.API
	if api == "" {
		api = CloudflareAPI
	}
	interval := c.Interval
	if interval <= 0 {
		interval = 250 * time.Millisecond
	}
	target := strings.TrimSuffix(api, "/") + "/zones/" + url.PathEscape(c.Zone) + "/purge_cache"
	header := http.Header{"Authorization": {"Bearer " + c.Token}}
	return batches(ctx, urls, CloudflareBatch, interval, func(ctx context.Context, batch []string) error {
		var answer struct {
			Success bool `json:"success"`
			Errors  []struct {
				Message string `json:"message"`
			} `json:"errors"`
		}
		if err := post(ctx, c.Client, target, header, map[string][]string{"files": batch}, &answer); err != nil {
			return err
		}
		if !answer.Success {
			return fmt.Errorf("cloudflare purge: refused: %v", answer.Errors)
		}
		return nil
	})
}
