package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/sitehttp"
)

// serveFlags are sitegen serve's flags.
type serveFlags struct {
	dir, listen string
}

func serveCommand(e *env) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve --dir DIR",
		Short: "Serve a built site locally",
		Long: `Serve serves a built site or bundle directory as a static host would: clean URLs,
the site's 404 pages, its redirects, ETags and gzip (precompressed .gz files, or
compressed on the fly). The webhook server is what serves a site in production.`,
		Example: `  sitegen serve --dir site
  sitegen serve --dir site --listen 127.0.0.1:9000`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), e, f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.dir, "dir", "", "serve the built site in `DIR` (required)")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8080", "`ADDR` to listen on")
	return cmd
}

// runServe serves a built site directory until ctx is done.
func runServe(ctx context.Context, e *env, f *serveFlags) error {
	if f.dir == "" {
		return cli.Usagef("--dir DIR is required")
	}
	if err := cli.CheckDir("dir", f.dir); err != nil {
		return cli.WithHint(err, "Build a site first: sitegen build --demo --out "+f.dir)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "index.html")); err != nil {
		return cli.UsageError{Err: fmt.Errorf("--dir %s is not a built site: it has no index.html", f.dir),
			Hint: "Give the --out directory of 'sitegen build' or 'sitegen bundle'."}
	}
	site, err := sitehttp.Open(f.dir)
	if err != nil {
		return fmt.Errorf("opening %s: %w", f.dir, err)
	}
	ln, err := cli.Listen(f.listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", f.dir, ln.Addr())
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
