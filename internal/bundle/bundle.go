// Package bundle makes offline documentation bundles: a site rendered with
// render.Options.Relative, optionally cut down to some collections, packed
// into a zip file that is the same, byte for byte, for the same snapshot
// and options.
package bundle

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/helpsite/helpsite/internal/atomicfile"
	"github.com/helpsite/helpsite/internal/content"
)

// FilterCollections returns a copy of site that keeps only the collections
// ids names, the collections below them and the articles in any of those;
// the articles' other collections are dropped. It shares the unchanged
// parts with site. A collection kept without its parent becomes a top-level
// one.
func FilterCollections(site *content.Site, ids []string) (*content.Site, error) {
	keep := map[string]bool{}
	for _, id := range ids {
		if site.Collection(id) == nil {
			return nil, fmt.Errorf("bundle: no collection %q", id)
		}
		keep[id] = true
	}
	// Add descendants until nothing changes: the tree is small, and a
	// cycle cannot loop.
	for grew := true; grew; {
		grew = false
		for _, c := range site.Collections {
			if !keep[c.ID] && c.ParentID != "" && keep[c.ParentID] {
				keep[c.ID], grew = true, true
			}
		}
	}
	out := *site
	out.Collections = nil
	for _, c := range site.Collections {
		if keep[c.ID] {
			if !keep[c.ParentID] {
				c.ParentID = ""
			}
			out.Collections = append(out.Collections, c)
		}
	}
	out.Articles = nil
	for _, a := range site.Articles {
		parents := slices.DeleteFunc(slices.Clone(a.ParentIDs), func(id string) bool { return !keep[id] })
		if len(parents) > 0 {
			a.ParentIDs = parents
			out.Articles = append(out.Articles, a)
		}
	}
	return &out, nil
}

// Zip writes the files below dir into w as a zip archive, with paths
// relative to dir. The archive depends only on the files' names and bytes,
// and on modified, the time every entry carries: entries are in lexical
// order, compressed alike, with fixed permissions and no other metadata.
func Zip(dir string, w io.Writer, modified time.Time) error {
	zw := zip.NewWriter(w)
	root := os.DirFS(dir)
	err := fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || name == "." {
			return err
		}
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()}
		if d.IsDir() {
			h.Name += "/"
			h.Method = zip.Store
			h.SetMode(fs.ModeDir | 0o755)
			_, err := zw.CreateHeader(h)
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", name)
		}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		f, err := root.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(fw, f)
		return err
	})
	if err != nil {
		return fmt.Errorf("bundle: zipping %s: %w", dir, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bundle: zipping %s: %w", dir, err)
	}
	return nil
}

// WriteZip zips dir into the file name, through a temporary file renamed
// into place, so that a failure leaves no partial archive.
func WriteZip(dir, name string, modified time.Time) error {
	err := atomicfile.Write(name, func(w io.Writer) error { return Zip(dir, w, modified) })
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	return nil
}
