package render

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/afero"
)

// publishRoot is the publishDir Hugo is given: outputFs maps it to the
// output directory of the build in progress.
const publishRoot = "/helpsite-output"

// outputFs is Hugo's publish destination. It maps publishRoot to an OS
// directory that can change between builds, since a Live Renderer keeps
// one Hugo for the outputs of many, and counts the files written.
type outputFs struct {
	mu      sync.Mutex
	dir     string
	written int
	pages   int
	// onPage, if set, is told the count of HTML files written so far.
	onPage func(pages int)
	// folders maps the lowercased prefix of a locale that Hugo writes
	// ("pt-br") to the locale's folder ("pt-BR"); see localeFolders.
	folders map[string]string
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

// reset points the file system at dir and zeroes the count of writes;
// onPage (nil for none) follows the pages written.
func (f *outputFs) reset(dir string, onPage func(pages int)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dir, f.written, f.pages, f.onPage = dir, 0, 0, onPage
}

// writes returns the number of files written since reset.
func (f *outputFs) writes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.written
}

// path maps a path below publishRoot to the OS.
func (f *outputFs) path(name string) (string, error) {
	rel, ok := strings.CutPrefix(filepath.ToSlash(filepath.Clean(name)), publishRoot)
	if !ok || rel != "" && rel[0] != '/' {
		return "", fmt.Errorf("render: hugo wrote %s, outside its publish directory", name)
	}
	if first, rest, _ := strings.Cut(strings.TrimPrefix(rel, "/"), "/"); f.folders[first] != "" {
		rel = "/" + f.folders[first] + "/" + rest
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return filepath.Join(f.dir, filepath.FromSlash(rel)), nil
}

func (f *outputFs) Create(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

func (f *outputFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	p, err := f.path(name)
	if err != nil {
		return nil, err
	}
	file, err := os.OpenFile(p, flag, perm)
	if err != nil {
		return nil, err
	}
	if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
		f.mu.Lock()
		f.written++
		onPage, pages := f.onPage, 0
		if strings.HasSuffix(name, ".html") {
			f.pages++
			pages = f.pages
		}
		f.mu.Unlock()
		if onPage != nil && pages > 0 {
			onPage(pages)
		}
	}
	return file, nil
}

func (f *outputFs) Open(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDONLY, 0)
}

func (f *outputFs) Mkdir(name string, perm os.FileMode) error {
	return f.do(name, func(p string) error { return os.Mkdir(p, perm) })
}

func (f *outputFs) MkdirAll(name string, perm os.FileMode) error {
	return f.do(name, func(p string) error { return os.MkdirAll(p, perm) })
}

func (f *outputFs) Remove(name string) error { return f.do(name, os.Remove) }

func (f *outputFs) RemoveAll(name string) error { return f.do(name, os.RemoveAll) }

func (f *outputFs) Rename(oldname, newname string) error {
	from, err := f.path(oldname)
	if err != nil {
		return err
	}
	return f.do(newname, func(to string) error { return os.Rename(from, to) })
}

func (f *outputFs) Stat(name string) (os.FileInfo, error) {
	p, err := f.path(name)
	if err != nil {
		return nil, err
	}
	return os.Stat(p)
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
	p, err := f.path(name)
	if err != nil {
		return err
	}
	return op(p)
}
