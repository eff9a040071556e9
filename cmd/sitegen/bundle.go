package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/helpsite/helpsite/internal/bundle"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/pipeline"
	"github.com/helpsite/helpsite/internal/progress"
)

// zipEpoch is the time of a bundle's zip entries when the snapshot does not
// say when it was synced: the earliest time a zip file can hold.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

func runBundle(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlagSet(e.stderr, "sitegen bundle", "--out FILE.zip|DIR [--locales en,fr] [--collections IDS] [--from-snapshot DIR | --demo] [--config FILE]")
	var api cli.APIFlags
	api.Register(fs, e.getenv)
	out := fs.String("out", "", "zip file (ending in .zip) or directory to write the bundle to (required)")
	fromSnap := fs.String("from-snapshot", "", "bundle this snapshot without any network access")
	locales := fs.String("locales", "", "comma-separated locales to include (default: all published)")
	collections := fs.String("collections", "", "comma-separated ids of the collections to include, with those below them (default: all)")
	configFile := fs.String("config", "", "helpsite.yaml configuration file")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return cli.Usagef("--out FILE.zip or --out DIR is required")
	}
	if (*fromSnap != "") == api.Demo {
		return cli.Usagef("give exactly one of --from-snapshot DIR or --demo")
	}
	cfg, err := loadConfig(fs, &api, *configFile)
	if err != nil {
		return err
	}

	start := time.Now()
	site, store, client, stop, err := buildSource(ctx, e, &api, "", *fromSnap, false)
	if err != nil {
		return err
	}
	defer stop()
	if ids := splitList(*collections); ids != nil {
		if site, err = bundle.FilterCollections(site, ids); err != nil {
			return cli.UsageError{Err: err}
		}
	}
	// The base URL only names the site to Hugo: a bundle links to it nowhere.
	opts := cli.RenderOptions(cfg, cli.OrString(cfg.Site.BaseURL, demoBaseURL), imageDir(store), api.APIBase(client), client, e.log)
	opts.Relative = true
	if l := splitList(*locales); l != nil {
		published := site.PublishedLocales()
		for _, locale := range l {
			if !slices.Contains(published, locale) {
				return cli.Usagef("--locales: nothing is published in %q; the snapshot's locales are %s", locale, strings.Join(published, ","))
			}
		}
		opts.Locales = l
	}
	line := progress.New(os.Stderr)
	opts.Progress = func(stage string, done, total int) { line.Update(stage, done, total) }
	p, err := pipeline.New(opts)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if !strings.HasSuffix(strings.ToLower(*out), ".zip") {
		res, err := p.Publish(ctx, site, *out)
		line.Clear()
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "bundle of %d pages in %s: open %s\n", res.TotalPages(), time.Since(start).Round(time.Millisecond), filepath.Join(*out, "index.html"))
		return nil
	}
	tmp, err := os.MkdirTemp("", "helpsite-bundle-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	plan, err := p.Plan(site)
	if err != nil {
		return err
	}
	res, err := p.Build(ctx, plan, tmp, nil)
	line.Clear()
	if err != nil {
		return err
	}
	modified := zipEpoch
	if site.SyncedAt.After(zipEpoch) {
		modified = site.SyncedAt
	}
	if err := bundle.WriteZip(tmp, *out, modified); err != nil {
		return err
	}
	info, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "bundle of %d pages in %s: %s (%d bytes)\n", res.TotalPages(), time.Since(start).Round(time.Millisecond), *out, info.Size())
	return nil
}

// splitList splits a comma-separated flag value, dropping empty items; it
// returns nil for none.
func splitList(s string) []string {
	var items []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}
