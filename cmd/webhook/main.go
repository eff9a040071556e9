// Command webhook is helpsite's server: it keeps a published help site
// current from Intercom's webhooks and periodic polling, and serves the
// site, its search API, health checks and metrics.
//
// Usage:
//
//	webhook [serve] [--config FILE] [--listen ADDR] [--data DIR] [--client-secret S] [API flags]
//	webhook healthcheck [--url URL]
//	webhook notify --article ID [--topic T] [--url URL] [--client-secret S] [--demo [--title T]]
//	webhook completion bash|zsh|fish|powershell
//
// Every setting is taken from its flag, else its environment variable, else
// the configuration file, else its default. Secrets come from the
// environment: INTERCOM_ACCESS_TOKEN, INTERCOM_CLIENT_SECRET
// (comma-separated to accept several during a rotation) and
// HELPSITE_ADMIN_TOKEN. Exit status: 0 on success, 2 on a usage or
// authentication error, 1 on any other failure.
package main

import (
	"context"
	"encoding/json"
	"errors"
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

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/deploy"
	"github.com/helpsite/helpsite/internal/feedback"
	"github.com/helpsite/helpsite/internal/journal"
	"github.com/helpsite/helpsite/internal/memlimit"
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
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is what a command needs from its surroundings; setup fills in the
// configuration once the flags are parsed.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	logFormat      string
	// cfg is the configuration file's, empty without one.
	cfg *config.Config
}

// defaultListen is where the server listens unless told otherwise.
const defaultListen = "127.0.0.1:8080"

// options are the server's settings after flags, environment and file.
type options struct {
	api             cli.APIFlags
	listen, data    string
	baseURL         string
	secret          string
	poll, reconcile time.Duration
	memoryLimit     string
	publish         cli.PublishFlags
	serveSite       bool
	debug           bool
	// listenSet says --listen, HELPSITE_LISTEN or the file chose the
	// address, which the demo then does not replace when it is taken.
	listenSet bool
}

// run runs webhook with args and returns its exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	root := cli.NewRoot("webhook", "Serve a help site and keep it current from Intercom's webhooks", serveLong)
	root.PersistentFlags().StringVar(&e.logFormat, "log-format", "text", "log `FORMAT`: text or json")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		cfg, err := cli.Prepare(cmd.Flags(), e.getenv)
		e.cfg = cfg
		return err
	}
	serveCmd := &cobra.Command{Use: "serve", Short: "Serve the site and keep it current (what webhook alone does)", Long: serveLong, Args: cli.NoArgs}
	serveFlags(root, e)
	serveFlags(serveCmd, e)
	root.AddCommand(serveCmd, healthcheckCommand(e), notifyCommand(e))
	for _, c := range append(root.Commands(), root) {
		cli.DocumentEnv(c.Flags())
	}
	cli.DocumentEnv(root.PersistentFlags())
	return cli.Execute(ctx, root, args, stdout, stderr)
}

const serveLong = `webhook serves a published help site and keeps it current: it receives
Intercom's article notifications at POST /webhooks/intercom, polls Intercom for
what notifications miss, and serves the site, its search API (/api/search),
/healthz, /readyz and /metrics.

Every setting is taken from its flag, else its environment variable, else the
configuration file (--config), else its default. Secrets only come from flags
or the environment: INTERCOM_ACCESS_TOKEN, INTERCOM_CLIENT_SECRET
(comma-separated to accept an old and a new one during a rotation) and
HELPSITE_ADMIN_TOKEN, the bearer token of POST /admin/rebuild, which is
disabled without it.

Try it without Intercom: webhook --demo, then follow what it prints.`

// serveFlags makes cmd the server, with its flags: the root command and
// serve are the same.
func serveFlags(cmd *cobra.Command, e *env) {
	o := &options{}
	cmd.Example = `  webhook --demo --data demo-data
  webhook --config helpsite.yaml --listen :8080 --data /var/lib/helpsite`
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		o.listenSet = cmd.Flags().Changed("listen")
		if o.api.Demo && o.secret == "" {
			o.secret = "demo"
		}
		level := slog.LevelInfo
		if o.debug {
			level = slog.LevelDebug
		}
		log, err := cli.NewLogger(e.stderr, e.logFormat, level)
		if err != nil {
			return err
		}
		return serve(cmd.Context(), o, e, log)
	}
	fs := cmd.Flags()
	cli.ConfigFlag(fs)
	fs.StringVar(&o.listen, "listen", defaultListen, "`ADDR` to serve on")
	fs.StringVar(&o.data, "data", "helpsite-data", "`DIR` for the snapshot, journal, releases and search index")
	fs.StringVar(&o.baseURL, "base-url", "", "`URL` the site is served at (default http://LISTEN/)")
	fs.StringVar(&o.secret, "client-secret", "", "the Intercom app's client `SECRET`, the key of webhook signatures (\"demo\" with --demo)")
	fs.DurationVar(&o.poll, "poll-interval", 10*time.Minute, "how often to poll Intercom for changes")
	fs.DurationVar(&o.reconcile, "reconcile-interval", 24*time.Hour, "how often to list everything (catches deletions)")
	fs.StringVar(&o.memoryLimit, "memory-limit", "", "soft limit of the server's memory, a `SIZE` like 1536MiB (default: GOMEMLIMIT, else 90% of the container's limit)")
	fs.BoolVar(&o.debug, "debug", false, "log every request")
	fs.BoolVar(&o.serveSite, "serve-site", true, "serve the site itself; false, with --publish-to, to serve only webhooks, search, health and metrics")
	o.api.Register(fs)
	o.publish.Register(fs)
}

