package main

import (
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// hostileAPI serves a generated help center with fakeintercom.AddHostile's
// content added, with ids and locales that are absolute paths pointing
// into root.
func hostileAPI(t *testing.T, root string) (*fakeintercom.Server, string, fakeintercom.Hostile) {
	t.Helper()
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 30, Locales: []string{"en", "fr"}, HelpCenters: 1, Seed: 12})
	hostile := fakeintercom.AddHostile(site, "en", root)
	api := fakeintercom.New(site, fakeintercom.Options{Tokens: []string{"good"}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	api.SetBaseURL(srv.URL)
	return api, srv.URL, hostile
}

// checkConfined fails if anything in root lies outside the directories in
// allowed, or a file an escaping write would make exists anywhere.
func checkConfined(t *testing.T, root string, allowed []string, hostile fakeintercom.Hostile) {
	t.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, a := range allowed {
			if p == a || strings.HasPrefix(p, a+string(filepath.Separator)) || strings.HasPrefix(a, p+string(filepath.Separator)) {
				return nil
			}
		}
		if p != root {
			t.Errorf("%s was written outside helpsite's directories", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range hostile.Escapes {
		for _, dir := range []string{filepath.Dir(root), "/", "/tmp", os.TempDir()} {
			if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
				t.Errorf("%s was written outside helpsite's directories", filepath.Join(dir, name))
			}
		}
	}
}

// Hostile ids, locales, titles, bodies, collection names and image names
// neither escape the output, panic the build nor keep the other articles
// from being published; what is refused is reported.
func TestBuildSurvivesHostileContent(t *testing.T) {
	root := filepath.Join(t.TempDir(), "root")
	work := filepath.Join(root, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	api, base, hostile := hostileAPI(t, root)
	snap, out := filepath.Join(work, "snap"), filepath.Join(work, "site")
	code, stdout, stderr := sitegen(t, "build", "--api-base", base, "--token", "good", "--snapshot", snap, "--out", out)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	checkConfined(t, root, []string{work}, hostile)

	// Every good article is published, and so are the survivors.
	for _, a := range api.Site().Articles {
		if !content.ValidID(a.ID) {
			continue
		}
		for _, l := range a.PublishedLocales() {
			if !content.ValidLocale(l) {
				continue
			}
			if !hasPage(t, out, l, a.ID) {
				t.Errorf("article %s has no page in %s", a.ID, l)
			}
		}
	}
	// No path component comes near the file system's limit, and none is
	// made of a hostile name.
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && len(d.Name()) > 200 {
			t.Errorf("path component of %d bytes: %s…", len(d.Name()), d.Name()[:40])
		}
		if err == nil && !utf8.ValidString(d.Name()) || strings.ContainsAny(d.Name(), "\x00\n") {
			t.Errorf("path component %q", d.Name())
		}
		return nil
	})
	// What was refused is reported by id, with the field at fault.
	for _, id := range hostile.Refused {
		if !strings.Contains(stdout, content.Quote(id)) {
			t.Errorf("refused item %s is not reported:\n%s", content.Quote(id), stdout)
		}
	}
	for _, l := range hostile.BadLocales {
		if !strings.Contains(stdout, content.Quote(l)) {
			t.Errorf("refused locale %s is not reported:\n%s", content.Quote(l), stdout)
		}
	}
	if !strings.Contains(stdout, "not an Intercom id") || !strings.Contains(stdout, "not a language tag") {
		t.Errorf("the summary does not say what is wrong:\n%s", stdout)
	}

	// A fetch names what it refused.
	code, fetchOut, stderr := sitegen(t, "fetch", "--api-base", base, "--token", "good", "--snapshot", filepath.Join(work, "snap2"))
	if code != 0 || !strings.Contains(fetchOut, "refused: article "+content.Quote(hostile.Refused[0])) {
		t.Errorf("fetch: exit %d, refused items not listed:\n%s%s", code, fetchOut, stderr)
	}

	// A rebuild from the snapshot alone reports the same, and --strict
	// fails on it while still publishing.
	out2 := filepath.Join(work, "site2")
	code, stdout2, stderr := sitegen(t, "build", "--from-snapshot", snap, "--out", out2, "--strict")
	if code != 1 || !strings.Contains(stderr+stdout2, "--strict") {
		t.Errorf("--strict build of hostile content: exit %d\n%s%s", code, stdout2, stderr)
	}
	if _, err := os.Stat(filepath.Join(out2, "en", "index.html")); err != nil {
		t.Errorf("--strict did not publish the site: %v", err)
	}
	for _, id := range hostile.Refused {
		if !strings.Contains(stdout2, content.Quote(id)) {
			t.Errorf("a build from the snapshot does not report %s", content.Quote(id))
		}
	}
	checkConfined(t, root, []string{work}, hostile)
}

// hasPage reports whether article id has a page (not a redirect) in locale.
func hasPage(t *testing.T, out, locale, id string) bool {
	t.Helper()
	for _, dir := range []string{locale, strings.ToLower(locale)} {
		entries, _ := os.ReadDir(filepath.Join(out, dir, "articles"))
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), id+"-") && e.Name() != id {
				continue
			}
			page, err := os.ReadFile(filepath.Join(out, dir, "articles", e.Name(), "index.html"))
			if err == nil && strings.Contains(string(page), `id="article-title"`) {
				return true
			}
		}
	}
	return false
}
