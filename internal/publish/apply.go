package publish

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Apply brings the site in live up to date with an incremental build: the
// files it wrote into staged, in a tree like live's, and the paths it
// removed (slash paths below live). Each staged file is renamed into place,
// so a reader sees it whole, old or new; then the removed paths go, and
// staged with them. Applying takes milliseconds, but is not atomic as a
// whole: if it fails part way, live mixes the two builds until a full
// build replaces it.
func Apply(live, staged string, removed []string) error {
	err := filepath.WalkDir(staged, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == staged {
			return err
		}
		rel, err := filepath.Rel(staged, p)
		if err != nil {
			return err
		}
		target := filepath.Join(live, rel)
		if d.IsDir() {
			if info, err := os.Lstat(target); err == nil && !info.IsDir() {
				if err := os.Remove(target); err != nil {
					return err
				}
			}
			return os.MkdirAll(target, 0o755)
		}
		if info, err := os.Lstat(target); err == nil && info.IsDir() {
			if err := os.RemoveAll(target); err != nil {
				return err
			}
		}
		return os.Rename(p, target)
	})
	if err != nil {
		return fmt.Errorf("applying %s to %s: %w", staged, live, err)
	}
	for _, r := range removed {
		if err := os.RemoveAll(filepath.Join(live, filepath.FromSlash(r))); err != nil {
			return fmt.Errorf("applying %s to %s: %w", staged, live, err)
		}
	}
	return os.RemoveAll(staged)
}
