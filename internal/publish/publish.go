// Package publish replaces a built site in one step, so a visitor or a
// static file server never sees a half-written site and a failed build
// never replaces a good one.
//
// A build writes into a staging directory beside its destination (same
// file system, so renames are atomic); Swap then exchanges the two.
package publish

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Stage creates an empty directory beside out for a build to write into.
// The caller removes it with Discard if the build fails.
func Stage(out string) (string, error) {
	out = filepath.Clean(out)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", filepath.Dir(out), err)
	}
	dir, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".staging-*")
	if err != nil {
		return "", fmt.Errorf("creating a staging directory beside %s: %w", out, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// Discard removes a staging directory after a failed build.
func Discard(staged string) { os.RemoveAll(staged) }

// Swap makes staged's content appear at out and removes what out held.
// Where the system can exchange two directories atomically it does;
// elsewhere out is missing for the instant between two renames.
func Swap(staged, out string) error {
	out = filepath.Clean(out)
	info, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.Rename(staged, out)
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%s exists and is not a directory: remove it or choose another --out", out)
	}
	if err := exchange(staged, out); err != nil {
		return fmt.Errorf("publishing %s: %w", out, err)
	}
	// staged now holds the previous site.
	return os.RemoveAll(staged)
}
