package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/internal/atomicfile"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/pipeline"
	"github.com/helpsite/helpsite/render"
)

// demoBaseURL is where the demo site says it lives when no base URL is
// given; it is only used for canonical links and sitemaps.
const demoBaseURL = "http://localhost:8080/"

// buildFlags are sitegen build's flags.
type buildFlags struct {
	api                   cli.APIFlags
	publish               cli.PublishFlags
	out, snapshot         string
	fromSnapshot, baseURL string
	warningsFile          string
	full, strict          bool
}

func buildCommand(e *env) *cobra.Command {
	f := &buildFlags{}
	cmd := &cobra.Command{
		Use:   "build --out DIR (--snapshot DIR | --from-snapshot DIR | --demo)",
		Short: "Fetch what changed, then render the site and its search index",
		Long: `Build renders every published article of every published locale into a static
site with its search index, in a staging directory beside --out, and swaps it
in only when everything succeeded: a failed build leaves the published site as
it was. With --snapshot it first updates the snapshot from the API.`,
		Example: `  sitegen build --demo --out site
  sitegen build --snapshot snapshot --out site --config helpsite.yaml
  sitegen build --from-snapshot snapshot --out site`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBuild(cmd.Context(), e, f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.out, "out", "", "publish the site into directory `DIR` (required)")
	fs.StringVar(&f.snapshot, "snapshot", "", "update the snapshot in `DIR` from the API, then build from it")
	fs.StringVar(&f.fromSnapshot, "from-snapshot", "", "build from the snapshot in `DIR` without any network access")
	fs.BoolVar(&f.full, "full", false, "with --snapshot: list everything again (catches deletions)")
	fs.StringVar(&f.baseURL, "base-url", "", "`URL` the site will be served at, e.g. https://help.example.com/")
	fs.StringVar(&f.warningsFile, "warnings-file", "", "write every warning to `FILE`, as JSON lines")
	fs.BoolVar(&f.strict, "strict", false, "exit non-zero when an item is skipped, a link is broken or an image is lost (the site is still published)")
	cli.ConfigFlag(fs)
	f.api.Register(fs)
	f.publish.Register(fs)
	return cmd
}

func runBuild(ctx context.Context, e *env, f *buildFlags) error {
	if f.out == "" {
		return cli.Usagef("--out DIR is required")
	}
	src, err := openSource(&f.api, f.snapshot, f.fromSnapshot)
	if err != nil {
		return err
	}
	defer src.close()
	if err := cli.CheckWritable("out", f.out); err != nil {
		return err
	}
	if f.warningsFile != "" {
		if err := cli.CheckWritable("warnings-file", f.warningsFile); err != nil {
			return err
		}
	}
	opts := renderOptions(e, cli.OrString(f.baseURL, demoBaseURL), src)
	if _, err := render.New(opts); err != nil {
		return cli.UsageError{Err: err}
	}
	syncer, closeTarget, err := f.publish.Syncer(ctx, e.cfg.Publish.CacheControl, opts.BaseURL, e.renderLog())
	if err != nil {
		return err
	}
	defer closeTarget()

	start := time.Now()
	site, stop, err := src.load(ctx, e, f.full)
	if err != nil {
		return err
	}
	defer stop()
	opts = renderOptions(e, cli.OrString(f.baseURL, demoBaseURL), src) // with the API client src now has
	p, err := pipeline.New(opts)
	if err != nil {
		return cli.UsageError{Err: err}
	}
	if err := checkLocales("site.locales in the configuration file", opts.Locales, site); err != nil {
		return err
	}
	res, err := p.Publish(ctx, site, f.out)
	e.line.Clear()
	if err != nil {
		return err
	}
	if err := e.report(res, f.warningsFile); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "built %d pages in %s (%d images):", res.TotalPages(), time.Since(start).Round(time.Millisecond), res.Images)
	for _, l := range slices.Sorted(maps.Keys(res.Pages)) {
		fmt.Fprintf(e.stdout, " %s %d", l, res.Pages[l])
	}
	fmt.Fprintln(e.stdout)
	if res.LostImages > 0 {
		fmt.Fprintf(e.stdout, "%d images could not be fetched and are missing from their pages (see the warnings)\n", res.LostImages)
	}
	if len(res.Skipped) > 0 {
		fmt.Fprintf(e.stdout, "%d items skipped, the rest of the site is published:\n", len(res.Skipped))
		for _, s := range res.Skipped {
			fmt.Fprintf(e.stdout, "  %s\n", s)
		}
	}
	fmt.Fprintf(e.stdout, "site published in %s\n", f.out)
	if syncer != nil {
		if err := syncer.Push(ctx, f.out); err != nil {
			return err
		}
		st := syncer.Status()
		fmt.Fprintf(e.stdout, "pushed to %s: %d objects uploaded, %d deleted, %d URLs purged\n", st.Target, st.Uploaded, st.Deleted, st.Purged)
	} else {
		fmt.Fprintf(e.stdout, "look at it with: go run ./cmd/sitegen serve --dir %s\n", f.out)
	}
	if f.strict {
		return strictCheck(res)
	}
	return nil
}