// listen listens on o.listen; for the demo, when that is the default and
// taken, on a free port instead.
func listen(o *options, log *slog.Logger) (net.Listener, error) {
	ln, err := cli.Listen(o.listen)
	if err != nil && o.api.Demo && !o.listenSet {
		var free error
		if ln, free = net.Listen("tcp", "127.0.0.1:0"); free == nil {
			log.Info("the default port is taken: the demo listens on a free one", "taken", o.listen, "listen", ln.Addr().String())
			return ln, nil
		}
	}
	return ln, err
}

// serve wires the journal, the updater and the HTTP server and runs them
// until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, o *options, e *env, log *slog.Logger) error {
	verifier, err := webhook.NewVerifier(strings.Split(o.secret, ",")...)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if err := cli.CheckWritable("data", filepath.Join(o.data, "journal")); err != nil {
		return err
	}
	limit, err := memlimit.Set(o.memoryLimit, e.getenv, "/sys/fs/cgroup")
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if limit.Bytes > 0 {
		log.Info("memory limit", "bytes", limit.Bytes, "from", limit.Source)
	}
	ln, err := listen(o, log)
	if err != nil {
		return err
	}
	defer ln.Close()
	client, stopAPI, err := o.api.Client(log, nil)
	if err != nil {
		return err
	}
	defer stopAPI()
	j, err := journal.Open(filepath.Join(o.data, "journal"))
	if err != nil {
		return fmt.Errorf("opening the journal: %w", err)
	}
	defer j.Close()
	if o.baseURL == "" {
		o.baseURL = "http://" + ln.Addr().String() + "/"
	}
	releases, err := publish.NewReleases(filepath.Join(o.data, "site"), 3)
	if err != nil {
		return err
	}
	imgs := cli.ImageStore(e.cfg.Images, filepath.Join(o.data, "images"), client.BaseURL(), log)
	renderOpts := cli.RenderOptions(e.cfg, o.baseURL, imgs, client, log)
	renderOpts.SearchAPI = server.SearchPath
	renderOpts.FeedbackEndpoint = feedback.Path
	renderOpts.Live = true
	// The pages' content files on disk, not in the server's memory.
	renderOpts.WorkDir = filepath.Join(o.data, "work")
	p, err := pipeline.New(renderOpts)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if !o.serveSite && o.publish.To == "" {
		return cli.Usagef("--serve-site=false needs --publish-to: the site must be served from somewhere")
	}
	syncer, closeTarget, err := o.publish.Syncer(ctx, e.cfg.Publish.CacheControl, o.baseURL, log)
	if err != nil {
		return err
	}
	defer closeTarget()

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
		OnChange: func(c updater.Change) {
			switch {
			case syncer == nil:
			case c.Full:
				syncer.Notify(c.Dir)
			default:
				syncer.NotifyFiles(c.Dir, c.Written, c.Removed)
			}
		},
	})
	var worker server.Worker = up
	if syncer != nil {
		worker = pushingWorker{up, syncer}
		registerPushMetrics(reg, syncer)
		// A restart re-syncs the target from its manifest: the current
		// release may be newer than what the last push completed.
		if dir, err := releases.Current(); err == nil && dir != "" {
			syncer.Notify(dir)
		}
	}
	siteFunc := site.Load
	if !o.serveSite {
		siteFunc = nil
	}
	searchAPI := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ix := index.Load()
		if ix == nil {
			w.Header().Set("Retry-After", server.RetryAfter)
			http.Error(w, `{"error":"the search index is being built"}`, http.StatusServiceUnavailable)
			return
		}
		search.Handler(ix).ServeHTTP(w, r)
	})
	fb, err := feedback.Open(ctx, filepath.Join(o.data, "feedback.db"))
	if err != nil {
		return err
	}
	defer fb.Close()
	handler := server.New(server.Config{
		Receiver: rcv, Worker: worker, Site: siteFunc, Search: searchAPI,
		Feedback: feedbackHandler(fb, up, reg, log),
		Metrics:  reg, AdminToken: e.getenv("HELPSITE_ADMIN_TOKEN"), Log: log,
	})

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "data", o.data)
	fmt.Fprintf(e.stdout, "listening on http://%s/\n", ln.Addr())
	if o.api.Demo {
		demoHelp(e.stdout, ln.Addr().String(), o.api.DemoURL, o.secret)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	updated := make(chan error, 1)
	go func() { updated <- up.Run(ctx) }()
	pushed := make(chan error, 1)
	// The pushes stop after the updater, to push what it published last.
	pushCtx, stopPushing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopPushing()
	if syncer != nil {
		go func() { pushed <- syncer.Run(pushCtx) }()
	} else {
		pushed <- nil
	}
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
	stopPushing()
	<-pushed
	if ix := index.Load(); ix != nil {
		ix.Close()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// feedbackHandler serves article feedback into store, checked against the
// live site of up, and counts it in reg.
func feedbackHandler(store *feedback.Store, up *updater.Updater, reg *metrics.Registry, log *slog.Logger) *feedback.Handler {
	catalog := func() feedback.Catalog {
		if p := up.Published(); p != nil {
			return p
		}
		return nil // not a nil *render.Plan in the interface
	}
	reg.Collector(&feedback.Collector{Store: store, Catalog: catalog})
	return &feedback.Handler{
		Store: store, Catalog: catalog, Log: log,
		// 10 at once, then one every 6 seconds: a visitor changing their
		// mind and commenting on a few articles, not a script.
		Limiter:  &feedback.Limiter{Burst: 10, Every: 6 * time.Second},
		Accepted: reg.Counter("helpsite_feedback_accepted_total", "Article feedback requests recorded."),
		Rejected: reg.Counter("helpsite_feedback_rejected_total", "Article feedback requests refused as invalid (unknown article, bad reaction, comment too long, malformed)."),
		Limited:  reg.Counter("helpsite_feedback_rate_limited_total", "Article feedback requests refused by the per-client rate limit."),
	}
}

func healthcheckCommand(e *env) *cobra.Command {
	var url string
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Ask a running server's /healthz; exit 0 if it answers 200",
		Long: `Healthcheck asks a running server's /healthz and exits 0 if it answers 200,
1 otherwise: the Docker image's HEALTHCHECK, which has no curl.`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return healthcheck(cmd.Context(), url) },
	}
	cmd.Flags().StringVar(&url, "url", "http://"+defaultListen+"/healthz", "health endpoint `URL`")
	return cmd
}

