package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/snapshot"
)

// source is where a build's site comes from: a snapshot updated from the
// API (--snapshot), one read as it is (--from-snapshot), or the demo's,
// fetched into a temporary snapshot that close removes.
type source struct {
	api *cli.APIFlags
	dir string
	// client is the API's, once load synced the snapshot through it.
	client *fetch.Client
	sync   bool
	store  *snapshot.Store
	close  func()
}

// openSource checks the source flags, of which exactly one must be set,
// before any work.
func openSource(api *cli.APIFlags, snapDir, fromSnap string) (*source, error) {
	n := 0
	for _, set := range []bool{snapDir != "", fromSnap != "", api.Demo} {
		if set {
			n++
		}
	}
	if n != 1 {
		return nil, cli.Usagef("give exactly one of --snapshot DIR, --from-snapshot DIR or --demo")
	}
	s := &source{api: api, close: func() {}}
	switch {
	case fromSnap != "":
		if err := cli.CheckDir("from-snapshot", fromSnap); err != nil {
			return nil, cli.WithHint(err, fmt.Sprintf("Make one with 'sitegen fetch --snapshot %s'.", fromSnap))
		}
		s.dir = fromSnap
	case snapDir != "":
		if err := cli.CheckWritable("snapshot", snapDir); err != nil {
			return nil, err
		}
		s.dir, s.sync = snapDir, true
	default:
		dir, err := os.MkdirTemp("", "helpsite-demo-*")
		if err != nil {
			return nil, fmt.Errorf("making the demo's snapshot directory: %w", err)
		}
		s.dir, s.sync = dir, true
		s.close = func() { os.RemoveAll(dir) }
	}
	s.store = snapshot.Open(s.dir)
	return s, nil
}

// load returns the site, syncing the snapshot from the API first unless it
// is read as it is. stop ends the API, once the build no longer needs it:
// the API serves the images too.
func (s *source) load(ctx context.Context, e *env, full bool) (site *content.Site, stop func(), err error) {
	if !s.sync {
		site, err = s.store.Load(ctx)
		if errors.Is(err, snapshot.ErrNotExist) {
			err = cli.UsageError{Err: fmt.Errorf("--from-snapshot %s holds no snapshot", s.dir),
				Hint: fmt.Sprintf("Make one with 'sitegen fetch --snapshot %s'.", s.dir)}
		}
		return site, func() {}, err
	}
	client, stop, err := s.api.Client(e.log, e.line)
	if err != nil {
		return nil, nil, err
	}
	s.client = client
	site, report, err := syncSnapshot(ctx, client, s.api, s.store, full)
	e.line.Clear()
	if err != nil {
		stop()
		return nil, nil, err
	}
	if s.api.Demo {
		fmt.Fprintf(e.stdout, "demo help center: %s\n", report)
	} else {
		fmt.Fprintf(e.stdout, "snapshot %s: %s\n", s.dir, report)
	}
	return site, stop, nil
}