// strictCheck is the error of a --strict build whose site lost something:
// a skipped item, a broken link or a lost image.
func strictCheck(res *render.Result) error {
	n := len(res.Skipped) + res.LostImages
	for _, w := range res.Warnings {
		if w.Kind == render.WarnLink {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return cli.WithHint(fmt.Errorf("--strict: %d skipped items, broken links or lost images (listed above); the site was published anyway", n),
		"Fix them in Intercom, or build without --strict.")
}

// renderOptions are the render options of the configuration file, with
// the base URL, the snapshot's images and the progress line.
func renderOptions(e *env, baseURL string, src *source) render.Options {
	opts := cli.RenderOptions(e.cfg, baseURL, imageStore(e, src.store, src.api, src.client), src.client, e.renderLog())
	opts.Progress = e.line.Update
	return opts
}

// checkLocales makes sure every locale of wanted, which setting names, is
// published in site, before rendering starts.
func checkLocales(setting string, wanted []string, site *content.Site) error {
	published := site.PublishedLocales()
	for _, l := range wanted {
		if !slices.Contains(published, l) {
			return cli.UsageError{Err: fmt.Errorf("%s: nothing is published in %q", setting, l),
				Hint: "The snapshot's published locales are " + strings.Join(published, ",") + "."}
		}
	}
	return nil
}

// shownPerKind is how many warnings of each kind the summary shows.
const shownPerKind = 3

// report prints the warnings of res grouped by kind, the first few of
// each, and writes them all to file, if given, as JSON lines.
func (e *env) report(res *render.Result, file string) error {
	kinds, groups := pipeline.WarningsByKind(res)
	if file != "" {
		err := atomicfile.Write(file, func(w io.Writer) error {
			enc := json.NewEncoder(w)
			for _, k := range kinds {
				for _, wa := range groups[k] {
					wa.Kind = k
					if err := enc.Encode(warningLine{wa.Kind, wa.Locale, wa.Article, wa.Message}); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("writing --warnings-file: %w", err)
		}
	}
	if len(kinds) == 0 {
		return nil
	}
	total := 0
	var counts []string
	for _, k := range kinds {
		total += len(groups[k])
		counts = append(counts, fmt.Sprintf("%d %s", len(groups[k]), k))
	}
	fmt.Fprintf(e.stdout, "%d warnings: %s\n", total, strings.Join(counts, ", "))
	hidden := false
	for _, k := range kinds {
		for i, w := range groups[k] {
			if i == shownPerKind {
				hidden = true
				fmt.Fprintf(e.stdout, "  %s: … and %d more\n", k, len(groups[k])-shownPerKind)
				break
			}
			fmt.Fprintf(e.stdout, "  %s: %s\n", k, w)
		}
	}
	if file != "" {
		fmt.Fprintf(e.stdout, "all warnings are in %s\n", file)
	} else if hidden {
		fmt.Fprintln(e.stdout, "list them all with --warnings-file FILE")
	}
	return nil
}

// warningLine is a line of --warnings-file.
type warningLine struct {
	Kind    string `json:"kind"`
	Locale  string `json:"locale,omitempty"`
	Article string `json:"article,omitempty"`
	Message string `json:"message"`
}
