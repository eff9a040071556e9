package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// A snapshot holds everything a build needs: after the fetch, the API is
// gone and the build still has every image.
func TestBuildFromSnapshotNeedsNoNetwork(t *testing.T) {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 40, Locales: []string{"en", "de"}, HelpCenters: 1, Seed: 4})
	api := fakeintercom.New(site, fakeintercom.Options{Tokens: []string{"good"}})
	srv := httptest.NewServer(api)
	api.SetBaseURL(srv.URL)
	snap := filepath.Join(t.TempDir(), "snap")
	code, out, errOut := sitegen(t, "fetch", "--api-base", srv.URL, "--token", "good", "--snapshot", snap)
	if code != 0 || !strings.Contains(out, ", 0 failed") {
		t.Fatalf("fetch: exit %d\n%s%s", code, out, errOut)
	}
	srv.Close()

	site1 := filepath.Join(t.TempDir(), "site")
	code, out, errOut = sitegen(t, "build", "--from-snapshot", snap, "--out", site1)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "image unavailable") {
		t.Errorf("the offline build missed images:\n%s", errOut)
	}
	m := regexp.MustCompile(`\((\d+) images\)`).FindStringSubmatch(out)
	imgs, _ := os.ReadDir(filepath.Join(site1, "images"))
	if m == nil || m[1] == "0" || len(imgs) == 0 {
		t.Fatalf("no images in the offline build:\n%s", out)
	}
	for _, p := range []string{"en/index.html", "de/index.html", "search/search-en.js", "_redirects", "sitemap.xml"} {
		if _, err := os.Stat(filepath.Join(site1, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}

	// A second build from the same snapshot is byte-identical.
	site2 := filepath.Join(t.TempDir(), "site")
	if code, _, errOut := sitegen(t, "build", "--from-snapshot", snap, "--out", site2); code != 0 {
		t.Fatal(errOut)
	}
	filepath.WalkDir(site1, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(site1, p)
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(site2, rel))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs between two builds of one snapshot", rel)
		}
		return nil
	})
}

func TestBuildErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"build", "--demo"}, "--out DIR is required"},
		{[]string{"build", "--out", "x"}, "exactly one of"},
		{[]string{"build", "--out", "x", "--demo", "--from-snapshot", "y"}, "exactly one of"},
		{[]string{"build", "--out", "x", "--from-snapshot", t.TempDir()}, "holds no snapshot"},
		{[]string{"build", "--out", "x", "--demo", "--config", "/nonexistent.yaml"}, "reading config"},
	} {
		code, _, errOut := sitegen(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %s", c.args, code, errOut)
		}
	}
}

var (
	imgSrc  = regexp.MustCompile(`<img[^>]+src="([^"]*)"`)
	hrefAny = regexp.MustCompile(`<a[^>]+href="(/[^"]*)"`)
)

// The demo, built as the README's first command builds it, shows every
// image from the site itself and has no broken internal link.
func TestDemoBuildHasLocalImagesAndNoBrokenLinks(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	warnings := filepath.Join(t.TempDir(), "warnings.jsonl")
	code, stdout, errOut := sitegen(t, "build", "--demo", "--out", out, "--warnings-file", warnings)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, errOut)
	}
	checkWarningSummary(t, stdout, warnings)
	if strings.Contains(stdout+errOut, "helpsite-demo-") {
		t.Errorf("the output names the demo's temporary snapshot:\n%s%s", stdout, errOut)
	}
	images, links := 0, 0
	exists := func(p string) bool {
		p, _, _ = strings.Cut(p, "#")
		p, _, _ = strings.Cut(p, "?")
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		if strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		_, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
		return err == nil
	}
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || filepath.Ext(p) != ".html" {
			return err
		}
		data, _ := os.ReadFile(p)
		for _, m := range imgSrc.FindAllStringSubmatch(string(data), -1) {
			images++
			if !strings.HasPrefix(m[1], "/images/") || !exists(m[1]) {
				t.Errorf("%s shows image %s, not a local file", p, m[1])
			}
		}
		for _, m := range hrefAny.FindAllStringSubmatch(string(data), -1) {
			links++
			if !strings.HasPrefix(m[1], "//") && !exists(m[1]) {
				t.Errorf("%s links to %s, which does not exist", p, m[1])
			}
		}
		return nil
	})
	if images < 19 || links == 0 {
		t.Errorf("checked %d images and %d links; the demo has more", images, links)
	}
	// The results page fetches what the static search loads first with
	// the page (checked to exist above).
	search, _ := os.ReadFile(filepath.Join(out, "de", "search", "index.html"))
	for _, file := range []string{"/search/search-engine.js", "/search/search-de.js"} {
		if !strings.Contains(string(search), `<link rel="preload" href="`+file+`" as="script">`) {
			t.Errorf("the search page does not preload %s", file)
		}
	}
}

// checkWarningSummary checks that the summary in stdout counts the
// warnings of the file by kind and shows at most shownPerKind of each.
func checkWarningSummary(t *testing.T, stdout, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]int{}
	total := 0
	for line := range strings.Lines(string(data)) {
		var w warningLine
		if err := json.Unmarshal([]byte(line), &w); err != nil || w.Kind == "" || w.Message == "" {
			t.Fatalf("warnings file line %q: %v", line, err)
		}
		byKind[w.Kind]++
		total++
	}
	if total == 0 {
		if strings.Contains(stdout, "warnings:") {
			t.Errorf("no warnings in the file, but a summary:\n%s", stdout)
		}
		return
	}
	if !strings.Contains(stdout, fmt.Sprintf("%d warnings: ", total)) || !strings.Contains(stdout, "all warnings are in "+file) {
		t.Errorf("summary does not count the file's %d warnings:\n%s", total, stdout)
	}
	for kind, n := range byKind {
		shown := strings.Count(stdout, "\n  "+kind+": ") - strings.Count(stdout, "\n  "+kind+": … and")
		if !strings.Contains(stdout, fmt.Sprintf("%d %s", n, kind)) || shown != min(n, shownPerKind) {
			t.Errorf("kind %s: %d in the file, %d shown:\n%s", kind, n, shown, stdout)
		}
	}
}
