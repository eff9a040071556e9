// Package fakeintercom is a faithful fake of Intercom's Help Center REST API,
// versions 2.7 to 2.16, for tests, the demo and benchmarks.
//
// It serves help centers, collections, sections, articles and article search
// in the exact shape of each version's OpenAPI description, with Intercom's
// paging, errors, per-token rate limits and signed, expiring image URLs, and
// it can inject the faults a real network and a real API produce: server
// errors, dropped connections, truncated bodies, latency and 429 storms. It
// also builds and signs webhook notifications. Generate makes a realistic
// multilingual Help Center to serve.
package fakeintercom

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// Options configures a Server. Zero values are sensible.
type Options struct {
	// Tokens are the accepted bearer tokens; empty means {"test-token"}.
	Tokens []string
	// DefaultVersion is used when a request has no Intercom-Version;
	// "" means "2.11".
	DefaultVersion string
	// RatePerMinute is each token's limit (0 means 10000), enforced in
	// windows of Window that each allow RatePerMinute*Window/time.Minute
	// calls, as Intercom does.
	RatePerMinute int
	// Window is the rate-limit window; 0 means 10s.
	Window time.Duration
	// ImageSecret signs image URLs; nil means a fixed default.
	ImageSecret []byte
	// ImageTTL is how long a served image URL stays valid; 0 means 10m.
	ImageTTL time.Duration
	// Now is the clock for mutation timestamps, rate windows and image
	// expiry; nil means time.Now.
	Now func() time.Time
	// Quirks makes responses vary within what Intercom is seen to send:
	// ids sometimes as JSON numbers, pages.next in every form, null urls on
	// draft translations, empty parent_ids beside parent_id, nested
	// collections without help_center_id, HTML-escaped JSON strings. The
	// variations are deterministic.
	Quirks bool
	// Seed seeds fault injection.
	Seed int64
}

// Faults are injected into API calls (not image downloads). Rates are
// fractions of requests in [0, 1]; each request draws its fault from a
// source seeded with Options.Seed, so a given sequence of requests always
// meets the same faults.
type Faults struct {
	// ServerErrorRate is the fraction answered 500, 502 or 503 with an
	// error.list body.
	ServerErrorRate float64
	// ResetRate is the fraction whose connection is closed without a
	// response.
	ResetRate float64
	// TruncateRate is the fraction whose body is cut short: the full
	// Content-Length is announced, fewer bytes are sent and the connection
	// is closed.
	TruncateRate float64
	// SlowRate is the fraction delayed by Latency before being answered.
	SlowRate float64
	Latency  time.Duration
	// Storm429 is how many of the next requests get 429
	// rate_limit_exceeded whatever their token's budget.
	Storm429 int
	// RejectAllTokens answers every request 401, as after a token is
	// revoked.
	RejectAllTokens bool
	// ExpiredListImages makes the answers that list articles (GET
	// /articles, /articles/search) sign their image URLs already expired,
	// as if they expired between the listing and the download: the CDN
	// answers them 403, and a read of the article (GET /articles/{id})
	// gives fresh ones.
	ExpiredListImages bool
}

// Server is the fake API, an http.Handler. API paths are Intercom's; image
// URLs are served under /cdn/.
type Server struct {
	opts    Options
	version version
	tokens  map[string]bool

	mu    sync.RWMutex // guards store and baseURL
	store *store
	// baseURL is where the fake is reached, for image URLs outside a
	// request (webhook items): set by SetBaseURL or from the last API call.
	baseURL string

	faultMu sync.Mutex // guards faults and rng
	faults  Faults
	rng     *rand.Rand

	rateMu sync.Mutex // guards rates
	rates  map[string]*rateWindow

	images imageCache
	// buffers recycles answer buffers: a page of articles is megabytes.
	buffers sync.Pool

	requests   atomic.Int64 // numbers request ids
	calls      atomic.Int64
	imageCalls atomic.Int64
	routeMu    sync.Mutex
	routes     map[string]int64
}

// New returns a Server for a deep copy of site. It panics if site is
// inconsistent (an article in a collection that does not exist, a collection
// cycle, an article without its default locale), which is a bug in the
// caller. URLs in site are replaced by those Intercom derives from the help
// center URL and the titles.
func New(site *content.Site, opts Options) *Server {
	if len(opts.Tokens) == 0 {
		opts.Tokens = []string{"test-token"}
	}
	if opts.DefaultVersion == "" {
		opts.DefaultVersion = "2.11"
	}
	v, err := parseVersion(opts.DefaultVersion)
	if err != nil {
		panic("fakeintercom: " + err.Error())
	}
	if opts.RatePerMinute <= 0 {
		opts.RatePerMinute = 10000
	}
	if opts.Window <= 0 {
		opts.Window = 10 * time.Second
	}
	if opts.ImageSecret == nil {
		opts.ImageSecret = []byte("fakeintercom image secret")
	}
	if opts.ImageTTL <= 0 {
		opts.ImageTTL = 10 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st, err := newStore(site)
	if err != nil {
		panic("fakeintercom: " + err.Error())
	}
	s := &Server{
		opts:    opts,
		version: v,
		tokens:  make(map[string]bool),
		store:   st,
		rng:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x1e7c0)),
		rates:   make(map[string]*rateWindow),
		routes:  make(map[string]int64),
	}
	for _, t := range opts.Tokens {
		s.tokens[t] = true
	}
	return s
}

