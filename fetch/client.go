// Package fetch reads a Help Center through the Intercom REST API into the
// content model.
//
// The Client pages through every list, paces itself from the rate-limit
// headers, retries what is worth retrying and decodes every API version from
// 2.7 to 2.16. Sync builds on a previous snapshot so that only what changed is
// fetched.
package fetch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/helpsite/helpsite/internal/retry"
)

// Regions maps an Intercom data-hosting region to its API host.
var Regions = map[string]string{
	"us": "https://api.intercom.io",
	"eu": "https://api.eu.intercom.io",
	"au": "https://api.au.intercom.io",
}

// DefaultVersion is the Intercom-Version sent when none is configured.
const DefaultVersion = "2.11"

// Versions are the API versions the client understands.
var Versions = []string{"2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14", "2.15", "2.16"}

// PerPage is the page size asked of every list: the largest Intercom allows.
const PerPage = 250

// Config says where and how to reach Intercom. Zero values are sensible
// except for Token.
type Config struct {
	// BaseURL overrides Region, e.g. for a proxy or the fake API.
	BaseURL string
	// Region is us (default), eu or au.
	Region string
	Token  string
	// Version is the Intercom-Version header; DefaultVersion if empty.
	Version string
	// Concurrency bounds the requests in flight (default 4).
	Concurrency int
	// MaxAttempts bounds the tries of one request that fails with a 5xx, a
	// timeout, a reset or a truncated body (default 6).
	MaxAttempts int
	// RetryBase is the first backoff delay, doubled per attempt up to 32
	// times it, with jitter (default 500ms).
	RetryBase time.Duration
	// RequestTimeout bounds one attempt (default 60s).
	RequestTimeout time.Duration
	HTTPClient     *http.Client
	Logger         *slog.Logger
	// Progress, if set, is told how far each list has got.
	Progress func(list string, done, total int)
}

// Client calls the Intercom REST API.
type Client struct {
	base    *url.URL
	cfg     Config
	http    *http.Client
	log     *slog.Logger
	pace    *pacer
	slots   chan struct{} // bounds the requests in flight
	calls   atomic.Int64
	version string
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	base := cfg.BaseURL
	if base == "" {
		region := cfg.Region
		if region == "" {
			region = "us"
		}
		var ok bool
		if base, ok = Regions[region]; !ok {
			return nil, &UsageError{fmt.Sprintf("unknown region %q: use us, eu or au, or set the API base URL", region)}
		}
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &UsageError{fmt.Sprintf("API base URL %q is not an http(s) URL", base)}
	}
	if cfg.Token == "" {
		return nil, &UsageError{"no access token: set INTERCOM_ACCESS_TOKEN or pass --token"}
	}
	if cfg.Version == "" {
		cfg.Version = DefaultVersion
	}
	if !slices.Contains(Versions, cfg.Version) {
		return nil, &UsageError{fmt.Sprintf("unsupported Intercom API version %q: use one of %s", cfg.Version, strings.Join(Versions, ", "))}
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 500 * time.Millisecond
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Client{
		base:    u,
		cfg:     cfg,
		http:    hc,
		log:     log,
		pace:    newPacer(cfg.Concurrency),
		slots:   make(chan struct{}, cfg.Concurrency),
		version: cfg.Version,
	}, nil
}

// Calls is the number of HTTP requests made so far, retries included.
func (c *Client) Calls() int64 { return c.calls.Load() }

// BaseURL is the API base URL the client calls.
func (c *Client) BaseURL() string { return c.base.String() }

// Version is the Intercom-Version the client sends.
func (c *Client) Version() string { return c.version }

// hasSections reports whether the API version serves sections (2.7–2.9).
func (c *Client) hasSections() bool {
	return c.version == "2.7" || c.version == "2.8" || c.version == "2.9"
}

// UsageError is a mistake in what the user asked for.
type UsageError struct{ msg string }

func (e *UsageError) Error() string { return e.msg }

// APIError is an error answer from Intercom, decoded from its error.list body.
type APIError struct {
	Status    int
	URL       string
	RequestID string
	Code      string
	Message   string
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("GET %s: %d", e.URL, e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " (request " + e.RequestID + ")"
	}
	return msg
}

// IsUnauthorized reports whether err is Intercom refusing the token.
func IsUnauthorized(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && (ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden)
}

// IsNotFound reports whether err is Intercom answering 404.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

// errorBody is Intercom's error.list.
type errorBody struct {
	Type      string `json:"type"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// get fetches path with query into v, retrying transient failures.
func (c *Client) get(ctx context.Context, path string, query url.Values, v any) error {
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	target := u.String()

	var lastErr error
	throttled := 0
	for attempt := 1; attempt <= c.cfg.MaxAttempts; {
		if err := c.pace.wait(ctx); err != nil {
			return err
		}
		body, status, hdr, err := c.do(ctx, target)
		c.pace.observe(hdr)
		switch {
		case err == nil && status == http.StatusOK:
			if err = json.Unmarshal(body, v); err == nil {
				return nil
			}
			lastErr = fmt.Errorf("GET %s: decoding response: %w", target, err)
		case err == nil && status == http.StatusTooManyRequests:
			// Not an attempt: the server asked us to wait, and we do.
			throttled++
			if throttled > 50 {
				return apiError(target, status, body)
			}
			c.log.Warn("rate limited by Intercom; waiting for the window to reset", "url", target)
			c.pace.block(resetTime(hdr))
			continue
		case err == nil && status >= 500:
			lastErr = apiError(target, status, body)
		case err == nil:
			return apiError(target, status, body)
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			lastErr = err
		}
		if attempt == c.cfg.MaxAttempts {
			break
		}
		delay := retry.Backoff(c.cfg.RetryBase, attempt)
		c.log.Debug("retrying", "url", target, "attempt", attempt, "delay", delay, "err", lastErr)
		if err := retry.Sleep(ctx, delay); err != nil {
			return err
		}
		attempt++
	}
	return fmt.Errorf("giving up after %d attempts: %w", c.cfg.MaxAttempts, lastErr)
}

// do makes one attempt and reads the whole body. An error means the
// exchange itself failed (network, timeout, truncated body).
func (c *Client) do(ctx context.Context, target string) ([]byte, int, http.Header, error) {
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
		return nil, 0, nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Intercom-Version", c.version)
	req.Header.Set("User-Agent", "helpsite")
	c.calls.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, nil, describeNetError(c.base, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, resp.StatusCode, resp.Header, fmt.Errorf("GET %s: reading response: %w", target, err)
	}
	return body, resp.StatusCode, resp.Header, nil
}

func apiError(target string, status int, body []byte) *APIError {
	e := &APIError{Status: status, URL: target}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		e.RequestID = eb.RequestID
		if len(eb.Errors) > 0 {
			e.Code, e.Message = eb.Errors[0].Code, eb.Errors[0].Message
		}
	}
	if e.Code == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// describeNetError makes a transport failure say which host was tried.
func describeNetError(base *url.URL, err error) error {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Errorf("cannot resolve %s (check --region / --api-base and the network): %w", base.Host, err)
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("cannot connect to %s (check --region / --api-base and the network): %w", base.Host, err)
	}
	return err
}

// resetTime reads X-RateLimit-Reset (Unix seconds), or Retry-After.
func resetTime(h http.Header) time.Time {
	if s, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && s > 0 {
		return time.Unix(s, 0)
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil {
		return time.Now().Add(time.Duration(s) * time.Second)
	}
	return time.Now().Add(10 * time.Second) // Intercom's window
}
