package render

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/spf13/afero"
)

// A tree is a directory of the working file system that each build fills
// file by file. Writing a file with the bytes it already holds leaves it
// untouched, and prune removes the files the build did not write, so that a
// rebuild changes only what changed; changes lists those changes, from
// which an Update knows what Hugo renders.
type tree struct {
	fs   afero.Fs
	root string

	mu      sync.Mutex
	present map[string]fileState // every file
	// groups holds the files of present by their group (fileGroup), so
	// that listing or pruning a directory goes over its files only.
	groups  map[string]map[string]bool
	written map[string]bool // since begin
	// kept, if not nil, says which groups of files not written since
	// begin the build carries over as they are (carry), but for the
	// files of notKept.
	kept    func(group string) bool
	notKept map[string]bool
	changes []change
}

// fileState is what a tree knows of a file: the xxhash of its bytes, and
// the key of what it was made from (writeMade), 0 if unknown.
type fileState struct{ sum, made uint64 }

// A change is a file that a build wrote anew or removed.
type change struct {
	name    string // a slash path below the root
	removed bool
}

func newTree(fsys afero.Fs, root string) *tree {
	return &tree{fs: fsys, root: root, present: map[string]fileState{}, groups: map[string]map[string]bool{}, written: map[string]bool{}}
}

// fileGroup is the group of file, a path below the tree's root: the slash
// path below the root of its directory, cut to three names at most: all
// the pages of a section of a locale ("content/en/articles") are one.
func (t *tree) fileGroup(file string) string {
	dir := path.Dir(strings.TrimPrefix(file, t.root+"/"))
	if i := nthIndex(dir, '/', 3); i >= 0 {
		dir = dir[:i]
	}
	return dir
}

// nthIndex returns the index of the nth c in s, or -1.
func nthIndex(s string, c byte, n int) int {
	for i := range len(s) {
		if s[i] == c {
			if n--; n == 0 {
				return i
			}
		}
	}
	return -1
}

// begin starts a build: no file is written yet, nothing changed.
func (t *tree) begin() {
	t.mu.Lock()
	defer t.mu.Unlock()
	// Not sized for every file: an Update writes few (see carry).
	t.written, t.kept, t.notKept, t.changes = map[string]bool{}, nil, nil, nil
}

// carry makes the files of the groups (fileGroup) for which kept reports
// true count as written since begin, but for those named in except, slash
// paths below the root.
func (t *tree) carry(kept func(group string) bool, except []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.kept, t.notKept = kept, make(map[string]bool, len(except))
	for _, name := range except {
		t.notKept[path.Join(t.root, name)] = true
	}
}

// isWritten reports whether file, a path below the root, counts as
// written since begin. t.mu is held.
func (t *tree) isWritten(file string) bool {
	return t.written[file] || t.kept != nil && !t.notKept[file] && t.kept(t.fileGroup(file))
}

// eachFile calls fn with every file below dir, a slash path below the
// root, that is in a group for which skip, if not nil, reports false.
// t.mu is held.
func (t *tree) eachFile(dir string, skip func(group string) bool, fn func(file string)) {
	prefix := t.root + "/" + dir + "/"
	for group, files := range t.groups {
		below := group == dir || strings.HasPrefix(group, dir+"/")
		if !below && !strings.HasPrefix(dir, group+"/") || skip != nil && skip(group) {
			continue
		}
		for f := range files {
			if below || strings.HasPrefix(f, prefix) {
				fn(f)
			}
		}
	}
}

// addPresent records the state of file, a path below the root. t.mu is
// held.
func (t *tree) addPresent(file string, st fileState) {
	if _, ok := t.present[file]; !ok {
		g := t.fileGroup(file)
		if t.groups[g] == nil {
			t.groups[g] = map[string]bool{}
		}
		t.groups[g][file] = true
	}
	t.present[file] = st
}

// write sets the file at the slash path name to data. It is safe for
// concurrent use.
func (t *tree) write(name string, data []byte) error {
	return t.writeMade(name, data, 0)
}

