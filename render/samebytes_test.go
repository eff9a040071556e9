package render

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// randomChange is a change an editor makes in Intercom; it returns what
// it did, for failures to name.
type randomChange func(rng *rand.Rand, s *content.Site) string

// randomChanges are the kinds of change TestIncrementalSameBytes makes.
var randomChanges = []randomChange{
	func(rng *rand.Rand, s *content.Site) string { // edit a body
		a, l := randomTranslation(rng, s)
		tr := a.Translations[l]
		tr.Body += fmt.Sprintf("<p>Edited %d.</p>", rng.IntN(1000))
		tr.UpdatedAt = tr.UpdatedAt.Add(time.Hour)
		a.Translations[l] = tr
		s.PutArticle(a)
		return "edit " + a.ID + " " + l
	},
	func(rng *rand.Rand, s *content.Site) string { // retitle
		a, l := randomTranslation(rng, s)
		tr := a.Translations[l]
		tr.Title = fmt.Sprintf("%s, revised %d", tr.Title, rng.IntN(1000))
		tr.URL = ""
		a.Translations[l] = tr
		putTracked(s, a)
		return "retitle " + a.ID + " " + l
	},
	func(rng *rand.Rand, s *content.Site) string { // move to another collection
		a, _ := randomTranslation(rng, s)
		c := s.Collections[rng.IntN(len(s.Collections))]
		a.ParentIDs = []string{c.ID}
		s.PutArticle(a)
		return "move " + a.ID + " to " + c.ID
	},
	func(rng *rand.Rand, s *content.Site) string { // unpublish a translation
		a, l := randomTranslation(rng, s)
		tr := a.Translations[l]
		tr.State = content.Draft
		a.Translations[l] = tr
		putTracked(s, a)
		return "unpublish " + a.ID + " " + l
	},
	func(rng *rand.Rand, s *content.Site) string { // delete
		a, _ := randomTranslation(rng, s)
		s.RecordDeleted(&a)
		s.RemoveArticle(a.ID)
		return "delete " + a.ID
	},
	func(rng *rand.Rand, s *content.Site) string { // a new article
		a, l := randomTranslation(rng, s)
		a.ID = strconv.Itoa(9_000_000 + rng.IntN(1_000_000))
		tr := a.Translations[l]
		tr.Title = "New article " + a.ID
		tr.URL = ""
		a.Translations = map[string]content.Translation{l: tr}
		a.FormerSlugs = nil
		s.PutArticle(a)
		return "add " + a.ID + " " + l
	},
	func(rng *rand.Rand, s *content.Site) string { // a translation added
		a, l := randomTranslation(rng, s)
		for _, other := range []string{"en", "fr", "de", "ja", "ar"} {
			if !a.Translations[other].Published() {
				tr := a.Translations[l]
				tr.Title, tr.URL = "Translated "+tr.Title, ""
				a.Translations[other] = tr
				putTracked(s, a)
				return "translate " + a.ID + " into " + other
			}
		}
		return "nothing: " + a.ID + " has every translation"
	},
}

// randomTranslation returns a copy of a random article, with its own
// translations map, and one of its published locales.
func randomTranslation(rng *rand.Rand, s *content.Site) (content.Article, string) {
	for {
		a := s.Articles[rng.IntN(len(s.Articles))]
		if locales := a.PublishedLocales(); len(locales) > 0 {
			a.Translations = maps.Clone(a.Translations)
			a.ParentIDs = slices.Clone(a.ParentIDs)
			return a, locales[rng.IntN(len(locales))]
		}
	}
}

// buildWith builds site into out as Build does, with pagesPerSitemap.
func buildWith(site *content.Site, out string, opts Options, pagesPerSitemap int) error {
	r, err := New(opts)
	if err != nil {
		return err
	}
	defer r.Close()
	r.pagesPerSitemap = pagesPerSitemap
	plan, err := r.Plan(site)
	if err != nil {
		return err
	}
	_, err = r.Build(context.Background(), plan, out)
	return err
}

// The same bytes either way: 50 random changes to a 200 × 5 site, each
// through a Live Renderer's Update applied to the live site, leave the
// site a full build of the same snapshot makes, file by file. The
// Renderer keeps its project on disk (Options.WorkDir), as the server's
// does.
// HELPSITE_TEST_SEED picks another sequence.
func TestIncrementalSameBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 50 full builds")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("HELPSITE_TEST_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("HELPSITE_TEST_SEED=%q: %v", s, err)
		}
	}
	t.Logf("seed %d (HELPSITE_TEST_SEED repeats it)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 200, Locales: []string{"en", "fr", "de", "ja", "ar"}, Seed: 7})
	dir := t.TempDir()
	opts := Options{BaseURL: "https://help.example.com/", Live: true, WorkDir: filepath.Join(dir, "work"), Logger: slog.New(slog.DiscardHandler)}
	// Few pages per sitemap, so that each locale has several: 4 or 8, and
	// Arabic's 176 pages are at the edge, so that a page added or taken
	// away there changes the number.
	const pagesPerSitemap = 44
	r, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.pagesPerSitemap = pagesPerSitemap
	live := filepath.Join(dir, "live")
	if _, err := r.Build(context.Background(), mustPlan(t, r, site), live); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(live, "en", "sitemap-2.xml")); err != nil {
		t.Fatalf("the site has not several sitemaps per locale: %v", err)
	}
	opts.Live, opts.WorkDir = false, ""
	for step := range 50 {
		next := site.Clone()
		did := randomChanges[rng.IntN(len(randomChanges))](rng, next)
		next.Sort()
		staged := filepath.Join(dir, "staged")
		plan := mustPlan(t, r, next)
		res, err := r.Update(context.Background(), plan, staged, live)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, did, err)
		}
		if res.Full {
			t.Errorf("step %d (%s): the update rendered the whole site", step, did)
		}
		// A change to one article makes the front matter of the pages
		// around it, not of the site's.
		articles := 0
		for _, lp := range plan.byLocale {
			articles += len(lp.articles)
		}
		t.Logf("step %d (%s): made the front matter of %d of %d article pages", step, did, res.Prepared, articles)
		if res.Prepared > articles/4 {
			t.Errorf("step %d (%s): the update made the front matter of %d article pages of %d", step, did, res.Prepared, articles)
		}
		publishUpdate(t, res, staged, live)
		os.RemoveAll(staged)
		full := filepath.Join(dir, "full")
		if err := buildWith(next, full, opts, pagesPerSitemap); err != nil {
			t.Fatalf("step %d (%s): full build: %v", step, did, err)
		}
		t.Run(fmt.Sprintf("%02d %s", step, did), func(t *testing.T) {
			diffTrees(t, readTree(t, live), readTree(t, full))
		})
		os.RemoveAll(full)
		site = next
	}
}
