// Package server is helpsite's HTTP front: it receives Intercom's webhooks,
// serves the published site and the search API, and reports health and
// metrics. The work of rebuilding happens elsewhere; the server only hands
// it triggers and shows its state.
package server

import (
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/deploy"
	"github.com/helpsite/helpsite/internal/feedback"
	"github.com/helpsite/helpsite/internal/metrics"
	"github.com/helpsite/helpsite/internal/sitehttp"
	"github.com/helpsite/helpsite/internal/webhook"
)

// Status is what /readyz reports about the build worker.
type Status struct {
	// Ready is true once a site has been published.
	Ready        bool      `json:"ready"`
	LastPublish  time.Time `json:"last_publish,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	PendingEvent int       `json:"pending_events"`
	// SearchPending counts the published changes to articles that search
	// does not show yet: the search indexes follow the pages within
	// seconds.
	SearchPending int `json:"search_pending"`
	// Degraded is true while some items are left out of the site; Skipped
	// lists them, with why. The site is still ready.
	Degraded bool              `json:"degraded"`
	Skipped  []content.Skipped `json:"skipped,omitempty"`
	// Push is the state of the pushes to the publish target, if the
	// server has one; Push.Failed says the target lags behind.
	Push *deploy.SyncStatus `json:"push,omitempty"`
}

// Worker is the build worker as the server sees it.
type Worker interface {
	// Rebuild asks for a reconcile with Intercom (full when full is true).
	Rebuild(full bool)
	Status() Status
}

// SearchPath is where the server answers search queries: pages built
// with it as render.Options.SearchAPI search through it.
const SearchPath = "/api/search"

// Config is what New needs.
type Config struct {
	Receiver *webhook.Receiver
	Worker   Worker
	// Site returns the currently published site; nil before the first.
	// A nil Site serves no site: it is published to object storage, and
	// the server is only its control plane.
	Site func() *sitehttp.Site
	// Search serves GET SearchPath; nil disables it.
	Search  http.Handler
	Metrics *metrics.Registry
	// Feedback serves article feedback (feedback.Path) and its report
	// (GET /admin/feedback); nil disables them.
	Feedback *feedback.Handler
	// AdminToken guards POST /admin/rebuild and GET /admin/feedback; empty
	// disables them.
	AdminToken string
	Log        *slog.Logger
}

// New returns the server's handler.
func New(cfg Config) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), accessLog(cfg.Log))

	r.POST("/webhooks/intercom", receive(cfg.Receiver))
	r.HEAD("/webhooks/intercom", func(c *gin.Context) { c.Status(http.StatusOK) })
	r.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	r.GET("/readyz", func(c *gin.Context) {
		st := cfg.Worker.Status()
		code := http.StatusOK
		if !st.Ready {
			// Not ready yet: expected until the first publish.
			code = http.StatusServiceUnavailable
			c.Header("Retry-After", RetryAfter)
		}
		c.JSON(code, st)
	})
	r.GET("/metrics", gin.WrapH(cfg.Metrics.Handler()))
	if cfg.Search != nil {
		r.GET(SearchPath, gin.WrapH(cfg.Search))
	}
	admin := requireAdmin(cfg.AdminToken)
	r.POST("/admin/rebuild", admin, func(c *gin.Context) {
		full := c.Query("full") == "true"
		cfg.Worker.Rebuild(full)
		c.JSON(http.StatusAccepted, gin.H{"rebuild": "scheduled", "full": full})
	})
	if fb := cfg.Feedback; fb != nil {
		r.POST(feedback.Path, gin.WrapF(fb.Post))
		r.OPTIONS(feedback.Path, gin.WrapF(fb.Preflight))
		r.GET("/admin/feedback", admin, gin.WrapF(fb.Report))
		r.GET(feedback.AdminPagePath+"*file", gin.WrapH(feedback.AdminPage()))
	}
	if cfg.Site == nil {
		return r
	}
	r.NoRoute(func(c *gin.Context) {
		site := cfg.Site()
		if site == nil {
			c.Header("Retry-After", RetryAfter)
			c.String(http.StatusServiceUnavailable, "the help site is being built; try again in a moment\n")
			return
		}
		site.ServeHTTP(c.Writer, c.Request)
	})
	return r
}

// receive reads the raw body, at most webhook.MaxBody bytes, and hands it
// to the receiver.
func receive(rcv *webhook.Receiver) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, webhook.MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			rcv.Rejected.Add(1)
			c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": "notification larger than 1 MiB"})
			return
		}
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "reading body: " + err.Error()})
			return
		}
		status, msg := rcv.Receive(body, c.GetHeader("X-Hub-Signature"))
		if status >= http.StatusBadRequest {
			c.JSON(status, gin.H{"error": msg})
			return
		}
		c.JSON(status, gin.H{"result": msg})
	}
}

// requireAdmin lets through only requests with the admin token as their
// bearer token: 403 when the server has none, 401 without it.
func requireAdmin(token string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if token == "" {
			c.AbortWithStatusJSON(http.StatusForbidden, gin.H{"error": "the admin endpoint is disabled: start the server with HELPSITE_ADMIN_TOKEN set to enable it"})
			return
		}
		if !authorized(c.GetHeader("Authorization"), token) {
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "a bearer token matching the server's admin token is required"})
			return
		}
		c.Next()
	}
}

// authorized compares a bearer token in constant time.
func authorized(header, token string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	return ok && token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// RetryAfter is the Retry-After, in seconds, of a 503 that says the server
// is not ready yet (the first site or search index is being built): an
// expected state, which the access log does not report as an error.
const RetryAfter = "5"

// accessLog logs each request at debug level, and server errors at error:
// errors are for what needs a person. A 503 with a Retry-After header is
// the server saying that it is not ready yet, as it is until its first
// publish, not an error.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		level := slog.LevelDebug
		status := c.Writer.Status()
		notReady := status == http.StatusServiceUnavailable && c.Writer.Header().Get("Retry-After") != ""
		if status >= 500 && !notReady {
			level = slog.LevelError
		}
		log.Log(c.Request.Context(), level, "http", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "duration", time.Since(start))
	}
}

// SitePointer holds the published site for Config.Site.
type SitePointer struct{ p atomic.Pointer[sitehttp.Site] }

// Load returns the published site, or nil.
func (s *SitePointer) Load() *sitehttp.Site { return s.p.Load() }

// Store publishes site.
func (s *SitePointer) Store(site *sitehttp.Site) { s.p.Store(site) }