// writeMade is write for data made from inputs whose key (non-zero) is
// made, for keepMade to tell that the file is up to date by that key.
func (t *tree) writeMade(name string, data []byte, made uint64) error {
	file := path.Join(t.root, name)
	sum := xxhash.Sum64(data)
	t.mu.Lock()
	t.written[file] = true
	old, existed := t.present[file]
	if existed && old.sum == sum {
		t.present[file] = fileState{sum, made}
	}
	t.mu.Unlock()
	if existed && old.sum == sum {
		return nil
	}
	if err := t.fs.MkdirAll(path.Dir(file), 0o755); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	if err := afero.WriteFile(t.fs, file, data, 0o644); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	t.mu.Lock()
	t.addPresent(file, fileState{sum, made})
	t.mu.Unlock()
	t.changed(file, false)
	return nil
}

// keepMade counts each file at the slash paths names as written,
// unchanged, if writeMade last wrote it from inputs whose key is the same
// of made, and reports for each whether it did.
func (t *tree) keepMade(names []string, made []uint64) []bool {
	kept := make([]bool, len(names))
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, name := range names {
		file := t.root + "/" + name
		if st, ok := t.present[file]; ok && st.made != 0 && st.made == made[i] {
			t.written[file], kept[i] = true, true
		}
	}
	return kept
}

// wrote reports whether the file at the slash path name was written since
// begin.
func (t *tree) wrote(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.isWritten(path.Join(t.root, name))
}

// changed records a change to file, a path below the root.
func (t *tree) changed(file string, removed bool) {
	t.mu.Lock()
	t.changes = append(t.changes, change{strings.TrimPrefix(file, t.root+"/"), removed})
	t.mu.Unlock()
}

// files returns, sorted, the slash paths below the root of the files
// written since begin that lie below dir.
func (t *tree) files(dir string) []string {
	t.mu.Lock()
	var files []string
	t.eachFile(dir, nil, func(f string) {
		if t.isWritten(f) {
			files = append(files, strings.TrimPrefix(f, t.root+"/"))
		}
	})
	t.mu.Unlock()
	slices.Sort(files)
	return files
}

// changedContent returns the content files, slash paths below the root,
// that changes wrote; ok is false if a file outside the content changed.
func (t *tree) changedContent() (files []string, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.changes {
		switch {
		case !strings.HasPrefix(c.name, contentDir+"/"):
			return nil, false
		case !c.removed:
			files = append(files, c.name)
		}
	}
	return files, true
}

// writeFS writes every file of fsys below the slash path dir.
func (t *tree) writeFS(dir string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		return t.write(dir+"/"+name, data)
	})
}

// prune removes the files below dirs (slash paths) that were not written
// since begin, and the directories it leaves empty.
func (t *tree) prune(dirs ...string) error {
	t.mu.Lock()
	var stale []string
	addStale := func(f string) {
		if !t.isWritten(f) {
			stale = append(stale, f)
		}
	}
	// The groups carried over lose only the files they do not keep.
	for _, d := range dirs {
		t.eachFile(d, t.kept, addStale)
	}
	for f := range t.notKept {
		_, ok := t.present[f]
		if ok && t.kept(t.fileGroup(f)) && slices.ContainsFunc(dirs, func(d string) bool { return strings.HasPrefix(f, t.root+"/"+d+"/") }) {
			addStale(f)
		}
	}
	t.mu.Unlock()
	slices.Sort(stale)
	for _, f := range stale {
		if err := t.fs.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("render: %w", err)
		}
		t.mu.Lock()
		delete(t.present, f)
		g := t.fileGroup(f)
		if delete(t.groups[g], f); len(t.groups[g]) == 0 {
			delete(t.groups, g)
		}
		t.mu.Unlock()
		t.changed(f, true)
		for dir := path.Dir(f); dir != t.root; dir = path.Dir(dir) {
			if entries, err := afero.ReadDir(t.fs, dir); err != nil || len(entries) > 0 || t.fs.Remove(dir) != nil {
				break
			}
		}
	}
	return nil
}
