package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/internal/bundle"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/pipeline"
	"github.com/helpsite/helpsite/render"
)

// zipEpoch is the time of a bundle's zip entries when the snapshot does not
// say when it was synced: the earliest time a zip file can hold.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// bundleFlags are sitegen bundle's flags.
type bundleFlags struct {
	api                  cli.APIFlags
	out, fromSnapshot    string
	locales, collections string
	warningsFile         string
}

func bundleCommand(e *env) *cobra.Command {
	f := &bundleFlags{}
	cmd := &cobra.Command{
		Use:   "bundle --out FILE.zip|DIR (--from-snapshot DIR | --demo)",
		Short: "Make an offline bundle: the site as files that work from file://",
		Long: `Bundle makes the site to be opened from the file system: every link relative,
nothing loaded from elsewhere, search through the static index. --out ending in
.zip writes a reproducible zip, anything else a directory.`,
		Example: `  sitegen bundle --demo --out demo-help.zip
  sitegen bundle --from-snapshot snapshot --out help.zip --locales en,fr
  sitegen bundle --from-snapshot snapshot --out help --collections 4082113`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBundle(cmd.Context(), e, f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.out, "out", "", "write the bundle to `FILE.zip`, or to a directory without .zip (required)")
	fs.StringVar(&f.fromSnapshot, "from-snapshot", "", "bundle the snapshot in `DIR` without any network access")
	fs.StringVar(&f.locales, "locales", "", "include only these `LOCALES`, comma-separated (default: all published)")
	fs.StringVar(&f.collections, "collections", "", "include only the collections of these comma-separated `IDS`, with those below them (default: all)")
	fs.StringVar(&f.warningsFile, "warnings-file", "", "write every warning to `FILE`, as JSON lines")
	cli.ConfigFlag(fs)
	f.api.RegisterDemo(fs)
	return cmd
}

func runBundle(ctx context.Context, e *env, f *bundleFlags) error {
	if f.out == "" {
		return cli.Usagef("--out FILE.zip or --out DIR is required")
	}
	if f.api.Demo == (f.fromSnapshot != "") {
		return cli.Usagef("give exactly one of --from-snapshot DIR or --demo")
	}
	src, err := openSource(&f.api, "", f.fromSnapshot)
	if err != nil {
		return err
	}
	defer src.close()
	for flag, path := range map[string]string{"out": f.out, "warnings-file": f.warningsFile} {
		if path != "" {
			if err := cli.CheckWritable(flag, path); err != nil {
				return err
			}
		}
	}
	// The base URL only names the site to Hugo: a bundle links to it nowhere.
	options := func() render.Options {
		opts := renderOptions(e, cli.OrString(e.cfg.Site.BaseURL, demoBaseURL), src)
		opts.Relative = true
		if l := splitList(f.locales); l != nil {
			opts.Locales = l
		}
		return opts
	}
	if _, err := render.New(options()); err != nil {
		return cli.UsageError{Err: err}
	}

	start := time.Now()
	site, stop, err := src.load(ctx, e, false)
	if err != nil {
		return err
	}
	defer stop()
	opts := options() // with the API client src now has
	p, err := pipeline.New(opts)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if ids := splitList(f.collections); ids != nil {
		if site, err = bundle.FilterCollections(site, ids); err != nil {
			return cli.UsageError{Err: err}
		}
	}
	if err := checkLocales("--locales", opts.Locales, site); err != nil {
		return err
	}
	if !strings.HasSuffix(strings.ToLower(f.out), ".zip") {
		res, err := p.Publish(ctx, site, f.out)
		e.line.Clear()
		if err != nil {
			return err
		}
		if err := e.report(res, f.warningsFile); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "bundle of %d pages in %s: open %s\n", res.TotalPages(), time.Since(start).Round(time.Millisecond), filepath.Join(f.out, "index.html"))
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
	e.line.Clear()
	if err != nil {
		return err
	}
	modified := zipEpoch
	if site.SyncedAt.After(zipEpoch) {
		modified = site.SyncedAt
	}
	if err := os.MkdirAll(filepath.Dir(f.out), 0o755); err != nil {
		return err
	}
	if err := bundle.WriteZip(tmp, f.out, modified); err != nil {
		return err
	}
	info, err := os.Stat(f.out)
	if err != nil {
		return err
	}
	if err := e.report(res, f.warningsFile); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "bundle of %d pages in %s: %s (%d bytes)\n", res.TotalPages(), time.Since(start).Round(time.Millisecond), f.out, info.Size())
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
