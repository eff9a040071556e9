package fakeintercom

import (
	"fmt"
	"strings"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// Hostile is what AddHostile put into a site.
type Hostile struct {
	// Refused are the ids of items no mirror may publish: ids that are not
	// Intercom's (path segments, absolute paths, control characters, 300
	// digits). Their pages must not exist anywhere.
	Refused []string
	// BadLocales are translation locales that must be refused, each on an
	// article that is otherwise fine.
	BadLocales []string
	// Survivors are the ids of articles with unusual but publishable
	// content (huge titles and bodies, hostile image names and links):
	// each must be published, made safe.
	Survivors []string
	// Escapes are the file names that a mirror writing outside its
	// directories would create: none may exist anywhere after a build.
	Escapes []string
}

// AddHostile adds to site, which must hold a published article in locale
// and a collection, the unusual and hostile content the API can return
// and editors can write, for tests that a mirror survives it. escapeRoot
// is an absolute directory in which ids and locales that are absolute
// paths point: a test lists it afterwards to see that nothing was written
// there.
func AddHostile(site *content.Site, locale, escapeRoot string) Hostile {
	var h Hostile
	var model *content.Article
	for i := range site.Articles {
		if site.Articles[i].Translations[locale].Published() {
			model = &site.Articles[i]
			break
		}
	}
	if model == nil || len(site.Collections) == 0 {
		panic("fakeintercom: AddHostile needs a published article and a collection")
	}
	parent := site.Collections[0].ID
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	text := func(title, body string) content.Translation {
		return content.Translation{Title: title, Body: body, State: content.Published, CreatedAt: now, UpdatedAt: now}
	}
	add := func(id string, translations map[string]content.Translation) {
		site.Articles = append(site.Articles, content.Article{ID: id, ParentIDs: []string{parent}, DefaultLocale: locale,
			Translations: translations, CreatedAt: now, UpdatedAt: now})
	}
	escape := func(name string) string {
		h.Escapes = append(h.Escapes, name)
		return name
	}
	nextID := 990000001

	// Ids that are not Intercom's.
	for _, id := range []string{
		"../../" + escape("escape-id-dots"),
		escapeRoot + "/" + escape("escape-id-absolute"),
		"..%2F..%2F" + escape("escape-id-encoded"),
		"12\x0034",
		"56\n78",
		strings.Repeat("7", 300),
	} {
		h.Refused = append(h.Refused, id)
		add(id, map[string]content.Translation{locale: text("Hostile id article", "<p>Should never be published.</p>")})
	}

	// Locales that are not language tags, beside a good one.
	for _, l := range []string{"../../" + escape("escape-locale-dots"), escapeRoot + "/" + escape("escape-locale-absolute"), locale + "\nX", "x"} {
		id := fmt.Sprint(nextID)
		nextID++
		h.BadLocales = append(h.BadLocales, l)
		h.Survivors = append(h.Survivors, id)
		add(id, map[string]content.Translation{
			locale: text("Article with a bad extra locale "+id, "<p>Its good translation is published.</p>"),
			l:      text("Hostile locale", "<p>Should never be published.</p>"),
		})
	}

	// Publishable content that is large or odd.
	survivor := func(title, body string) {
		id := fmt.Sprint(nextID)
		nextID++
		h.Survivors = append(h.Survivors, id)
		add(id, map[string]content.Translation{locale: text(title, body)})
	}
	survivor(strings.Repeat("A very long title with ../ and control\x01characters ", 2000), "<p>A 100 KB title.</p>")
	survivor(strings.Repeat("Überlange Überschrift ", 15), "<p>A title whose slug would be over 300 bytes.</p>")
	survivor(strings.Repeat("長いタイトル", 60), "<p>A long title in Japanese.</p>")
	survivor("A five megabyte body", "<h2>Big</h2>"+strings.Repeat("<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. </p>", 5<<20/66))
	survivor("Hostile image names and links",
		`<p><img src="`+cdnOrigin+`i/o/1/2/../../../../`+escape("escape-image.png")+`"></p>`+
			`<p><img src="`+cdnOrigin+`i/o/1/2/%2e%2e%2f%2e%2e%2f`+escape("escape-image-encoded.png")+`"></p>`+
			`<p><a href="/en/reference/configuration/">A root-relative link to nowhere</a></p>`+
			`<p><a href="../../../../etc/passwd">A relative link up</a></p>`)

	// A collection with a hostile id, and one with a hostile name.
	h.Refused = append(h.Refused, "../../"+escape("escape-collection"))
	site.Collections = append(site.Collections,
		content.Collection{ID: "../../escape-collection", DefaultLocale: locale, CreatedAt: now, UpdatedAt: now,
			Translations: map[string]content.GroupText{locale: {Name: "Hostile collection id"}}},
		content.Collection{ID: "990000100", DefaultLocale: locale, CreatedAt: now, UpdatedAt: now,
			Translations: map[string]content.GroupText{locale: {Name: "../../" + escape("escape-collection-name") + "\x00" + strings.Repeat("x", 400)}}})
	add(fmt.Sprint(nextID), map[string]content.Translation{locale: text("In the hostile-named collection", "<p>Fine.</p>")})
	site.Articles[len(site.Articles)-1].ParentIDs = []string{"990000100"}
	h.Survivors = append(h.Survivors, fmt.Sprint(nextID))
	site.Sort()
	return h
}
