package publish

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Releases keeps published sites for a long-running server: each full
// build is a directory under root/releases, and root/current is a symbolic
// link to the live one, replaced with a rename. A reader that resolved the
// link keeps a consistent site. Incremental builds are applied to the live
// release file by file (Apply); earlier releases are never changed.
type Releases struct {
	root string
	keep int
}

// NewReleases manages releases under root, keeping the newest keep
// (at least two: the live one and the one before).
func NewReleases(root string, keep int) (*Releases, error) {
	if err := os.MkdirAll(filepath.Join(root, "releases"), 0o755); err != nil {
		return nil, err
	}
	return &Releases{root: root, keep: max(keep, 2)}, nil
}

// Stage creates an empty directory for the next release.
func (r *Releases) Stage() (string, error) {
	return os.MkdirTemp(filepath.Join(r.root, "releases"), ".staging-*")
}

// Current returns the live release's directory, or "" if none.
func (r *Releases) Current() (string, error) {
	target, err := os.Readlink(filepath.Join(r.root, "current"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return filepath.Join(r.root, target), nil
}

// Publish makes a staged directory the live release and removes releases
// beyond the newest keep. It returns the release's directory.
func (r *Releases) Publish(staged string) (string, error) {
	name := time.Now().UTC().Format("20060102T150405.000000000")
	dir := filepath.Join(r.root, "releases", name)
	if err := os.Rename(staged, dir); err != nil {
		return "", err
	}
	link := filepath.Join(r.root, "current")
	tmp := link + ".next"
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join("releases", name), tmp); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, link); err != nil {
		return "", fmt.Errorf("switching to release %s: %w", name, err)
	}
	r.prune()
	return dir, nil
}

// prune removes old releases and abandoned staging directories.
func (r *Releases) prune() {
	entries, err := os.ReadDir(filepath.Join(r.root, "releases"))
	if err != nil {
		return
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".staging-") {
			continue // possibly a build in progress
		}
		names = append(names, e.Name())
	}
	slices.Sort(names)
	for len(names) > r.keep {
		os.RemoveAll(filepath.Join(r.root, "releases", names[0]))
		names = names[1:]
	}
}

// RemoveStaging deletes staging directories left by builds that did not
// finish, as after a crash; call it before any build starts.
func (r *Releases) RemoveStaging() {
	stale, _ := filepath.Glob(filepath.Join(r.root, "releases", ".staging-*"))
	for _, d := range stale {
		os.RemoveAll(d)
	}
}
