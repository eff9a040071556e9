package render

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/images"
	"github.com/helpsite/helpsite/internal/publish"
)

// demoChanges are edits of the demo, each made on the site the previous
// one left: a retitled article (its page, and every page that lists or
// links to it), an edited body, a translation unpublished, an article
// deleted, one added, an image added, a collection renamed (the breadcrumbs of its
// articles), and a locale's last article unpublished (the locale goes).
var demoChanges = []struct {
	name   string
	change func(t *testing.T, s *content.Site)
	// full says the change is to Hugo's configuration (the locales), which
	// takes a full build.
	full bool
	// rewritten is how many article bodies the change needs rewritten
	// (-1: any number).
	rewritten int
}{
	{"nothing", func(t *testing.T, s *content.Site) {}, false, 0},
	{"retitle", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "en")
		tr := a.Translations["en"]
		tr.Title = "Reset a forgotten password, fast"
		tr.URL = ""
		a.Translations["en"] = tr
		putTracked(s, a)
	}, false, 0},
	{"edit body", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "fr")
		tr := a.Translations["fr"]
		tr.Body += "<p>Une phrase de plus.</p>"
		a.Translations["fr"] = tr
		s.PutArticle(a)
	}, false, 1},
	{"unpublish", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "de")
		tr := a.Translations["de"]
		tr.State = content.Draft
		a.Translations["de"] = tr
		putTracked(s, a)
	}, false, -1},
	{"delete", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "en")
		s.RecordDeleted(&a)
		s.RemoveArticle(a.ID)
	}, false, -1},
	{"add", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "en")
		a.ID = "9999001"
		a.Translations = map[string]content.Translation{"en": a.Translations["en"]}
		tr := a.Translations["en"]
		tr.Title = "A brand new article"
		a.Translations["en"] = tr
		s.PutArticle(a)
	}, false, -1},
	{"add an image", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "en")
		tr := a.Translations["en"]
		tr.Body += `<p><img src="https://downloads.intercomcdn.com/i/o/1/new.png"></p>`
		a.Translations["en"] = tr
		s.PutArticle(a)
	}, false, 1},
	{"rename collection", func(t *testing.T, s *content.Site) {
		for i, c := range s.Collections {
			if c.ParentID != "" {
				c.Translations = maps.Clone(c.Translations)
				g := c.Translations["en"]
				g.Name = "Renamed collection"
				c.Translations["en"] = g
				s.Collections[i] = c
				return
			}
		}
	}, false, -1},
	{"drop a locale", func(t *testing.T, s *content.Site) {
		for i := range s.Articles {
			a := s.Articles[i]
			if tr, ok := a.Translations["ja"]; ok && tr.Published() {
				a.Translations = maps.Clone(a.Translations)
				tr.State = content.Draft
				a.Translations["ja"] = tr
				s.Articles[i] = a
			}
		}
	}, true, -1},
	{"add a locale with a region", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "en")
		tr := a.Translations["en"]
		tr.Title, tr.URL = "Redefinir a senha", ""
		a.Translations["pt-BR"] = tr
		putTracked(s, a)
	}, true, -1},
	{"retitle in a locale with a region", func(t *testing.T, s *content.Site) {
		a := firstPublished(t, s, "pt-BR")
		tr := a.Translations["pt-BR"]
		tr.Title = "Redefinir a senha esquecida"
		a.Translations["pt-BR"] = tr
		putTracked(s, a)
	}, false, 0},
}

// putTracked puts a into s with the former slugs a sync records.
func putTracked(s *content.Site, a content.Article) {
	content.TrackSlugs(s.Article(a.ID), &a)
	s.PutArticle(a)
}

// firstPublished returns a copy of the first article of s published in
// locale, with its own translations map.
func firstPublished(t testing.TB, s *content.Site, locale string) content.Article {
	t.Helper()
	for _, a := range s.Articles {
		if a.Translations[locale].Published() {
			a.Translations = maps.Clone(a.Translations)
			return a
		}
	}
	t.Fatalf("no article published in %s", locale)
	return content.Article{}
}