// healthcheck asks a running server's /healthz, for a container
// HEALTHCHECK on an image without curl.
func healthcheck(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
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
			return fmt.Errorf("%s: not ready yet; last error: %s", url, st.LastError)
		}
		return fmt.Errorf("%s: not ready yet (the first site is being built)", url)
	}
	return fmt.Errorf("%s answered %s", url, resp.Status)
}

// pushingWorker is the build worker of a server with a publish target: its
// status also says how the pushes go.
type pushingWorker struct {
	*updater.Updater
	syncer *deploy.Syncer
}

func (w pushingWorker) Status() server.Status {
	st := w.Updater.Status()
	push := w.syncer.Status()
	st.Push = &push
	return st
}

// registerPushMetrics exports the state of the pushes to the publish target.
func registerPushMetrics(reg *metrics.Registry, s *deploy.Syncer) {
	reg.GaugeFunc("helpsite_push_failed", "1 while the last push to the publish target failed (the target lags behind), else 0.", func() float64 {
		if s.Status().Failed {
			return 1
		}
		return 0
	})
	reg.GaugeFunc("helpsite_push_last_success_timestamp_seconds", "When the last push to the publish target succeeded, in Unix seconds; 0 before the first.", func() float64 {
		if t := s.Status().LastPush; !t.IsZero() {
			return float64(t.UnixNano()) / 1e9
		}
		return 0
	})
	reg.CounterFunc("helpsite_push_objects_uploaded_total", "Objects uploaded to the publish target.", func() float64 { return float64(s.Status().Uploaded) })
	reg.CounterFunc("helpsite_push_objects_deleted_total", "Objects deleted from the publish target.", func() float64 { return float64(s.Status().Deleted) })
	reg.CounterFunc("helpsite_push_urls_purged_total", "URLs purged from the CDN after pushes.", func() float64 { return float64(s.Status().Purged) })
}
