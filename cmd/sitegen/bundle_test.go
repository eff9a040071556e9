package main

import (
	"archive/zip"
	"bytes"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/browsertest"
	"github.com/helpsite/helpsite/internal/demo"
)

// fetchDemo mirrors the demo help center into a snapshot directory.
func fetchDemo(t *testing.T) string {
	t.Helper()
	snap := filepath.Join(t.TempDir(), "snapshot")
	if code, stdout, errOut := sitegen(t, "fetch", "--demo", "--snapshot", snap); code != 0 {
		t.Fatalf("fetch: exit %d\n%s%s", code, stdout, errOut)
	}
	return snap
}

func runBundleCmd(t *testing.T, args ...string) {
	t.Helper()
	if code, stdout, errOut := sitegen(t, append([]string{"bundle"}, args...)...); code != 0 {
		t.Fatalf("bundle %q: exit %d\n%s%s", args, code, stdout, errOut)
	}
}

// unzip extracts the zip file name into a new directory and returns it.
func unzip(t *testing.T, name string) string {
	t.Helper()
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var (
	anyURL     = regexp.MustCompile(`\s(?:href|src|action|data-root|data-search-script)="([^"]*)"`)
	remoteLoad = regexp.MustCompile(`<(?:img|script|iframe|video|audio|source|link|embed|object)\b[^>]*\s(?:src|href|srcset|data)="(?:https?:)?//`)
	cssURL     = regexp.MustCompile(`url\(\s*['"]?(?:https?:)?//`)
)

// TestBundleFiles checks a bundle of the demo from the file system: every
// page links only to files of the bundle, relatively, and to nothing on the
// site's host; nothing loads from outside; every page carries the
// snapshot's time; there is a printable page per collection and locale; and
// the same snapshot and options make the same zip, byte for byte.
func TestBundleFiles(t *testing.T) {
	snap := fetchDemo(t)
	tmp := t.TempDir()
	zip1, zip2 := filepath.Join(tmp, "1.zip"), filepath.Join(tmp, "2.zip")
	runBundleCmd(t, "--from-snapshot", snap, "--out", zip1)
	runBundleCmd(t, "--from-snapshot", snap, "--out", zip2)
	a, _ := os.ReadFile(zip1)
	b, _ := os.ReadFile(zip2)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("two bundles of one snapshot differ (%d and %d bytes)", len(a), len(b))
	}
	dir := unzip(t, zip1)

	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	locales := site.HelpCenters[0].Locales
	root, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, l := range locales {
		if !bytes.Contains(root, []byte(`href="`+l+`/index.html"`)) {
			t.Errorf("the root index.html does not list %s", l)
		}
	}
	pages, prints := 0, map[string]int{}
	filepath.WalkDir(dir, func(file string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(file, dir+string(filepath.Separator)))
		data, _ := os.ReadFile(file)
		switch path.Ext(rel) {
		case ".css":
			if cssURL.Match(data) {
				t.Errorf("%s loads something from outside the bundle", rel)
			}
		case ".html":
			pages++
			checkBundlePage(t, dir, rel, data)
			if parts := strings.Split(rel, "/"); len(parts) == 4 && parts[1] == "print" {
				prints[parts[0]]++
			}
		}
		return nil
	})
	for _, l := range locales {
		if prints[l] != len(site.Collections) {
			t.Errorf("%s has %d printable pages for %d collections", l, prints[l], len(site.Collections))
		}
	}
	if pages < 200 {
		t.Errorf("the bundle has only %d pages", pages)
	}
}

// checkBundlePage checks one HTML file of an unzipped bundle.
func checkBundlePage(t *testing.T, dir, rel string, data []byte) {
	t.Helper()
	if bytes.Contains(data, []byte("help.northwind.example")) {
		t.Errorf("%s names the site's host", rel)
	}
	if m := remoteLoad.Find(data); m != nil {
		t.Errorf("%s loads from outside the bundle: %s", rel, m)
	}
	if rel != "index.html" && !bytes.Contains(data, []byte(`<p class="version">`)) {
		t.Errorf("%s has no version stamp", rel)
	}
	for _, m := range anyURL.FindAllSubmatch(data, -1) {
		link := string(m[1])
		if strings.HasPrefix(link, "#") || strings.HasPrefix(link, "data:") || strings.HasPrefix(link, "https://") {
			continue // fragments, inline data, links out (such as videos)
		}
		if strings.HasPrefix(link, "/") || strings.Contains(link, "://") {
			t.Errorf("%s: link %s is not relative", rel, link)
			continue
		}
		target, _, _ := strings.Cut(link, "#")
		target, _, _ = strings.Cut(target, "?")
		if t, err := url.PathUnescape(target); err == nil {
			target = t // a browser decodes a file: URL's path
		}
		target = path.Join(path.Dir(rel), target)
		if strings.HasSuffix(link, "/") || strings.HasSuffix(target, "/..") {
			continue // data-root, a directory by design
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
			t.Errorf("%s: link %s leads to no file", rel, link)
		}
	}
}

