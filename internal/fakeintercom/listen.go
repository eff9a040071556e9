package fakeintercom

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Running is a fake API serving on a real address.
type Running struct {
	*Server
	// URL is the API's base URL, e.g. http://127.0.0.1:41234.
	URL string
	srv *http.Server
}

// Listen serves api on addr ("127.0.0.1:0" for any free loopback port)
// until Close.
func Listen(addr string, api *Server) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("starting the fake Intercom API: %w", err)
	}
	r := &Running{Server: api, URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}}
	api.SetBaseURL(r.URL)
	go r.srv.Serve(ln)
	return r, nil
}

// Close shuts the server down, waiting up to five seconds for requests in
// flight.
func (r *Running) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.srv.Shutdown(ctx)
}