// An Update of a Live Renderer, applied to the live site, makes change
// after change the very site a full Build of the changed snapshot makes,
// and writes a small part of it, unless the locales change.
func TestUpdateMatchesBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo many times")
	}
	var logged bytes.Buffer
	d := newLiveDemo(t, &fakeImages{dir: t.TempDir()}, slog.New(slog.NewTextHandler(&logged, nil)))
	site, first := d.site, d.first
	if n := strings.Count(logged.String(), "level=WARN"); n != len(first.Warnings) || n == 0 {
		t.Fatalf("the first build logged %d warnings of %d", n, len(first.Warnings))
	}
	for i, c := range demoChanges {
		t.Run(c.name, func(t *testing.T) {
			next := site.Clone()
			c.change(t, next)
			next.Sort()
			logged.Reset()
			res := d.update(t, i, next, c.rewritten)
			if res.Full != c.full {
				t.Errorf("Full = %v, want %v", res.Full, c.full)
			}
			// Only the warnings of bodies rewritten now are logged again.
			if n := strings.Count(logged.String(), "level=WARN"); c.rewritten == 0 && n > 0 {
				t.Errorf("an update that rewrote nothing logged %d warnings:\n%s", n, logged.String())
			}
			if partial := res.Written < first.Written/2; partial == c.full {
				t.Errorf("the update wrote %d files, a full build %d", res.Written, first.Written)
			}
			site = next
		})
	}
}

// An Update finds the article pages that a change touches without
// looking at the others, and misses none: an image that downloads at last
// shows on the pages whose bodies did not change, and a link to an
// article that moved follows it.
func TestUpdateFollowsImagesAndLinks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo several times")
	}
	const image = "https://downloads.intercomcdn.com/i/o/7908330/c8667230fd/dashboard-overview-1440x900.png"
	imgs := &fakeImages{dir: t.TempDir(), failing: map[string]bool{image: true}}
	d := newLiveDemo(t, imgs, slog.New(slog.DiscardHandler))
	site, first := d.site, d.first
	lost := 0
	for _, w := range first.Warnings {
		if w.Kind == WarnImageLost {
			lost++
		}
	}
	if lost == 0 {
		t.Fatalf("no page lost the failing image: %v", first.Warnings)
	}
	var linked, linking content.Article // two articles published in English
	for _, a := range site.Articles {
		if a.Translations["en"].Published() {
			if linked.ID == "" {
				linked = a
			} else if linking.ID == "" && !strings.Contains(a.Translations["en"].Body, "<img") {
				linking = a
			}
		}
	}
	steps := []struct {
		name      string
		change    func(s *content.Site)
		rewritten int // article bodies rewritten
	}{
		{"the image downloads", func(s *content.Site) { imgs.failing = nil }, lost},
		{"a link to an article", func(s *content.Site) {
			a := linking
			a.Translations = maps.Clone(a.Translations)
			tr := a.Translations["en"]
			tr.Body += `<p><a href="` + linked.Translations["en"].URL + `">See also</a></p>`
			a.Translations["en"] = tr
			s.PutArticle(a)
			linking = a
		}, 1},
		{"the linked article moves", func(s *content.Site) {
			a := linked
			a.Translations = maps.Clone(a.Translations)
			tr := a.Translations["en"]
			tr.Title, tr.URL = "A title that moves the page", ""
			a.Translations["en"] = tr
			putTracked(s, a)
		}, 1},
	}
	for i, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			next := site.Clone()
			step.change(next)
			if res := d.update(t, i, next, step.rewritten); res.Full {
				t.Error("a full build")
			}
			site = next
		})
	}
}

// liveDemo is the demo help center built by a Live Renderer whose images
// come from imgs, for Updates to change.
type liveDemo struct {
	r     *Renderer
	imgs  *fakeImages
	site  *content.Site
	dir   string
	live  string // the live output
	first *Result
}

