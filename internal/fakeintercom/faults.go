package fakeintercom

import (
	"net/http"
	"time"
)

// fault is what one request suffers.
type fault struct {
	rejectToken bool
	storm       bool
	reset       bool
	serverError int           // status, or 0
	truncate    float64       // fraction of the body sent, or 0
	slow        time.Duration // delay, or 0
	// expiredImages signs image URLs in lists expired.
	expiredImages bool
}

var serverErrors = [...]int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable}

// drawFault decides the request's fault. Every request makes the same
// draws, so the faults depend only on the seed and the request sequence.
func (s *Server) drawFault() fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	f := s.faults
	kind, slow, detail := s.rng.Float64(), s.rng.Float64(), s.rng.Float64()
	var out fault
	out.rejectToken = f.RejectAllTokens
	out.expiredImages = f.ExpiredListImages
	if f.Storm429 > 0 {
		s.faults.Storm429--
		out.storm = true
	}
	if slow < f.SlowRate {
		out.slow = f.Latency
	}
	switch {
	case kind < f.ResetRate:
		out.reset = true
	case kind < f.ResetRate+f.ServerErrorRate:
		out.serverError = serverErrors[int(detail*float64(len(serverErrors)))]
	case kind < f.ResetRate+f.ServerErrorRate+f.TruncateRate:
		out.truncate = 0.1 + 0.8*detail
	}
	return out
}