// TestBundleFilters bundles two locales, then one collection with those
// below it, and refuses locales and collections the snapshot does not have.
func TestBundleFilters(t *testing.T) {
	snap := fetchDemo(t)
	for _, c := range []struct{ flag, want string }{
		{"--locales=en,xx", "nothing is published in \"xx\"\nThe snapshot's published locales are ar,de,en,fr,ja."},
		{"--collections=42", `no collection "42"`},
	} {
		code, _, errOut := sitegen(t, "bundle", "--from-snapshot", snap, "--out", filepath.Join(t.TempDir(), "x.zip"), c.flag)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("bundle %s: exit %d, %q; want exit 2 and %q", c.flag, code, errOut, c.want)
		}
	}
	out := filepath.Join(t.TempDir(), "locales")
	runBundleCmd(t, "--from-snapshot", snap, "--out", out, "--locales", "en,fr")
	if got := dirNames(t, out); !slices.Equal(got, []string{"css", "en", "fr", "images", "index.html", "js", "llms.txt", "search"}) {
		t.Errorf("a bundle of en,fr holds %v", got)
	}

	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	tree := map[string]bool{}
	for _, c := range site.Collections { // parents come before children
		if c.ParentID == "" && len(tree) == 0 || tree[c.ParentID] {
			tree[c.ID] = true
		}
	}
	var top string
	for _, c := range site.Collections {
		if tree[c.ID] && c.ParentID == "" {
			top = c.ID
		}
	}
	out = filepath.Join(t.TempDir(), "collection")
	runBundleCmd(t, "--from-snapshot", snap, "--out", out, "--locales", "en", "--collections", top)
	for _, name := range dirNames(t, filepath.Join(out, "en", "collections")) {
		id, _, _ := strings.Cut(name, "-")
		if !tree[id] {
			t.Errorf("a bundle of collection %s has collection %s", top, name)
		}
		delete(tree, id)
	}
	if len(tree) != 0 {
		t.Errorf("a bundle of collection %s misses collections %v", top, tree)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestBundleInBrowser opens an unzipped bundle of the demo from file:// in
// headless Chromium with networking off: home, a collection, an article,
// another language, a search and its result, with no failed request and no
// console error.
func TestBundleInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	zipFile := filepath.Join(t.TempDir(), "demo.zip")
	runBundleCmd(t, "--demo", "--out", zipFile)
	dir := unzip(t, zipFile)
	b := browsertest.New(t, browsertest.Offline())
	p := b.NewPage(t)
	p.Navigate("file://" + filepath.ToSlash(dir) + "/index.html")
	p.Click(`.locales a[hreflang="en"]`)
	p.Click(".cards .card-title a")
	collection := p.Text("h1")
	p.Click(".article-list a")
	article := p.Text("article h1")
	if article == "" || article == collection {
		t.Fatalf("after home → %q → article, h1 is %q", collection, article)
	}
	p.Click(".language-switcher summary")
	p.Click(`.language-switcher a[hreflang="fr"]`)
	if lang := p.Attr("html", "lang"); lang != "fr" {
		t.Errorf("after switching to français, the page's lang is %q (%s)", lang, p.URL())
	}
	title := p.Text("article h1")
	browsertest.SearchAndOpen(t, p, "#search-header", title, title)
	if !strings.HasPrefix(p.URL(), "file://") {
		t.Errorf("the search result opened %s", p.URL())
	}
	p.Type("#search-header", title+"\n")
	if titles, _ := browsertest.SearchResults(t, p, title); !slices.Contains(titles, title) {
		t.Errorf("the results page for %q shows %q", title, titles)
	}
	p.NoErrors(t)
}
