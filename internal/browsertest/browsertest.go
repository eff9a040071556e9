// Package browsertest drives a real headless Chromium from Go tests.
//
// New starts one browser for a test; NewPage opens a tab that records what
// goes wrong in it: console errors and warnings, uncaught exceptions, failed
// requests, Content-Security-Policy violations and JavaScript dialogs. The Page helpers fail the test with a
// message that names the step, the page and what the page recorded so far.
//
// The browser never touches the network. Every tab lets through only local
// URLs (file:, data:, blob:) and loopback HTTP servers, refuses every other
// request before it is sent and records it as blocked, and the browser
// resolves no host name but localhost. Offline and AllowHosts narrow this
// further; StubHosts answers the requests to some hosts (video players)
// with an empty page, still sending nothing.
//
//	b := browsertest.New(t, browsertest.AllowHosts(srv.Listener.Addr().String()))
//	p := b.NewPage(t)
//	p.Navigate(srv.URL + "/en/")
//	p.Type("#search", "install")
//	p.WaitVisible("#results a")
//	p.Press("Enter")
//	if got := p.Text("h1"); got != "Install the app" {
//		t.Errorf("after Enter, h1 = %q", got)
//	}
//	p.NoErrors(t)
package browsertest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/helpsite/helpsite/internal/testenv"
)

// execNames are the names under which Chromium or Chrome is looked up in PATH.
var execNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// defaultTimeout bounds each Page helper.
const defaultTimeout = 15 * time.Second

// Browser is a headless Chromium that lives until the end of the test that
// started it.
type Browser struct {
	ctx    context.Context // the chromedp browser context; canceled by t.Cleanup
	policy policy
	cfg    config
}

// config holds what the options set.
type config struct {
	offline bool
	hosts   []string
	stubs   []string
	timeout time.Duration
}

// An Option configures New.
type Option func(*config)

// Offline makes every page behave as if the machine had no network: the
// browser emulates a disconnected network, navigator.onLine is false, and every
// request whose URL is not file:, data: or blob: is blocked and recorded.
// Use it for bundles opened from file://.
func Offline() Option {
	return func(c *config) { c.offline = true }
}

// AllowHosts lets pages load from the given loopback hosts only, each given as
// host or host:port (for example httptest.Server.Listener.Addr().String()).
// Requests to any other host are blocked and recorded. Without AllowHosts,
// pages may load from every loopback host. New fails the test when a host is
// not a loopback address or localhost.
func AllowHosts(hosts ...string) Option {
	return func(c *config) { c.hosts = append(c.hosts, hosts...) }
}

// StubHosts answers every request to the given hosts (such as
// "www.youtube.com", or URLs such as "https://www.youtube.com/embed/", whose
// host is taken) with an empty HTML page from browsertest itself, instead
// of blocking it: pages that embed a frame from such a host load without a
// failed request, and nothing is sent; a script from such a host gets an
// empty script. Use it for the video players that article pages embed and
// third parties' scripts (Intercom's Messenger).
func StubHosts(hosts ...string) Option {
	return func(c *config) { c.stubs = append(c.stubs, hosts...) }
}

// Timeout sets how long each Page helper may wait; the default is 15 s.
func Timeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// New starts a headless Chromium with a fresh profile and stops it when the
// test ends. When no Chromium is installed, New skips the test, or fails it
// when the environment variable CI is set, so that CI never silently skips
// browser tests.
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	cfg := config{timeout: defaultTimeout}
	for _, o := range opts {
		o(&cfg)
	}
	pol, err := newPolicy(cfg)
	if err != nil {
		t.Fatalf("browsertest.New: %v", err)
	}
	execPath, err := findChromium()
	if err != nil {
		testenv.Missing(t, fmt.Errorf("browsertest.New: %w", err))
	}

	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // tests may run as root, where the sandbox refuses to start
		chromedp.DisableGPU,
		// Some of these repeat chromedp's defaults on purpose: the promise
		// that tests never touch the network rests on them.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-first-run", true),
		// The browser itself resolves no host name, so neither DNS
		// prefetching nor a request that slips past a tab's filter (for
		// example from a worker) can reach the network.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	// The first Run starts the browser and binds it to the context it is
	// given, so it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest.New: starting %s: %v", execPath, err)
	}
	return &Browser{ctx: ctx, policy: pol, cfg: cfg}
}

// findChromium returns the path of the first Chromium or Chrome in PATH.
func findChromium() (string, error) {
	for _, name := range execNames {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("no Chromium found in PATH (looked for %s)", strings.Join(execNames, ", "))
}

// isLoopback reports whether host (without port) names the local machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
