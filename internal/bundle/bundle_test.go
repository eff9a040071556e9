package bundle

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

func TestFilterCollections(t *testing.T) {
	site := &content.Site{
		Collections: []content.Collection{
			{ID: "1"}, {ID: "2", ParentID: "1"}, {ID: "3", ParentID: "2"}, {ID: "4"}, {ID: "5", ParentID: "4"},
		},
		Articles: []content.Article{
			{ID: "10", ParentIDs: []string{"3"}},
			{ID: "11", ParentIDs: []string{"4", "2"}},
			{ID: "12", ParentIDs: []string{"5"}},
			{ID: "13"}, // standalone
		},
	}
	got, err := FilterCollections(site, []string{"2"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range got.Collections {
		ids = append(ids, c.ID+"<"+c.ParentID)
	}
	if want := []string{"2<", "3<2"}; !slices.Equal(ids, want) {
		t.Errorf("collections = %v, want %v", ids, want)
	}
	var articles []string
	for _, a := range got.Articles {
		articles = append(articles, a.ID)
		if a.ID == "11" && !slices.Equal(a.ParentIDs, []string{"2"}) {
			t.Errorf("article 11 keeps parents %v, want [2]", a.ParentIDs)
		}
	}
	if want := []string{"10", "11"}; !slices.Equal(articles, want) {
		t.Errorf("articles = %v, want %v", articles, want)
	}
	if site.Collections[1].ParentID != "1" || len(site.Articles[1].ParentIDs) != 2 {
		t.Error("FilterCollections changed its input")
	}
	if _, err := FilterCollections(site, []string{"99"}); err == nil {
		t.Error("an unknown collection was accepted")
	}
}

// Two zips of the same files, written at different times, are
// byte-identical, and hold the files in order.
func TestZipIsReproducible(t *testing.T) {
	files := map[string]string{"index.html": "root", "en/index.html": "en", "en/a/index.html": "a", "search/s.js": "js"}
	when := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	var zips [2][]byte
	for i := range zips {
		dir := t.TempDir()
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
				t.Fatal(err)
			}
			mtime := time.Now().Add(time.Duration(i) * time.Hour)
			os.Chtimes(p, mtime, mtime)
		}
		var buf bytes.Buffer
		if err := Zip(dir, &buf, when); err != nil {
			t.Fatal(err)
		}
		zips[i] = buf.Bytes()
	}
	if !bytes.Equal(zips[0], zips[1]) {
		t.Fatal("two zips of the same files differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(zips[0]), int64(len(zips[0])))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(when) {
			t.Errorf("%s modified %v, want %v", f.Name, f.Modified, when)
		}
		if f.FileInfo().IsDir() {
			continue
		}
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if string(data) != files[f.Name] {
			t.Errorf("%s holds %q, want %q", f.Name, data, files[f.Name])
		}
	}
	want := []string{"en/", "en/a/", "en/a/index.html", "en/index.html", "index.html", "search/", "search/s.js"}
	if !slices.Equal(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}
}
