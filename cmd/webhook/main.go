// Command webhook is helpsite's server: it keeps a published help site
// current from Intercom's webhooks and periodic polling, and serves the
// site, its search API, health checks and metrics.
//
// Usage:
//
//	webhook [--config FILE] [--listen ADDR] [--data DIR] [--client-secret S] [API flags]
//	webhook healthcheck [--url URL]
//
// Secrets come from the environment: INTERCOM_ACCESS_TOKEN,
// INTERCOM_CLIENT_SECRET (comma-separated to accept several during a
// rotation) and HELPSITE_ADMIN_TOKEN.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/journal"
	"github.com/helpsite/helpsite/internal/metrics"
	"github.com/helpsite/helpsite/internal/pipeline"
	"github.com/helpsite/helpsite/internal/publish"
	"github.com/helpsite/helpsite/internal/server"
	"github.com/helpsite/helpsite/internal/sitehttp"
	"github.com/helpsite/helpsite/internal/snapshot"
	"github.com/helpsite/helpsite/internal/updater"
	"github.com/helpsite/helpsite/internal/webhook"
	"github.com/helpsite/helpsite/search"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return
	case cli.IsUsage(err):
		fmt.Fprintln(os.Stderr, "webhook:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "webhook:", err)
		os.Exit(1)
	}
}

// options are the server's settings after flags, environment and file.
type options struct {
	api               cli.APIFlags
	listen, data      string
	baseURL           string
	secrets           []string
	adminToken        string
	poll, reconcile   time.Duration
	config            config.Config // the file's site and images sections
	logJSON, logDebug bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(ctx, args[1:], stderr)
	}
	o, err := parseOptions(args, stderr, getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, o)
	return serve(ctx, o, log, stdout)
}

func parseOptions(args []string, stderr io.Writer, getenv func(string) string) (*options, error) {
	fs := cli.NewFlagSet(stderr, "webhook", "[--config FILE] [--listen ADDR] [--data DIR] [--client-secret S] [API flags]")
	o := &options{}
	o.api.Register(fs, getenv)
	configFile := fs.String("config", getenv("HELPSITE_CONFIG"), "helpsite.yaml configuration file (env HELPSITE_CONFIG)")
	fs.StringVar(&o.listen, "listen", cli.OrString(getenv("HELPSITE_LISTEN"), "127.0.0.1:8080"), "address to serve on (env HELPSITE_LISTEN)")
	fs.StringVar(&o.data, "data", cli.OrString(getenv("HELPSITE_DATA"), "helpsite-data"), "directory for the snapshot, journal, releases and search index (env HELPSITE_DATA)")
	fs.StringVar(&o.baseURL, "base-url", getenv("HELPSITE_BASE_URL"), "URL the site is served at (env HELPSITE_BASE_URL); default http://LISTEN/")
	secret := fs.String("client-secret", "", "the Intercom app's client secret (default: env INTERCOM_CLIENT_SECRET)")
	fs.DurationVar(&o.poll, "poll-interval", 10*time.Minute, "how often to poll Intercom for changes")
	fs.DurationVar(&o.reconcile, "reconcile-interval", 24*time.Hour, "how often to list everything (catches deletions)")
	fs.BoolVar(&o.logJSON, "log-json", false, "log in JSON")
	fs.BoolVar(&o.logDebug, "debug", false, "log every request")
	if err := cli.Parse(fs, args); err != nil {
		return nil, err
	}
	set := cli.Set(fs)
	if *configFile != "" {
		cfg, err := config.Load(*configFile)
		if err != nil {
			return nil, cli.UsageError{Err: err}
		}
		o.api.ApplyConfig(fs, cfg.Intercom)
		o.config = *cfg
		s := cfg.Server
		if !set["listen"] && s.Listen != "" {
			o.listen = s.Listen
		}
		if !set["data"] && s.Data != "" {
			o.data = s.Data
		}
		if !set["poll-interval"] && s.PollInterval > 0 {
			o.poll = time.Duration(s.PollInterval)
		}
		if !set["reconcile-interval"] && s.ReconcileInterval > 0 {
			o.reconcile = time.Duration(s.ReconcileInterval)
		}
		if !set["base-url"] && o.baseURL == "" {
			o.baseURL = cfg.Site.BaseURL
		}
	}
	o.secrets = strings.Split(cli.OrString(*secret, getenv("INTERCOM_CLIENT_SECRET")), ",")
	o.adminToken = getenv("HELPSITE_ADMIN_TOKEN")
	return o, nil
}