func newLiveDemo(t *testing.T, imgs *fakeImages, logger *slog.Logger) *liveDemo {
	t.Helper()
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Options{BaseURL: "https://help.example.com/", Live: true, Images: imgs, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	d := &liveDemo{r: r, imgs: imgs, site: site, dir: t.TempDir()}
	d.live = filepath.Join(d.dir, "live")
	if d.first, err = r.Build(context.Background(), mustPlan(t, r, site), d.live); err != nil {
		t.Fatal(err)
	}
	return d
}

// update applies the Update of the i-th change, to next, to the live
// output, and checks that the output is a full build's of next, with the
// same warnings, and that it rewrote that many article bodies (any
// number if negative).
func (d *liveDemo) update(t *testing.T, i int, next *content.Site, rewritten int) *Result {
	t.Helper()
	staged := filepath.Join(d.dir, fmt.Sprint("staged-", i))
	res, err := d.r.Update(context.Background(), mustPlan(t, d.r, next), staged, d.live)
	if err != nil {
		t.Fatal(err)
	}
	publishUpdate(t, res, staged, d.live)
	full := filepath.Join(d.dir, fmt.Sprint("full-", i))
	fullRes, err := Build(context.Background(), next, full, Options{BaseURL: "https://help.example.com/", Images: d.imgs, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	diffTrees(t, readTree(t, d.live), readTree(t, full))
	if rewritten >= 0 && res.Rewritten != rewritten {
		t.Errorf("the update rewrote %d article bodies, want %d", res.Rewritten, rewritten)
	}
	if !slices.Equal(sortedWarnings(res.Warnings), sortedWarnings(fullRes.Warnings)) {
		t.Errorf("the update reports warnings %v, a full build %v", res.Warnings, fullRes.Warnings)
	}
	return res
}

// publishUpdate makes live the site of an Update that wrote into staged:
// the whole new site when res.Full, else the changes applied file by file.
func publishUpdate(t *testing.T, res *Result, staged, live string) {
	t.Helper()
	if res.Full {
		if err := os.RemoveAll(live); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(staged, live); err != nil {
			t.Fatal(err)
		}
	} else if err := publish.Apply(live, staged, res.Removed); err != nil {
		t.Fatal(err)
	}
}

// fakeImages is an ImageStore that makes a tiny image of every URL but
// those failing.
type fakeImages struct {
	dir     string
	failing map[string]bool
}

func (f *fakeImages) Fetch(ctx context.Context, urls []string) (map[string]images.Image, []error) {
	got := map[string]images.Image{}
	var errs []error
	for _, u := range urls {
		if f.failing[u] {
			errs = append(errs, &images.Error{URL: u, Err: errors.New("connection refused")})
			continue
		}
		sum := sha256.Sum256([]byte(u))
		img := images.Image{Name: hex.EncodeToString(sum[:8]) + ".png", Type: "image/png", Size: int64(len(png)), Width: 1, Height: 1}
		if err := os.WriteFile(f.Path(img), png, 0o644); err != nil {
			errs = append(errs, err)
			continue
		}
		got[u] = img
	}
	return got, errs
}

func (f *fakeImages) Path(img images.Image) string { return filepath.Join(f.dir, img.Name) }

// sortedWarnings returns the messages of ws with where they are, sorted.
func sortedWarnings(ws []Warning) []string {
	var s []string
	for _, w := range ws {
		s = append(s, w.Locale+" "+w.Article+" "+w.Message)
	}
	slices.Sort(s)
	return s
}

// diffTrees reports the files that differ between got and want.
func diffTrees(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	var problems []string
	var first string // the first difference in a file
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			problems = append(problems, "missing "+name)
		case string(g) != string(want[name]):
			problems = append(problems, "differs "+name)
			if first == "" {
				first = name + ", " + firstDiff(want[name], g)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			problems = append(problems, "extra "+name)
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d files differ, the first: %q\n%s", len(problems), problems[:min(10, len(problems))], first)
	}
}

// A Live Renderer follows the user's layout overrides as they are added,
// changed, broken and removed.
func TestUpdateFollowsLayoutOverrides(t *testing.T) {
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	layouts := t.TempDir()
	footer := filepath.Join(layouts, "partials", "footer.html")
	r, err := New(Options{BaseURL: "https://help.example.com/", Live: true, LayoutsDir: layouts,
		Images: &fakeImages{dir: t.TempDir()}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := t.TempDir()
	live := filepath.Join(dir, "live")
	if _, err := r.Build(context.Background(), mustPlan(t, r, site), live); err != nil {
		t.Fatal(err)
	}
	theme, err := os.ReadFile(filepath.Join(live, "en", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, footer string // footer "" removes the override
		want         string // in the home page; "" for the theme's footer
		wantErr      bool
	}{
		{name: "added", footer: "<footer>Overridden footer</footer>", want: "Overridden footer"},
		{name: "changed", footer: "<footer>Changed footer</footer>", want: "Changed footer"},
		{name: "broken", footer: "<footer>{{ .Broken </footer>", wantErr: true},
		{name: "fixed", footer: "<footer>Fixed footer</footer>", want: "Fixed footer"},
		{name: "removed"},
	}
	for i, s := range steps {
		if s.footer == "" {
			err = os.Remove(footer)
		} else if err = os.MkdirAll(filepath.Dir(footer), 0o755); err == nil {
			err = os.WriteFile(footer, []byte(s.footer), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		staged := filepath.Join(dir, fmt.Sprint("staged-", i))
		res, err := r.Update(context.Background(), mustPlan(t, r, site), staged, live)
		if s.wantErr {
			if err == nil || !strings.Contains(err.Error(), "footer.html") {
				t.Fatalf("%s: Update returned %v, want an error naming footer.html", s.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if res.Full {
			err = errors.Join(os.RemoveAll(live), os.Rename(staged, live))
		} else {
			err = publish.Apply(live, staged, res.Removed)
		}
		if err != nil {
			t.Fatal(err)
		}
		home, err := os.ReadFile(filepath.Join(live, "en", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case s.want != "" && !strings.Contains(string(home), s.want):
			t.Errorf("%s: the home page lacks %q", s.name, s.want)
		case s.want == "" && !bytes.Equal(home, theme):
			t.Errorf("%s: the home page is not the theme's again", s.name)
		}
	}
}
