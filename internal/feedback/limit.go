package feedback

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Limiter limits the requests of each client: a bucket of Burst requests
// per client, refilled with one every Every. It forgets clients whose
// bucket is full again, and keeps at most maxClients, so that a flood of
// addresses cannot grow it without bound. It is safe for concurrent use.
type Limiter struct {
	Burst int
	Every time.Duration
	// Now is the clock; time.Now if nil.
	Now func() time.Time

	mu      sync.Mutex
	clients map[string]bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxClients is how many clients a Limiter tracks at most; past it, it
// forgets those whose buckets are full, or, in a flood, refuses new ones.
const maxClients = 100_000

// Allow reports whether client may make a request now, taking a token from
// its bucket if so; if not, it says how long until it may.
func (l *Limiter) Allow(client string) (bool, time.Duration) {
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clients == nil {
		l.clients = map[string]bucket{}
	}
	b, ok := l.clients[client]
	if !ok {
		if len(l.clients) >= maxClients {
			l.forget(now)
			if len(l.clients) >= maxClients {
				return false, l.Every
			}
		}
		b = bucket{tokens: float64(l.Burst), at: now}
	}
	b.tokens = min(float64(l.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.Every))
	b.at = now
	if b.tokens < 1 {
		l.clients[client] = b
		return false, time.Duration((1 - b.tokens) * float64(l.Every))
	}
	b.tokens--
	l.clients[client] = b
	return true, 0
}

// forget drops the clients whose buckets have refilled.
func (l *Limiter) forget(now time.Time) {
	for c, b := range l.clients {
		if b.tokens+float64(now.Sub(b.at))/float64(l.Every) >= float64(l.Burst) {
			delete(l.clients, c)
		}
	}
}

// ClientAddr is the address of the client of r: the peer's, or, when the
// peer is a proxy on this host or a private network (a reverse proxy in
// front of the server), the last address in X-Forwarded-For, which that
// proxy added. Addresses further left are whatever the client sent.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	peer = peer.Unmap()
	if peer.IsLoopback() || peer.IsPrivate() {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		if last, err := netip.ParseAddr(strings.TrimSpace(hops[len(hops)-1])); err == nil {
			return last.Unmap().String()
		}
	}
	return peer.String()
}
