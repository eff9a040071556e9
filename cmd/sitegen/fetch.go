package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/images"
	"github.com/helpsite/helpsite/internal/snapshot"
)

// fetchFlags are sitegen fetch's flags.
type fetchFlags struct {
	api      cli.APIFlags
	snapshot string
	full     bool
}

func fetchCommand(e *env) *cobra.Command {
	f := &fetchFlags{}
	cmd := &cobra.Command{
		Use:   "fetch --snapshot DIR",
		Short: "Mirror the Help Center into a local snapshot",
		Long: `Fetch mirrors every help center, collection and article, in every locale, into a
snapshot directory, then downloads the articles' images. A later fetch into the
same snapshot only reads what changed; --full reads everything again, the only
way to see deletions. A failed fetch never touches the existing snapshot.`,
		Example: `  INTERCOM_ACCESS_TOKEN=... sitegen fetch --snapshot snapshot --region eu
  sitegen fetch --snapshot snapshot --full`,
		Args: cli.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFetch(cmd.Context(), e, f) },
	}
	fs := cmd.Flags()
	fs.StringVar(&f.snapshot, "snapshot", "", "create or update the snapshot in `DIR` (required)")
	fs.BoolVar(&f.full, "full", false, "list everything again to catch deletions, unpublishing and moves")
	cli.ConfigFlag(fs)
	f.api.Register(fs)
	return cmd
}

func runFetch(ctx context.Context, e *env, f *fetchFlags) error {
	if f.snapshot == "" {
		return cli.Usagef("--snapshot DIR is required")
	}
	if err := cli.CheckWritable("snapshot", f.snapshot); err != nil {
		return err
	}
	client, stop, err := f.api.Client(e.log, e.line)
	if err != nil {
		return err
	}
	defer stop()
	store := snapshot.Open(f.snapshot)
	site, report, err := syncSnapshot(ctx, client, &f.api, store, f.full)
	e.line.Clear()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "snapshot %s: %s\n", f.snapshot, report)
	for _, r := range report.Refused {
		fmt.Fprintf(e.stdout, "  refused: %s\n", r)
	}
	// Image URLs expire: download them now, so that a later build from
	// the snapshot needs no network.
	got, failed := imageStore(e, store, &f.api, client).Fetch(ctx, imageURLs(site))
	fmt.Fprintf(e.stdout, "images: %d in %s, %d failed\n", len(got), filepath.Join(f.snapshot, "images"), len(failed))
	for _, err := range failed {
		e.log.Warn("image not downloaded", "err", err)
	}
	return nil
}

// imageStore is the snapshot's image cache, downloading under the
// configuration's image policy and from the host of the API (client's,
// or the one api names when there is no client), showing its downloads on
// the progress line.
func imageStore(e *env, store *snapshot.Store, api *cli.APIFlags, client *fetch.Client) *images.Store {
	s := cli.ImageStore(e.cfg.Images, filepath.Join(store.Dir(), "images"), api.APIBase(client), e.log)
	s.Progress = func(done, total int) { e.line.Update("images", done, total) }
	return s
}

// imageURLs lists every image the articles' translations show.
func imageURLs(site *content.Site) []string {
	var urls []string
	for _, a := range site.Articles {
		for _, t := range a.Translations {
			urls = append(urls, articlehtml.ImageURLs(t.Body)...)
		}
	}
	return urls
}

// syncSnapshot brings the snapshot in store up to date from the API and
// saves it.
func syncSnapshot(ctx context.Context, client *fetch.Client, api *cli.APIFlags, store *snapshot.Store, full bool) (*content.Site, *fetch.Report, error) {
	prev, err := store.Load(ctx)
	if errors.Is(err, snapshot.ErrNotExist) {
		prev, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	site, report, err := client.Sync(ctx, prev, fetch.SyncOptions{Full: full, HelpCenterID: api.HelpCenter})
	if err != nil {
		return nil, nil, api.Explain(err)
	}
	if err := store.Save(ctx, site); err != nil {
		return nil, nil, err
	}
	return site, report, nil
}
