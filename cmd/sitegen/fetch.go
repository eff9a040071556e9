package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/progress"
	"github.com/helpsite/helpsite/internal/snapshot"
)

func runFetch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "fetch", "--snapshot DIR [--full] [--api-base URL | --region us|eu|au] [--token T] [--api-version V]")
	var api apiFlags
	api.register(fs, e)
	dir := fs.String("snapshot", "", "snapshot directory to create or update (required)")
	full := fs.Bool("full", false, "list everything again to catch deletions, unpublishing and moves")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("--snapshot DIR is required")
	}
	_, report, err := syncSnapshot(ctx, e, &api, snapshot.Open(*dir), *full)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "snapshot %s: %s\n", *dir, report)
	return nil
}

// syncSnapshot brings the snapshot in store up to date from the API and
// saves it.
func syncSnapshot(ctx context.Context, e *env, api *apiFlags, store *snapshot.Store, full bool) (*content.Site, *fetch.Report, error) {
	prev, err := store.Load(ctx)
	if errors.Is(err, snapshot.ErrNotExist) {
		prev, err = nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	line := progress.New(os.Stderr)
	defer line.Clear()
	client, stop, err := api.client(e, func(list string, done, total int) {
		line.Update("fetching "+list, done, total)
	})
	if err != nil {
		return nil, nil, err
	}
	defer stop()
	site, report, err := client.Sync(ctx, prev, fetch.SyncOptions{Full: full, HelpCenterID: api.helpCenter})
	if err != nil {
		return nil, nil, api.explain(err)
	}
	if err := store.Save(ctx, site); err != nil {
		return nil, nil, err
	}
	return site, report, nil
}
