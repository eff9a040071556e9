package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/pipeline"
	"github.com/helpsite/helpsite/internal/progress"
	"github.com/helpsite/helpsite/internal/snapshot"
	"github.com/helpsite/helpsite/render"
)

// demoBaseURL is where the demo site says it lives when no base URL is
// given; it is only used for canonical links and sitemaps.
const demoBaseURL = "http://localhost:8080/"

func runBuild(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlagSet(e.stderr, "sitegen "+"build", "--out DIR [--snapshot DIR | --from-snapshot DIR | --demo] [--config FILE] [--base-url URL] [API flags]")
	var api cli.APIFlags
	api.Register(fs, e.getenv)
	out := fs.String("out", "", "directory to publish the site into (required)")
	snapDir := fs.String("snapshot", "", "snapshot directory to update from the API, then build from")
	fromSnap := fs.String("from-snapshot", "", "build from this snapshot without any network access")
	full := fs.Bool("full", false, "with --snapshot: list everything again (catches deletions)")
	configFile := fs.String("config", "", "helpsite.yaml configuration file")
	baseURL := fs.String("base-url", "", "URL the site will be served at, e.g. https://help.example.com/")
	strict := fs.Bool("strict", false, "exit non-zero when an item is skipped, a link is broken or an image is lost (the site is still published)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return cli.Usagef("--out DIR is required")
	}
	sources := 0
	for _, set := range []bool{*snapDir != "", *fromSnap != "", api.Demo} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return cli.Usagef("give exactly one of --snapshot DIR, --from-snapshot DIR or --demo")
	}
	cfg, err := loadConfig(fs, &api, *configFile)
	if err != nil {
		return err
	}

	start := time.Now()
	site, store, client, stop, err := buildSource(ctx, e, &api, *snapDir, *fromSnap, *full)
	if err != nil {
		return err
	}
	defer stop() // the API serves the images too, and the demo API must outlive the build
	opts := cli.RenderOptions(cfg, cli.OrString(*baseURL, cli.OrString(cfg.Site.BaseURL, demoBaseURL)), imageDir(store), api.APIBase(client), client, e.log)
	line := progress.New(os.Stderr)
	opts.Progress = func(stage string, done, total int) { line.Update(stage, done, total) }
	p, err := pipeline.New(opts)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	res, err := p.Publish(ctx, site, *out)
	line.Clear()
	if err != nil {
		return err
	}
	printSummary(e, *out, res, time.Since(start))
	if *strict {
		return strictCheck(res)
	}
	return nil
}

// strictCheck is the error of a --strict build whose site lost something:
// a skipped item, a broken link or a lost image.
func strictCheck(res *render.Result) error {
	n := len(res.Skipped)
	for _, w := range res.Warnings {
		if w.Kind == render.WarnLink || w.Kind == render.WarnImageLost {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return fmt.Errorf("--strict: %d skipped items, broken links or lost images (listed above); the site was published anyway", n)
}

// buildSource returns the site to build, the snapshot it lives in and the
// API client it came from: synced from the API, read as it is (with no
// client), or the demo's in a temporary directory. stop ends what it
// started once the build is done.
func buildSource(ctx context.Context, e *env, api *cli.APIFlags, snapDir, fromSnap string, full bool) (site *content.Site, store *snapshot.Store, client *fetch.Client, stop func(), err error) {
	if fromSnap != "" {
		store = snapshot.Open(fromSnap)
		site, err = store.Load(ctx)
		if errors.Is(err, snapshot.ErrNotExist) {
			err = cli.Usagef("%s holds no snapshot: run 'sitegen fetch --snapshot %s' first", fromSnap, fromSnap)
		}
		return site, store, nil, func() {}, err
	}
	client, stopClient, err := api.Client(e.log)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	stop = stopClient
	if api.Demo {
		dir, err := os.MkdirTemp("", "helpsite-demo-*")
		if err != nil {
			stopClient()
			return nil, nil, nil, nil, err
		}
		snapDir = dir
		stop = func() { stopClient(); os.RemoveAll(dir) }
	}
	store = snapshot.Open(snapDir)
	site, report, err := syncSnapshot(ctx, client, api, store, full)
	if err != nil {
		stop()
		return nil, nil, nil, nil, err
	}
	fmt.Fprintf(e.stdout, "snapshot %s: %s\n", snapDir, report)
	return site, store, client, stop, nil
}

// loadConfig reads the configuration file, if any, and applies its
// intercom section to the API flags the command line did not set.
func loadConfig(fs *flag.FlagSet, api *cli.APIFlags, file string) (*config.Config, error) {
	cfg := &config.Config{}
	if file != "" {
		var err error
		if cfg, err = config.Load(file); err != nil {
			return nil, cli.UsageError{Err: err}
		}
	}
	api.ApplyConfig(fs, cfg.Intercom)
	return cfg, nil
}

func printSummary(e *env, out string, res *render.Result, took time.Duration) {
	locales := slices.Sorted(maps.Keys(res.Pages))
	fmt.Fprintf(e.stdout, "built %d pages in %s (%d images):", res.TotalPages(), took.Round(time.Millisecond), res.Images)
	for _, l := range locales {
		fmt.Fprintf(e.stdout, " %s %d", l, res.Pages[l])
	}
	fmt.Fprintln(e.stdout)
	if res.LostImages > 0 {
		fmt.Fprintf(e.stdout, "%d images could not be fetched and are missing from their pages (see the warnings)\n", res.LostImages)
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintf(e.stdout, "%d warnings (logged above): links to missing or unpublished articles, images that could not be fetched\n", len(res.Warnings))
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintf(e.stdout, "%d items skipped, the rest of the site is published:\n", len(res.Skipped))
		for _, s := range res.Skipped {
			fmt.Fprintf(e.stdout, "  %s\n", s)
		}
	}
	fmt.Fprintf(e.stdout, "site published in %s\nbrowse it with: go run ./cmd/sitegen serve --dir %s   (then open http://localhost:8080/)\n", out, out)
}