func newLogger(w io.Writer, o *options) *slog.Logger {
	level := slog.LevelInfo
	if o.logDebug {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if o.logJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// serve wires the journal, the updater and the HTTP server and runs them
// until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, o *options, log *slog.Logger, stdout io.Writer) error {
	verifier, err := webhook.NewVerifier(o.secrets...)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	client, stopAPI, err := o.api.Client(log)
	if err != nil {
		return err
	}
	defer stopAPI()
	j, err := journal.Open(filepath.Join(o.data, "journal"))
	if err != nil {
		return fmt.Errorf("opening the journal: %w", err)
	}
	defer j.Close()
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	defer ln.Close()
	if o.baseURL == "" {
		o.baseURL = "http://" + ln.Addr().String() + "/"
	}
	releases, err := publish.NewReleases(filepath.Join(o.data, "site"), 3)
	if err != nil {
		return err
	}
	renderOpts := cli.RenderOptions(&o.config, o.baseURL, filepath.Join(o.data, "images"), client.BaseURL(), client, log)
	renderOpts.SearchAPI = server.SearchPath
	renderOpts.Live = true
	p, err := pipeline.New(renderOpts)
	if err != nil {
		return cli.UsageError{Err: err}
	}

	reg := metrics.New()
	rcv := &webhook.Receiver{Verifier: verifier, Recorder: j, Log: log}
	counter := func(name, help string, c *atomic.Int64) {
		reg.CounterFunc(name, help, func() float64 { return float64(c.Load()) })
	}
	counter("helpsite_webhooks_received_total", "Webhook notifications received with a valid signature.", &rcv.Received)
	counter("helpsite_webhooks_rejected_total", "Webhook notifications rejected (signature, size, format).", &rcv.Rejected)
	counter("helpsite_webhooks_duplicates_total", "Webhook notifications ignored as duplicates.", &rcv.Duplicates)

	var site server.SitePointer
	var index atomic.Pointer[search.Index]
	up := updater.New(updater.Config{
		Journal:           j,
		Store:             snapshot.Open(filepath.Join(o.data, "snapshot")),
		Client:            client,
		Pipeline:          p,
		Releases:          releases,
		SearchDir:         filepath.Join(o.data, "search"),
		RetiredFile:       filepath.Join(o.data, "retired.json"),
		PollInterval:      o.poll,
		ReconcileInterval: o.reconcile,
		Metrics:           reg,
		Log:               log,
		OnPublish: func(dir string, ix *search.Index) {
			s, err := sitehttp.Open(dir)
			if err != nil {
				log.Error("opening the new release", "dir", dir, "err", err)
				return
			}
			site.Store(s)
			index.Store(ix)
		},
	})
	searchAPI := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ix := index.Load()
		if ix == nil {
			w.Header().Set("Retry-After", server.RetryAfter)
			http.Error(w, `{"error":"the search index is being built"}`, http.StatusServiceUnavailable)
			return
		}
		search.Handler(ix).ServeHTTP(w, r)
	})
	handler := server.New(server.Config{
		Receiver: rcv, Worker: up, Site: site.Load, Search: searchAPI,
		Metrics: reg, AdminToken: o.adminToken, Log: log,
	})

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "data", o.data)
	fmt.Fprintf(stdout, "listening on http://%s/\n", ln.Addr())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	updated := make(chan error, 1)
	go func() { updated <- up.Run(ctx) }()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err = <-served:
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	srv.Shutdown(shutdown)
	cancel()
	<-updated
	if ix := index.Load(); ix != nil {
		ix.Close()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// healthcheck asks a running server's /healthz, for a container
// HEALTHCHECK on an image without curl.
func healthcheck(ctx context.Context, args []string, stderr io.Writer) error {
	fs := cli.NewFlagSet(stderr, "webhook healthcheck", "[--url URL]")
	url := fs.String("url", "http://127.0.0.1:8080/healthz", "health endpoint")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
		// /readyz before the first publish: not ready, which is no
		// failure, unless the server names an error.
		var st server.Status
		if json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&st) == nil && st.LastError != "" {
			return fmt.Errorf("%s: not ready yet; last error: %s", *url, st.LastError)
		}
		return fmt.Errorf("%s: not ready yet (the first site is being built)", *url)
	}
	return fmt.Errorf("%s answered %s", *url, resp.Status)
}
