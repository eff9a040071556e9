package browsertest

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// policy decides which request URLs a page may load.
type policy struct {
	offline bool
	// hosts holds the allowed host and host:port values; nil allows every
	// loopback host.
	hosts map[string]bool
	// stubs holds the hosts whose requests are answered with an empty page.
	stubs map[string]bool
}

func newPolicy(cfg config) (policy, error) {
	p := policy{offline: cfg.offline, stubs: make(map[string]bool)}
	for _, h := range cfg.stubs {
		if u, err := url.Parse(h); err == nil && u.Host != "" {
			h = u.Hostname()
		}
		p.stubs[h] = true
	}
	if len(cfg.hosts) == 0 {
		return p, nil
	}
	if cfg.offline {
		return policy{}, errors.New("Offline and AllowHosts exclude each other")
	}
	p.hosts = make(map[string]bool)
	for _, h := range cfg.hosts {
		u := url.URL{Host: h}
		if !isLoopback(u.Hostname()) {
			return policy{}, fmt.Errorf("AllowHosts(%q): not a loopback host; tests must not use the network", h)
		}
		p.hosts[h] = true
	}
	return p, nil
}

// allows reports whether a page may load rawURL.
func (p policy) allows(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "file", "data", "blob":
		return true
	case "http", "https", "ws", "wss":
		if p.offline {
			return false
		}
		if p.hosts != nil {
			return p.hosts[u.Host] || p.hosts[u.Hostname()]
		}
		return isLoopback(u.Hostname())
	}
	return false
}

// stubbed reports whether a request for rawURL is answered with an empty
// page instead of being sent or blocked.
func (p policy) stubbed(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && p.stubs[u.Hostname()]
}

// blockedReason is the Reason of a FailedRequest that the policy refused.
const blockedReason = "blocked by browsertest: not a local or allowed URL"

// filterRequests answers every request that the Fetch domain pauses: it lets
// allowed ones continue and fails the others, recording them as blocked. It
// returns when the page's context ends.
func filterRequests(ctx context.Context, paused iter.Seq2[fetch.EventRequestPaused, error], pol policy, rec *recorder) {
	for ev, err := range paused {
		if err != nil {
			return
		}
		switch {
		case pol.stubbed(ev.Request.URL):
			ctype, body := "text/html; charset=utf-8", "<!doctype html><title>stub</title>"
			if ev.ResourceType == network.ResourceTypeScript { // a third party's script: an empty one
				ctype, body = "text/javascript; charset=utf-8", "/* stub */"
			}
			_, err = chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID:       ev.RequestID,
				ResponseCode:    200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: ctype}, {Name: "Access-Control-Allow-Origin", Value: "*"}},
				Body:            []byte(body),
			})
		case pol.allows(ev.Request.URL):
			_, err = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		default:
			// Record before failing, so the loadingFailed event that
			// follows finds the request already recorded as blocked.
			rec.addFailure(ev.NetworkID, FailedRequest{URL: ev.Request.URL, Reason: blockedReason, Blocked: true})
			_, err = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{
				RequestID:   ev.RequestID,
				ErrorReason: network.ErrorReasonBlockedByClient,
			})
		}
		if err != nil && ctx.Err() == nil {
			rec.addProblem(fmt.Sprintf("browsertest: answering paused request %s: %v", ev.Request.URL, err))
		}
	}
}

// emulateOffline makes the page's network behave as disconnected.
func emulateOffline(ctx context.Context, tg *chromedp.Target) error {
	if _, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		return fmt.Errorf("emulating offline network: %w", err)
	}
	if _, err := cdp.Call(ctx, tg, network.OverrideNetworkState, network.OverrideNetworkStateParams{
		Offline: true, DownloadThroughput: -1, UploadThroughput: -1,
	}); err != nil {
		return fmt.Errorf("setting navigator.onLine to false: %w", err)
	}
	return nil
}
