package fakeintercom

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestGenerateDeterministic(t *testing.T) {
	opts := GenerateOptions{Articles: 120, Locales: []string{"de", "en", "he"}, HelpCenters: 2, Seed: 99}
	a, b := Generate(opts), Generate(opts)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same options generated different sites")
	}
	opts.Seed++
	if c := Generate(opts); reflect.DeepEqual(a.Articles, c.Articles) {
		t.Error("another seed generated the same articles")
	}
}

var (
	canonicalImage = regexp.MustCompile(`<img src="https://downloads\.intercomcdn\.com/i/o/\d+/[0-9a-f]+/[a-z-]+-\d+x\d+\.png">`)
	articleLink    = regexp.MustCompile(`href="https://[a-z.]+(?:/[a-z-]+)?/([a-zA-Z-]+)/articles/(\d+)(-[a-z0-9-]+)?"`)
	collectionLink = regexp.MustCompile(`href="https://[a-z.]+(?:/[a-z-]+)?/[a-zA-Z-]+/collections/\d+`)
	videoEmbed     = regexp.MustCompile(`<iframe src="https://(www\.youtube\.com/embed|player\.vimeo\.com/video|www\.loom\.com/embed|fast\.wistia\.net/embed/iframe)/`)
)

func TestGenerateRealistic(t *testing.T) {
	locales := []string{"en", "fr", "de", "ja", "ar"}
	site := Generate(GenerateOptions{Articles: 1500, Locales: locales, HelpCenters: 2, Seed: 5})
	if len(site.Articles) != 1500 || len(site.HelpCenters) != 2 {
		t.Fatalf("%d articles, %d help centers", len(site.Articles), len(site.HelpCenters))
	}
	if n := len(site.Collections); n < 80 || n > 120 {
		t.Errorf("%d collections for 1500 articles, want about 100", n)
	}
	// The server accepts it: parents exist, no cycles, default locales present.
	New(site, Options{})

	depths := map[int]int{}
	for _, c := range site.Collections {
		d := 0
		for p := c.ParentID; p != ""; p = site.Collection(p).ParentID {
			d++
		}
		depths[d]++
		if len(c.Translations) != len(locales) {
			t.Errorf("collection %s has %d locales", c.ID, len(c.Translations))
		}
	}
	if depths[0] == 0 || depths[1] == 0 || depths[2] == 0 || len(depths) != 3 {
		t.Errorf("collections by depth %v, want levels 0 to 2", depths)
	}

	var drafts, draftTranslations, translations, twoParents, images, links, slugless, collectionLinks, videos int
	var small, large int
	for _, a := range site.Articles {
		def := a.Translations[a.DefaultLocale]
		if a.DefaultLocale != "en" || def.Title == "" || !a.UpdatedAt.Equal(def.UpdatedAt) {
			t.Fatalf("article %s: default locale %q, title %q", a.ID, a.DefaultLocale, def.Title)
		}
		if !def.Published() {
			drafts++
		}
		if len(a.ParentIDs) > 1 {
			twoParents++
		}
		for l, tr := range a.Translations {
			if tr.UpdatedAt.Before(tr.CreatedAt) || tr.UpdatedAt.After(generateEnd) || tr.CreatedAt.Before(generateEnd.AddDate(-2, 0, 0)) {
				t.Errorf("article %s %s: created %v updated %v", a.ID, l, tr.CreatedAt, tr.UpdatedAt)
			}
			if l == a.DefaultLocale || !def.Published() {
				continue
			}
			translations++
			if !tr.Published() {
				draftTranslations++
			}
		}
		body := def.Body
		small += b2i(len(body) < 400)
		large += b2i(len(body) > 8000)
		images += len(canonicalImage.FindAllString(body, -1))
		videos += len(videoEmbed.FindAllString(body, -1))
		collectionLinks += len(collectionLink.FindAllString(body, -1))
		for _, m := range articleLink.FindAllStringSubmatch(body, -1) {
			links++
			slugless += b2i(m[3] == "")
			if m[1] != a.DefaultLocale || site.Article(m[2]) == nil {
				t.Errorf("article %s links %s", a.ID, m[0])
			}
		}
		if strings.Count(body, "<p class=") != strings.Count(body, "</p>") {
			t.Errorf("article %s: unbalanced paragraphs", a.ID)
		}
	}
	share := func(n, of int) float64 { return float64(n) / float64(of) }
	for name, c := range map[string]struct {
		got, lo, hi float64
	}{
		"draft articles":     {share(drafts, 1500), 0.02, 0.09},
		"draft translations": {share(draftTranslations, translations), 0.06, 0.14},
		"two collections":    {share(twoParents, 1500), 0.02, 0.09},
		"slugless links":     {share(slugless, links), 0.1, 0.35},
		"images per article": {share(images, 1500), 0.3, 5},
		"videos per article": {share(videos, 1500), 0.05, 2},
		"collection links":   {share(collectionLinks, 1500), 0.05, 1},
		"bodies under 400 B": {share(small, 1500), 0, 0.02},
		"bodies over 8 KB":   {share(large, 1500), 0, 0.02},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.3f, want %.2f–%.2f", name, c.got, c.lo, c.hi)
		}
	}
}

var generateEnd = GenerateOptions{}.end()

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"How to set up SSO with Okta":   "how-to-set-up-sso-with-okta",
		"Paramètres de l'équipe":        "parametres-de-l-equipe",
		"  Why can't I export?  ":       "why-can-t-i-export",
		"アカウント設定":                       "アカウント設定",
		"Max プランでの Claude Code の使用":     "max-プランでの-claude-code-の使用",
		"Über Café—Rechnungen (2024)":   "uber-cafe-rechnungen-2024",
		"Tools & integrations: Slack ✓": "tools-integrations-slack",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
	if got := idSlug("12", "!?"); got != "12" {
		t.Errorf("idSlug without a slug = %q", got)
	}
}