// SetFaults replaces the faults injected from now on.
func (s *Server) SetFaults(f Faults) {
	s.faultMu.Lock()
	s.faults = f
	s.faultMu.Unlock()
}

// SetBaseURL says where the fake is reached (e.g. an httptest.Server's URL),
// so that notification items carry image URLs that resolve. Without it they
// use the host of the latest API call.
func (s *Server) SetBaseURL(u string) {
	s.mu.Lock()
	s.baseURL = strings.TrimSuffix(u, "/")
	s.mu.Unlock()
}

// Calls is the number of API calls received, whatever their answer (faults
// included); image downloads are counted by ImageCalls.
func (s *Server) Calls() int64 { return s.calls.Load() }

// CallsByRoute counts the API calls by route, e.g. "GET /articles" or
// "GET /articles/{id}".
func (s *Server) CallsByRoute() map[string]int64 {
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	out := make(map[string]int64, len(s.routes))
	for k, v := range s.routes {
		out[k] = v
	}
	return out
}

// ImageCalls is the number of image downloads.
func (s *Server) ImageCalls() int64 { return s.imageCalls.Load() }

// ResetCalls zeroes every counter.
func (s *Server) ResetCalls() {
	s.calls.Store(0)
	s.imageCalls.Store(0)
	s.routeMu.Lock()
	clear(s.routes)
	s.routeMu.Unlock()
}

// Site returns a deep copy of the current canonical data.
func (s *Server) Site() *content.Site {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return cloneSite(s.store.site)
}

// Expected returns what a perfect client fetching with the given
// Intercom-Version ends up with: the canonical data with APIVersion set,
// SyncedAt zero, only each article's first parent before 2.16, and no help
// center default or locales before 2.16. Nested collections keep the help
// center of their root, which the API does not repeat on sections. Bodies
// keep their canonical image URLs (see Unsign). It panics on a version the
// fake does not serve.
func (s *Server) Expected(ver string) *content.Site {
	v, err := parseVersion(ver)
	if err != nil {
		panic("fakeintercom: " + err.Error())
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.store.expected(v)
}

// UpdateArticle applies fn to the article, then stamps the current time as
// UpdatedAt on every translation whose content (title, description, body,
// author, state) changed, or on the default locale when the article moved,
// and sets the article's top-level CreatedAt and UpdatedAt from its default
// locale, as Intercom does.
func (s *Server) UpdateArticle(id string, fn func(*content.Article)) error {
	return s.mutate(func(now time.Time) error { return s.store.updateArticle(id, now, fn) })
}

// CreateArticle adds an article; zero timestamps are set to now.
func (s *Server) CreateArticle(a content.Article) error {
	return s.mutate(func(now time.Time) error { return s.store.createArticle(a, now) })
}

// DeleteArticle deletes an article.
func (s *Server) DeleteArticle(id string) error {
	return s.mutate(func(time.Time) error { return s.store.deleteArticle(id) })
}

// UpdateCollection applies fn to the collection and stamps UpdatedAt with
// the current time if anything changed (names, descriptions, parent, order,
// icon). Moving a collection moves what it holds.
func (s *Server) UpdateCollection(id string, fn func(*content.Collection)) error {
	return s.mutate(func(now time.Time) error { return s.store.updateCollection(id, now, fn) })
}

// DeleteCollection deletes a collection and its nested collections. Their
// articles remain, without those parents; their updated_at is left alone, so
// only a full listing sees the change.
func (s *Server) DeleteCollection(id string) error {
	return s.mutate(func(time.Time) error { return s.store.deleteCollection(id) })
}

func (s *Server) mutate(fn func(now time.Time) error) error {
	now := second(s.opts.Now())
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(now)
}

// ServeHTTP serves the API and, under /cdn/, the images its bodies link to.
// An API call meets its drawn fault first, then authentication, the rate
// limit, the version and method checks, and finally its route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, cdnPrefix); ok {
		s.imageCalls.Add(1)
		s.serveImage(w, r, rest)
		return
	}
	s.calls.Add(1)
	rt := match(r.URL.Path)
	s.countRoute(r.Method + " " + rt.pattern)
	s.rememberHost(r)

	resp := &responder{w: w, requestID: s.requestID()}
	fault := s.drawFault()
	if !s.suffer(resp, r, fault) {
		return
	}
	v, ok := s.admit(resp, r, fault)
	if !ok {
		return
	}
	if rt.handle == nil {
		resp.error(errNotFound)
		return
	}
	if rt.since > v.minor || v.minor > rt.until {
		resp.error(errVersion)
		return
	}
	view := s.view(r, v)
	if fault.expiredImages && !strings.HasSuffix(rt.pattern, "/{id}") {
		view.expires = s.opts.Now().Add(-time.Minute).Unix()
	}
	s.mu.RLock()
	body, aerr := rt.handle(view, s.store, rt.id, r.URL.Query())
	s.mu.RUnlock()
	if aerr != nil {
		resp.error(aerr)
		return
	}
	resp.json(http.StatusOK, body)
	if cap(body) <= maxPooledBuffer {
		s.buffers.Put(&body)
	}
}

