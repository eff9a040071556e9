package fakeintercom

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestServerErrors(t *testing.T) {
	s, ts := start(t, testSite(t), Options{Seed: 1})
	s.SetFaults(Faults{ServerErrorRate: 1})
	seen := map[int]bool{}
	for range 30 {
		r := call(t, ts.URL+"/articles", "test-token", "")
		if !slices.Contains(serverErrors[:], r.status) {
			t.Fatalf("status %d, want a 5xx", r.status)
		}
		if code := errorCode(t, r); code != "server_error" {
			t.Errorf("code %q", code)
		}
		seen[r.status] = true
	}
	if len(seen) != len(serverErrors) {
		t.Errorf("statuses seen: %v, want 500, 502 and 503", seen)
	}
	if s.Calls() != 30 {
		t.Errorf("Calls() = %d, want 30", s.Calls())
	}
}

func TestReset(t *testing.T) {
	s, ts := start(t, testSite(t), Options{})
	s.SetFaults(Faults{ResetRate: 1})
	if r := call(t, ts.URL+"/articles", "test-token", ""); r.err == nil {
		t.Errorf("got status %d, want the connection dropped", r.status)
	}
}

func TestTruncate(t *testing.T) {
	s, ts := start(t, testSite(t), Options{})
	s.SetFaults(Faults{TruncateRate: 1})
	for range 5 {
		r := call(t, ts.URL+"/articles", "test-token", "")
		if r.status != 200 {
			t.Fatalf("status %d", r.status)
		}
		announced, _ := strconv.Atoi(r.header.Get("Content-Length"))
		if !errors.Is(r.err, io.ErrUnexpectedEOF) || len(r.body) >= announced {
			t.Errorf("read %d of %d announced bytes, error %v; want a short body", len(r.body), announced, r.err)
		}
	}
}

func TestSlow(t *testing.T) {
	s, ts := start(t, testSite(t), Options{})
	s.SetFaults(Faults{SlowRate: 1, Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/articles", nil)
	req.Header.Set("Authorization", "Bearer test-token")
	if r := do(t, req); !errors.Is(r.err, context.DeadlineExceeded) {
		t.Errorf("status %d, error %v; want the request still waiting at its deadline", r.status, r.err)
	}
	s.SetFaults(Faults{SlowRate: 0, Latency: time.Hour})
	if r := call(t, ts.URL+"/articles", "test-token", ""); r.status != 200 {
		t.Errorf("without SlowRate: status %d", r.status)
	}
}

func TestStorm429(t *testing.T) {
	clk := newClock()
	s, ts := start(t, testSite(t), Options{Now: clk.Now})
	s.SetFaults(Faults{Storm429: 2})
	reset := strconv.FormatInt((clk.Now().Unix()/10+1)*10, 10)
	for i := range 2 {
		r := call(t, ts.URL+"/articles", "test-token", "")
		if r.status != 429 || errorCode(t, r) != "rate_limit_exceeded" {
			t.Fatalf("call %d: status %d: %s", i+1, r.status, r.body)
		}
		if r.header.Get("X-RateLimit-Remaining") != "0" || r.header.Get("X-RateLimit-Reset") != reset {
			t.Errorf("call %d: remaining %s reset %s, want 0 and %s", i+1,
				r.header.Get("X-RateLimit-Remaining"), r.header.Get("X-RateLimit-Reset"), reset)
		}
	}
	if r := call(t, ts.URL+"/articles", "test-token", ""); r.status != 200 {
		t.Errorf("after the storm: status %d", r.status)
	}
}

// TestFaultsDeterministic runs the same requests against two servers with
// the same seed and mixed faults: they must fail the same way.
func TestFaultsDeterministic(t *testing.T) {
	site := testSite(t)
	outcomes := func(seed int64) []string {
		s, ts := start(t, site, Options{Seed: seed})
		s.SetFaults(Faults{ServerErrorRate: 0.2, ResetRate: 0.1, TruncateRate: 0.1})
		var out []string
		for range 40 {
			// A fresh connection each time: Go's transport silently
			// retries a GET whose reused connection is reset.
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/help_center/collections", nil)
			req.Header.Set("Authorization", "Bearer test-token")
			req.Close = true
			r := do(t, req)
			switch {
			case r.err != nil && r.status == 0:
				out = append(out, "reset")
			case r.err != nil:
				out = append(out, "truncated")
			default:
				out = append(out, strconv.Itoa(r.status))
			}
		}
		return out
	}
	a, b := outcomes(42), outcomes(42)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	kinds := map[string]bool{}
	for _, o := range a {
		kinds[o] = true
	}
	if !kinds["200"] || !kinds["reset"] || !kinds["truncated"] || len(kinds) < 4 {
		t.Errorf("outcomes %v lack a fault kind", kinds)
	}
}
