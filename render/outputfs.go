package render

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/afero"
)

// publishRoot is the publishDir Hugo is given: outputFs maps it to the
// output directory of the build in progress.
const publishRoot = "/helpsite-output"

// outputFs is where a shard's Hugo publishes (see shard): it maps
// publishRoot to the output directory and keeps the files keep allows,
// sending the others to memory, which is dropped with it. It counts the
// files kept.
type outputFs struct {
	dir     string
	folders map[string]string // see localeFolders
	keep    func(rel string) bool
	// mkdirs says Hugo's MkdirAll makes directories; else only the
	// directories of files kept are made, as they are written.
	mkdirs  bool
	onPage  func() // told of each HTML file kept, if set
	discard afero.Fs

	mu      sync.Mutex
	written int
	dirs    map[string]bool // made
}

func newOutputFs(dir string, folders map[string]string, keep func(rel string) bool, mkdirs bool, onPage func()) *outputFs {
	return &outputFs{dir: dir, folders: folders, keep: keep, mkdirs: mkdirs, onPage: onPage,
		discard: afero.NewMemMapFs(), dirs: map[string]bool{}}
}

// localeFolders maps the prefix Hugo gives each of locales that is not
// all lower-case to the folder the site keeps it in, as Intercom writes
// it: Hugo's language keys are lower-case and cannot be otherwise, and so
// are the folders of the pages whose URL it makes (home and 404 pages).
func localeFolders(locales []string) map[string]string {
	folders := map[string]string{}
	for _, l := range locales {
		if hugoLang(l) != URLLocale(l) {
			folders[hugoLang(l)] = URLLocale(l)
		}
	}
	return folders
}

// writes returns the number of files kept.
func (f *outputFs) writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.written
}

// path maps a path below publishRoot to a slash path relative to the
// output directory.
func (f *outputFs) path(name string) (string, error) {
	rel, ok := strings.CutPrefix(filepath.ToSlash(filepath.Clean(name)), publishRoot)
	if !ok || rel != "" && rel[0] != '/' {
		return "", fmt.Errorf("render: hugo wrote %s, outside its publish directory", name)
	}
	rel = strings.TrimPrefix(rel, "/")
	if first, rest, _ := strings.Cut(rel, "/"); f.folders[first] != "" {
		rel = f.folders[first] + "/" + rest
	}
	return rel, nil
}

// osPath is the file of the output directory at the slash path rel.
func (f *outputFs) osPath(rel string) string {
	return filepath.Join(f.dir, filepath.FromSlash(rel))
}

func (f *outputFs) Create(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

func (f *outputFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	rel, err := f.path(name)
	if err != nil {
		return nil, err
	}
	writing := flag&(os.O_WRONLY|os.O_RDWR) != 0
	if writing && !f.keep(rel) {
		return f.discard.OpenFile(name, flag, perm)
	}
	if writing {
		if err := f.makeDir(path.Dir(rel)); err != nil {
			return nil, err
		}
	}
	file, err := os.OpenFile(f.osPath(rel), flag, perm)
	if err != nil {
		return nil, err
	}
	if writing {
		f.mu.Lock()
		f.written++
		f.mu.Unlock()
		if f.onPage != nil && strings.HasSuffix(rel, ".html") {
			f.onPage()
		}
	}
	return file, nil
}

// makeDir makes the directory at the slash path rel, once.
func (f *outputFs) makeDir(rel string) error {
	f.mu.Lock()
	made := f.dirs[rel]
	f.mu.Unlock()
	if made {
		return nil
	}
	if err := os.MkdirAll(f.osPath(rel), 0o755); err != nil {
		return err
	}
	f.mu.Lock()
	f.dirs[rel] = true
	f.mu.Unlock()
	return nil
}

func (f *outputFs) Open(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDONLY, 0)
}

func (f *outputFs) Mkdir(name string, perm os.FileMode) error {
	return f.MkdirAll(name, perm)
}

func (f *outputFs) MkdirAll(name string, perm os.FileMode) error {
	rel, err := f.path(name)
	if err != nil || !f.mkdirs {
		return err
	}
	return f.makeDir(rel)
}

func (f *outputFs) Remove(name string) error { return f.do(name, os.Remove) }

func (f *outputFs) RemoveAll(name string) error { return f.do(name, os.RemoveAll) }

func (f *outputFs) Rename(oldname, newname string) error {
	from, err := f.path(oldname)
	if err != nil {
		return err
	}
	return f.do(newname, func(to string) error { return os.Rename(f.osPath(from), to) })
}

func (f *outputFs) Stat(name string) (os.FileInfo, error) {
	rel, err := f.path(name)
	if err != nil {
		return nil, err
	}
	return os.Stat(f.osPath(rel))
}

func (f *outputFs) Name() string { return "helpsite output" }

func (f *outputFs) Chmod(name string, mode os.FileMode) error {
	return f.do(name, func(p string) error { return os.Chmod(p, mode) })
}

func (f *outputFs) Chown(name string, uid, gid int) error {
	return f.do(name, func(p string) error { return os.Chown(p, uid, gid) })
}

func (f *outputFs) Chtimes(name string, atime, mtime time.Time) error {
	return f.do(name, func(p string) error { return os.Chtimes(p, atime, mtime) })
}

// do calls op with the OS path of name.
func (f *outputFs) do(name string, op func(string) error) error {
	rel, err := f.path(name)
	if err != nil {
		return err
	}
	return op(f.osPath(rel))
}
