package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/helpsite/helpsite/internal/cli"
	"net"
	"net/http"
	"time"

	"github.com/helpsite/helpsite/internal/sitehttp"
)

// runServe serves a built site directory, for looking at a build locally.
// The webhook server is what serves a site in production.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlagSet(e.stderr, "sitegen "+"serve", "--dir DIR [--listen ADDR]")
	dir := fs.String("dir", "", "built site directory (required)")
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return cli.Usagef("--dir DIR is required")
	}
	site, err := sitehttp.Open(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", *dir, ln.Addr())
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
