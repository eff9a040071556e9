package fakeintercom

import "time"

// rateWindow is one token's use of the current window.
type rateWindow struct {
	index int64 // the window's number since the Unix epoch
	used  int
}

// rateState is what the X-RateLimit headers report.
type rateState struct {
	limit     int   // calls per minute
	remaining int   // calls left in the window
	reset     int64 // Unix seconds when the window ends
}

// allowance is the number of calls one window allows.
func (s *Server) allowance() int {
	return max(1, int(float64(s.opts.RatePerMinute)*s.opts.Window.Minutes()))
}

// window returns the current window's number and end.
func (s *Server) window() (int64, int64) {
	now := s.opts.Now().UnixNano()
	w := int64(s.opts.Window)
	index := now / w
	end := (index + 1) * w
	return index, (end + int64(time.Second) - 1) / int64(time.Second)
}

// take spends one call of token's window, if any is left.
func (s *Server) take(token string) (*rateState, bool) {
	index, reset := s.window()
	allowance := s.allowance()
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	rw := s.rates[token]
	if rw == nil {
		rw = &rateWindow{}
		s.rates[token] = rw
	}
	if rw.index != index {
		rw.index, rw.used = index, 0
	}
	if rw.used >= allowance {
		return &rateState{limit: s.opts.RatePerMinute, reset: reset}, false
	}
	rw.used++
	return &rateState{limit: s.opts.RatePerMinute, remaining: allowance - rw.used, reset: reset}, true
}

// exhausted is the state a 429 storm reports.
func (s *Server) exhausted() *rateState {
	_, reset := s.window()
	return &rateState{limit: s.opts.RatePerMinute, reset: reset}
}
