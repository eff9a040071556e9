package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/snapshot"
)

func runFetch(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlagSet(e.stderr, "sitegen "+"fetch", "--snapshot DIR [--full] [--api-base URL | --region us|eu|au] [--token T] [--api-version V]")
	var api cli.APIFlags
	api.Register(fs, e.getenv)
	dir := fs.String("snapshot", "", "snapshot directory to create or update (required)")
	full := fs.Bool("full", false, "list everything again to catch deletions, unpublishing and moves")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return cli.Usagef("--snapshot DIR is required")
	}
	client, stop, err := api.Client(e.log)
	if err != nil {
		return err
	}
	defer stop()
	store := snapshot.Open(*dir)
	site, report, err := syncSnapshot(ctx, client, &api, store, *full)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "snapshot %s: %s\n", *dir, report)
	// Image URLs expire: download them now, so that a later build from
	// the snapshot needs no network.
	got, failed := cli.ImageStore(config.Images{}, imageDir(store), client.BaseURL(), e.log).Fetch(ctx, imageURLs(site))
	fmt.Fprintf(e.stdout, "images: %d in %s, %d failed\n", len(got), filepath.Join(*dir, "images"), len(failed))
	for _, err := range failed {
		e.log.Warn("image not downloaded", "err", err)
	}
	return nil
}

// imageDir is the snapshot's image cache.
func imageDir(store *snapshot.Store) string {
	return filepath.Join(store.Dir(), "images")
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
