package fetch

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/helpsite/helpsite/internal/retry"
)

// pacer keeps the client inside Intercom's rate limit. It tracks how many
// calls the current window has left (X-RateLimit-Remaining) and when the
// window ends (X-RateLimit-Reset), counts down locally for requests in
// flight, and holds requests back once only a reserve is left, so that a
// normal sync never sees a 429.
type pacer struct {
	reserve int

	mu        sync.Mutex
	known     bool // whether remaining and reset come from a response
	remaining int
	reset     time.Time
}

// newPacer keeps back one call per request that may be in flight.
func newPacer(inFlight int) *pacer { return &pacer{reserve: inFlight} }

// wait returns when a request may be sent.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		now := time.Now()
		if p.known && !now.Before(p.reset) {
			p.known = false // a new window has begun
		}
		if !p.known || p.remaining > p.reserve {
			p.remaining--
			p.mu.Unlock()
			return nil
		}
		delay := p.reset.Sub(now)
		p.mu.Unlock()
		if err := retry.Sleep(ctx, delay); err != nil {
			return err
		}
	}
}

// observe takes the rate-limit headers of a response into account.
func (p *pacer) observe(h http.Header) {
	remaining, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err2 := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil {
		return
	}
	p.update(remaining, time.Unix(reset, 0))
}

// block holds every request back until t, after a 429.
func (p *pacer) block(t time.Time) {
	if now := time.Now(); !t.After(now) {
		t = now.Add(time.Second) // the reset is in whole seconds
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.known, p.remaining = true, 0
	if t.After(p.reset) {
		p.reset = t
	}
}

func (p *pacer) update(remaining int, reset time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.known || reset.After(p.reset):
		// First word on this window, or a newer window.
		p.known, p.remaining, p.reset = true, remaining, reset
	case reset.Equal(p.reset):
		// Responses arrive out of order: the lowest count is the truest.
		p.remaining = min(p.remaining, remaining)
	}
}
