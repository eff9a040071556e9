// Package images downloads the images that article bodies show into a
// cache shared by builds, so that the site serves its own copies instead of
// Intercom's signed, expiring CDN URLs.
//
// The cache is keyed by an image's host and path: the query of a CDN URL is
// an expiring signature that changes from one fetch of an article to the
// next while the image stays the same (Intercom never changes the bytes
// behind a path). An image once downloaded is never requested again; remove
// the cache directory to start over. Each image is published under a name
// made from a hash of its bytes, so its URL changes exactly when it does
// and it can be cached forever by browsers.
//
// Images are downloaded only where the Store's Policy allows (see Policy),
// at most MaxBytes each, and kept only if their bytes are an image.
package images

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/helpsite/helpsite/internal/retry"
)

// Image is a downloaded image.
type Image struct {
	// Name is the file name to publish it under: the first 16 hex digits of
	// the SHA-256 of its bytes and the extension of its type.
	Name string `json:"name"`
	// Source is the URL it was downloaded from, without scheme and query:
	// what the cache is keyed by.
	Source string `json:"source"`
	Type   string `json:"type"` // MIME type, from the bytes
	Size   int64  `json:"size"`
	// Width and Height are in pixels, zero if unknown.
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Defaults for the zero values of Store's fields.
const (
	DefaultConcurrency = 4
	DefaultRetries     = 3
	DefaultBackoff     = 500 * time.Millisecond
	DefaultMaxBytes    = 20 << 20
	defaultTimeout     = time.Minute
)

// A Store downloads images into a cache directory. Its fields must not
// change once Fetch has been called. A Store is safe for concurrent use,
// and so is its directory by several processes.
type Store struct {
	// Dir is the cache directory. An image's bytes are kept in
	// Dir/<key[:2]>/<key>, its metadata beside them in <key>.json.
	Dir string
	// Policy says which hosts and addresses images may be downloaded
	// from. Each request is bounded to a minute.
	Policy Policy
	// Concurrency is how many images download at once (DefaultConcurrency
	// if zero).
	Concurrency int
	// Retries is how many times a failed download is tried again, after a
	// jittered exponential backoff (DefaultRetries if zero, none if
	// negative). Client errors (4xx other than 408 and 429) and refused
	// content are not retried.
	Retries int
	// Backoff is the wait before the first retry, doubled for each next one
	// (DefaultBackoff if zero).
	Backoff time.Duration
	// MaxBytes is the largest image accepted (DefaultMaxBytes if zero).
	MaxBytes int64
	// AllowSVG accepts SVG images. An SVG can carry script, which runs if
	// a visitor opens the file itself from the site's origin (not when an
	// <img> shows it); allow it for trusted content or when the server
	// sends a restrictive Content-Security-Policy for .svg files.
	AllowSVG bool
	// Logger receives a line per download and retry; nil discards them.
	Logger *slog.Logger

	httpOnce sync.Once
	http     *http.Client
	// known are the images read from the cache's metadata or stored, so
	// that a long-lived process's every build does not read the metadata
	// of every image again.
	knownMu sync.Mutex
	known   map[string]Image
	// Progress, if set, is told how many of the images of a Fetch are
	// done (from the cache, downloaded or failed) as they are.
	Progress func(done, total int)
}

// Error is the failure to fetch one image.
type Error struct {
	URL string // as passed to Fetch
	Err error
}

func (e *Error) Error() string { return "image " + redact(e.URL) + ": " + e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// ErrExpired is wrapped by the errors of downloads that failed the way an
// expired signed URL fails: 403, 404 or 410, or an expires parameter in
// the past. Reading the article again gives a fresh URL.
var ErrExpired = errors.New("the signed URL has expired")

// expiredError is a download that failed as an expired URL does.
type expiredError struct{ err error }

func (e expiredError) Error() string {
	return e.err.Error() + " (the signed URL has probably expired)"
}

func (e expiredError) Unwrap() error { return e.err }

func (e expiredError) Is(target error) bool { return target == ErrExpired }

// Fetch returns the images at urls, from the cache or downloaded into it,
// keyed by URL. It downloads each image once however many URLs (differing
// only in their query) point at it, trying the next such URL if one fails
// (an expired signature), and returns an error for each URL it could not
// fetch, ordered by the image's first URL. A failure does not stop the
// others. An image the cache lacks is downloaded only if the Policy
// allows its URL; the error of one it refuses wraps ErrRefused. The cache
// needs no request: what it holds was allowed when it was downloaded, and
// a build from a snapshot alone may not know the API its images came from.
func (s *Store) Fetch(ctx context.Context, urls []string) (map[string]Image, []error) {
	// One job per image, in the order the URLs first name it.
	type job struct {
		key  string
		urls []string
		img  Image
		errs []error
	}
	var jobs []*job
	byKey := map[string]*job{}
	for _, u := range urls {
		key, err := Key(u)
		switch j := byKey[key]; {
		case err != nil:
			jobs = append(jobs, &job{errs: []error{&Error{URL: u, Err: err}}})
		case j == nil:
			byKey[key] = &job{key: key, urls: []string{u}}
			jobs = append(jobs, byKey[key])
		case !slices.Contains(j.urls, u):
			j.urls = append(j.urls, u)
		}
	}

	total := 0
	for _, j := range jobs {
		if j.errs == nil {
			total++
		}
	}
	var done atomic.Int64
	progress := func(n int) {
		if s.Progress != nil {
			s.Progress(n, total)
		}
	}
	progress(0)
	todo := make(chan *job)
	var wg sync.WaitGroup
	for range s.concurrency() {
		wg.Go(func() {
			for j := range todo {
				j.img, j.errs = s.fetchImage(ctx, j.key, j.urls)
				progress(int(done.Add(1)))
			}
		})
	}
	for _, j := range jobs {
		if j.errs == nil {
			todo <- j
		}
	}
	close(todo)
	wg.Wait()

	images := make(map[string]Image, len(urls))
	var errs []error
	for _, j := range jobs {
		errs = append(errs, j.errs...)
		if j.errs == nil {
			for _, u := range j.urls {
				images[u] = j.img
			}
		}
	}
	return images, errs
}

// fetchImage fetches the image that urls, which share a cache key, point
// at: from the cache, or else from each URL in turn until one works.
func (s *Store) fetchImage(ctx context.Context, key string, urls []string) (Image, []error) {
	if img, ok := s.cached(key); ok {
		return img, nil
	}
	var errs []error
	for _, u := range urls {
		parsed, _ := url.Parse(u) // parsed by Key
		if err := s.Policy.checkURL(parsed); err != nil {
			errs = append(errs, &Error{URL: u, Err: err})
			continue
		}
		img, err := s.download(ctx, u, key)
		if err == nil {
			return img, nil
		}
		errs = append(errs, &Error{URL: u, Err: err})
	}
	return Image{}, errs
}

// Path returns the file in the cache that holds img's bytes. The site
// serves a copy or hard link of it named img.Name; being shared by builds,
// the file must never be written in place.
func (s *Store) Path(img Image) string {
	return s.blobPath(keyOf(img.Source))
}

// Key returns the cache key of an image URL: the hex SHA-256 of its host
// and path, without the query that signs it. Two URLs of one image, signed
// at different times, have the same key. It refuses URLs that are not
// http(s).
func Key(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", refusedf("invalid URL: %v", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", refusedf("not an http(s) URL")
	}
	return keyOf(source(u)), nil
}

// source is an image's URL without scheme, user and query.
func source(u *url.URL) string {
	return strings.ToLower(u.Host) + u.EscapedPath()
}

func keyOf(source string) string {
	sum := sha256.Sum256([]byte(source))
	return hex.EncodeToString(sum[:])
}

func (s *Store) blobPath(key string) string {
	return filepath.Join(s.Dir, key[:2], key)
}

func (s *Store) metaPath(key string) string {
	return s.blobPath(key) + ".json"
}

// cached returns the cached image with the given key, if its metadata and
// bytes are both there.
func (s *Store) cached(key string) (Image, bool) {
	s.knownMu.Lock()
	img, ok := s.known[key]
	s.knownMu.Unlock()
	if !ok {
		data, err := os.ReadFile(s.metaPath(key))
		if err != nil {
			return Image{}, false
		}
		if err := json.Unmarshal(data, &img); err != nil {
			s.logger().Warn("ignoring unreadable image metadata", "path", s.metaPath(key), "err", err)
			return Image{}, false
		}
	}
	info, err := os.Stat(s.blobPath(key))
	if err != nil || info.Size() != img.Size || keyOf(img.Source) != key {
		return Image{}, false
	}
	s.remember(key, img)
	return img, true
}

// remember records that the cache holds img under key.
func (s *Store) remember(key string, img Image) {
	s.knownMu.Lock()
	defer s.knownMu.Unlock()
	if s.known == nil {
		s.known = map[string]Image{}
	}
	s.known[key] = img
}

// download gets the image at rawURL, retrying transient failures, and
// stores it in the cache under key.
func (s *Store) download(ctx context.Context, rawURL, key string) (Image, error) {
	log := s.logger().With("url", redact(rawURL))
	for attempt := 0; ; attempt++ {
		data, err := s.get(ctx, rawURL)
		if err == nil {
			img, err := s.describe(rawURL, data)
			if err != nil {
				return Image{}, err
			}
			if err := s.store(key, img, data); err != nil {
				return Image{}, err
			}
			log.Debug("downloaded image", "name", img.Name, "bytes", img.Size)
			return img, nil
		}
		if !retryable(err) || attempt >= s.retries() || ctx.Err() != nil {
			return Image{}, expired(rawURL, err, time.Now())
		}
		wait := retry.Backoff(s.backoffBase(), attempt+1)
		log.Info("retrying image download", "attempt", attempt+1, "wait", wait, "err", err)
		if werr := retry.Sleep(ctx, wait); werr != nil {
			return Image{}, fmt.Errorf("%w (while waiting to retry after: %w)", werr, err)
		}
	}
}

// statusError is an HTTP response other than 200 OK.
type statusError struct{ code int }

func (e statusError) Error() string {
	return "HTTP " + strconv.Itoa(e.code) + " " + http.StatusText(e.code)
}

// expired returns err, the failure of a download of rawURL, marked as
// ErrExpired if it failed as an expired signed URL does.
func expired(rawURL string, err error, now time.Time) error {
	var status statusError
	if !errors.As(err, &status) {
		return err
	}
	switch status.code {
	case http.StatusForbidden, http.StatusNotFound, http.StatusGone:
		return expiredError{err}
	}
	u, perr := url.Parse(rawURL)
	if perr != nil || status.code < 400 || status.code >= 500 {
		return err
	}
	q := u.Query()
	if exp, perr := strconv.ParseInt(cmp.Or(q.Get("expires"), q.Get("Expires")), 10, 64); perr == nil && exp < now.Unix() {
		return expiredError{err}
	}
	return err
}

// retryable reports whether another attempt might succeed.
func retryable(err error) bool {
	var status statusError
	var refused refusedError
	switch {
	case errors.As(err, &refused), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.As(err, &status):
		return status.code >= 500 || status.code == http.StatusRequestTimeout || status.code == http.StatusTooManyRequests
	}
	return true // the network or a truncated body
}

// get makes one request for rawURL and returns the body.
func (s *Store) get(ctx context.Context, rawURL string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, refusedf("%v", err)
	}
	req.Header.Set("Accept", "image/*")
	resp, err := s.client().Do(req)
	if err != nil {
		return nil, redactURLError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // lets the connection be reused
		return nil, statusError{resp.StatusCode}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" && !imageContentType(ct) {
		return nil, refusedf("content type %q is not an image", ct)
	}
	limit := s.maxBytes()
	if resp.ContentLength > limit {
		return nil, refusedf("image of %d bytes is over the %d-byte limit", resp.ContentLength, limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, refusedf("image is over the %d-byte limit", limit)
	}
	if resp.ContentLength >= 0 && int64(len(data)) != resp.ContentLength {
		return nil, fmt.Errorf("response truncated at %d of %d bytes: %w", len(data), resp.ContentLength, io.ErrUnexpectedEOF)
	}
	return data, nil
}

// imageContentType reports whether a Content-Type header allows an image:
// an image type, or one that says nothing about the content.
func imageContentType(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	return strings.HasPrefix(ct, "image/") || strings.HasPrefix(ct, "application/octet-stream") ||
		strings.HasPrefix(ct, "binary/octet-stream")
}

// describe identifies downloaded bytes as an image.
func (s *Store) describe(rawURL string, data []byte) (Image, error) {
	typ, ok := sniff(data, s.AllowSVG)
	if !ok {
		return Image{}, refusedf("content is not a supported image (%s)", http.DetectContentType(data))
	}
	u, _ := url.Parse(rawURL) // parsed by Key already
	sum := sha256.Sum256(data)
	w, h := dimensions(typ, data)
	return Image{
		Name:   hex.EncodeToString(sum[:])[:16] + extensions[typ],
		Source: source(u),
		Type:   typ,
		Size:   int64(len(data)),
		Width:  w,
		Height: h,
	}, nil
}

// store writes an image's bytes, then its metadata, each atomically, so
// that metadata in the cache always has its bytes beside it.
func (s *Store) store(key string, img Image, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(s.blobPath(key)), 0o755); err != nil {
		return fmt.Errorf("creating the image cache: %w", err)
	}
	if err := writeFileAtomic(s.blobPath(key), data); err != nil {
		return fmt.Errorf("caching image: %w", err)
	}
	meta, err := json.Marshal(img)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(s.metaPath(key), meta); err != nil {
		return fmt.Errorf("caching image metadata: %w", err)
	}
	s.remember(key, img)
	return nil
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = io.Copy(f, bytes.NewReader(data))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// redact drops the query of a URL, for messages: the query of an image URL
// is a signature.
func redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		s, _, _ := strings.Cut(rawURL, "?")
		return s
	}
	u.RawQuery, u.ForceQuery, u.User = "", false, nil
	return u.String()
}

// redactURLError drops the query from the URL a *url.Error quotes.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: redact(ue.URL), Err: ue.Err}
	}
	return err
}

// backoffBase is the wait before the first retry.
func (s *Store) backoffBase() time.Duration {
	if s.Backoff <= 0 {
		return DefaultBackoff
	}
	return s.Backoff
}

func (s *Store) client() *http.Client {
	s.httpOnce.Do(func() { s.http = s.Policy.client(defaultTimeout) })
	return s.http
}

func (s *Store) concurrency() int {
	if s.Concurrency > 0 {
		return s.Concurrency
	}
	return DefaultConcurrency
}

func (s *Store) retries() int {
	switch {
	case s.Retries < 0:
		return 0
	case s.Retries == 0:
		return DefaultRetries
	}
	return s.Retries
}

func (s *Store) maxBytes() int64 {
	if s.MaxBytes > 0 {
		return s.MaxBytes
	}
	return DefaultMaxBytes
}

func (s *Store) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}