// suffer applies the fault that ends or delays a call before it is
// handled, and arms truncation; it reports whether to go on.
func (s *Server) suffer(resp *responder, r *http.Request, f fault) bool {
	switch {
	case f.reset:
		resp.reset()
		return false
	case f.slow > 0:
		t := time.NewTimer(f.slow)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	resp.truncate = f.truncate
	if f.serverError != 0 {
		resp.error(&apiError{status: f.serverError, code: "server_error", message: http.StatusText(f.serverError)})
		return false
	}
	return true
}

// admit authenticates the call, spends its rate limit and checks its
// version and method; it answers and reports false for a call refused.
func (s *Server) admit(resp *responder, r *http.Request, f fault) (version, bool) {
	token, ok := s.authenticate(r)
	if !ok || f.rejectToken {
		resp.error(errUnauthorized)
		return version{}, false
	}
	if f.storm {
		resp.rate = s.exhausted()
		resp.error(errRateLimited)
		return version{}, false
	}
	rate, allowed := s.take(token)
	resp.rate = rate
	if !allowed {
		resp.error(errRateLimited)
		return version{}, false
	}
	v := s.version
	if h := r.Header.Get("Intercom-Version"); h != "" {
		var err error
		if v, err = parseVersion(h); err != nil {
			resp.error(&apiError{status: http.StatusBadRequest, code: "intercom_version_invalid", message: err.Error()})
			return version{}, false
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		resp.w.Header().Set("Allow", "GET, HEAD")
		resp.error(&apiError{status: http.StatusMethodNotAllowed, code: "method_not_allowed", message: "The fake Intercom API is read-only"})
		return version{}, false
	}
	return v, true
}

// maxPooledBuffer bounds the buffers kept for reuse.
const maxPooledBuffer = 64 << 20

func (s *Server) countRoute(route string) {
	s.routeMu.Lock()
	s.routes[route]++
	s.routeMu.Unlock()
}

func (s *Server) rememberHost(r *http.Request) {
	s.mu.RLock()
	known := s.baseURL != ""
	s.mu.RUnlock()
	if !known {
		s.SetBaseURL(origin(r))
	}
}

// origin is the scheme and host a request reached the fake at.
func origin(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// requestID returns a uuid-shaped id, unique within the server.
func (s *Server) requestID() string {
	sum := sha256.Sum256(strconv.AppendInt(nil, s.requests.Add(1), 10))
	h := hex.EncodeToString(sum[:16])
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func (s *Server) authenticate(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, s.tokens[token]
}

// apiError is an error.list answer.
type apiError struct {
	status               int
	code, message, field string
}

var (
	errUnauthorized = &apiError{status: http.StatusUnauthorized, code: "unauthorized", message: "Access Token Invalid"}
	errNotFound     = &apiError{status: http.StatusNotFound, code: "not_found", message: "Resource Not Found"}
	errRateLimited  = &apiError{status: http.StatusTooManyRequests, code: "rate_limit_exceeded", message: "You have exceeded the rate limit. Please try again later."}
	errVersion      = &apiError{status: http.StatusBadRequest, code: "intercom_version_invalid", message: "Requested resource is not available in current API version."}
)

// responder writes one API answer, with the request id, the rate-limit
// headers of an authenticated call and, if drawn, a truncated body.
type responder struct {
	w         http.ResponseWriter
	requestID string
	rate      *rateState
	truncate  float64 // if > 0, the fraction of the body actually sent
}

func (p *responder) error(e *apiError) {
	w := jsonWriter{}
	w.beginObject()
	w.key("type")
	w.str("error.list")
	w.key("request_id")
	w.str(p.requestID)
	w.key("errors")
	w.beginArray()
	w.beginObject()
	w.key("code")
	w.str(e.code)
	w.key("message")
	w.str(e.message)
	if e.field != "" {
		w.key("field")
		w.str(e.field)
	}
	w.endObject()
	w.endArray()
	w.endObject()
	p.json(e.status, w.b)
}

func (p *responder) json(status int, body []byte) {
	h := p.w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Request-Id", p.requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if p.rate != nil {
		h.Set("X-RateLimit-Limit", strconv.Itoa(p.rate.limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(p.rate.remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(p.rate.reset, 10))
	}
	p.w.WriteHeader(status)
	if p.truncate > 0 {
		body = body[:int(float64(len(body))*p.truncate)]
	}
	p.w.Write(body) //nolint:errcheck // the client went away
	if p.truncate > 0 {
		p.reset()
	}
}

// reset closes the connection without (the rest of) an answer. Hijack
// flushes what was written first.
func (p *responder) reset() {
	if conn, _, err := http.NewResponseController(p.w).Hijack(); err == nil {
		conn.Close()
		return
	}
	panic(http.ErrAbortHandler)
}
