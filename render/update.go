package render

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// writeFile writes data to the file name, creating its directory.
func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// livePath joins slash path elements below the live output.
func (b *build) livePath(elem ...string) string {
	return filepath.Join(b.live, filepath.FromSlash(strings.Join(elem, "/")))
}

// pageSections are the directories of a locale that hold a directory per
// page.
var pageSections = []string{"articles", "collections", "print"}

// addOutputDirs records page directories of the output, slash paths
// below it, that the build makes: an article's page or redirect pages, or
// of another page.
func (b *build) addOutputDirs(article bool, dirs ...string) {
	b.outputsMu.Lock()
	defer b.outputsMu.Unlock()
	b.out.addDirs(article, dirs...)
}

// addDirs is build.addOutputDirs, the build's outputsMu held.
func (o *siteOutputs) addDirs(article bool, dirs ...string) {
	for _, d := range dirs {
		o.dirs[d] = true
	}
	if !article {
		o.otherDirs = append(o.otherDirs, dirs...)
	}
}

// remove lists paths, slash paths below the live output, in
// Result.Removed. It is safe for concurrent use; finish sorts the list.
func (b *build) remove(paths ...string) {
	b.removedMu.Lock()
	defer b.removedMu.Unlock()
	b.res.Removed = append(b.res.Removed, paths...)
}

// listRemoved lists in res.Removed what the live site has and this build
// no longer makes: the page directories of the last build that this one
// does not make (of those it did not carry over, if it did), the locales
// no longer built, and images no article shows. The last good pages of
// items the plan leaves out keep serving, and are recorded as outputs for
// the next build.
func (b *build) listRemoved() error {
	var removed []string
	locales := map[string]string{} // URL form to locale
	for _, l := range b.plan.locales {
		locales[URLLocale(l)] = l
	}
	entries, err := os.ReadDir(b.live)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	for _, e := range entries {
		if _, built := locales[e.Name()]; e.IsDir() && !built && isLocaleDir(filepath.Join(b.live, e.Name())) {
			removed = append(removed, e.Name())
		}
	}
	candidates := maps.Keys(b.prev.dirs)
	if b.carries {
		candidates = slices.Values(b.dropped)
	}
	for dir := range candidates {
		l, rest, _ := strings.Cut(dir, "/")
		section, page, ok := strings.Cut(rest, "/")
		locale, built := locales[l]
		if !ok || !built || !slices.Contains(pageSections, section) || strings.Contains(page, "/") || b.out.dirs[dir] {
			continue
		}
		if b.plan.excludedPage(locale, section, page) {
			b.addOutputDirs(false, dir) // its last good page keeps serving
			continue
		}
		removed = append(removed, dir)
	}
	images, err := readDirNames(filepath.Join(b.live, imagesDir))
	if err != nil {
		return err
	}
	shown := map[string]bool{}
	for _, img := range b.images {
		shown[img.Name] = true
	}
	for _, name := range images {
		if !shown[name] {
			removed = append(removed, imagesDir+"/"+name)
		}
	}
	b.remove(removed...)
	return nil
}

// readDirNames returns the names in dir, none if it does not exist.
func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, nil
}

// isLocaleDir reports whether dir is the output of a locale: it has pages.
func isLocaleDir(dir string) bool {
	for _, section := range pageSections {
		if info, err := os.Stat(filepath.Join(dir, section)); err == nil && info.IsDir() {
			return true
		}
	}
	return false
}
