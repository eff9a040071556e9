package pipeline

import (
	"maps"
	"slices"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/render"
)

func TestChangedLocales(t *testing.T) {
	tr := func(title string) content.Translation {
		return content.Translation{Title: title, State: content.Published}
	}
	old := &content.Site{Articles: []content.Article{
		{ID: "1", ParentIDs: []string{"10"}, Translations: map[string]content.Translation{"en": tr("a"), "fr": tr("a-fr"), "de": tr("a-de")}},
		{ID: "2", ParentIDs: []string{"10"}, Translations: map[string]content.Translation{"en": tr("b"), "ja": tr("b-ja")}},
		{ID: "3", ParentIDs: []string{"10"}, Translations: map[string]content.Translation{"ar": tr("c")}},
	}}
	edit := func(s *content.Site, id string, f func(a *content.Article)) {
		a := *s.Article(id)
		a.Translations = maps.Clone(a.Translations)
		f(&a)
		s.PutArticle(a)
	}
	for _, c := range []struct {
		name   string
		change func(s *content.Site)
		ids    []string
		want   []string
	}{
		{"one translation edited", func(s *content.Site) {
			edit(s, "1", func(a *content.Article) { a.Translations["fr"] = tr("a-fr, edited") })
		}, []string{"1"}, []string{"fr"}},
		{"a translation added", func(s *content.Site) {
			edit(s, "2", func(a *content.Article) { a.Translations["de"] = tr("b-de") })
		}, []string{"2"}, []string{"de"}},
		{"moved", func(s *content.Site) {
			edit(s, "2", func(a *content.Article) { a.ParentIDs = []string{"11"} })
		}, []string{"2"}, []string{"en", "ja"}},
		{"deleted", func(s *content.Site) { s.RemoveArticle("3") }, []string{"3"}, []string{"ar"}},
		{"unchanged", func(s *content.Site) {}, []string{"1"}, []string{}},
	} {
		next := old.Clone()
		c.change(next)
		if got := ChangedLocales(old, next, c.ids); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestWarningsByKind(t *testing.T) {
	res := &render.Result{
		Warnings: []render.Warning{{Kind: render.WarnLink, Message: "a"}, {Message: "b"}, {Kind: render.WarnLink, Message: "c"}},
		Skipped:  []render.Skipped{{Kind: "article", ID: "7", Reason: "bad id"}},
	}
	kinds, groups := WarningsByKind(res)
	if !slices.Equal(kinds, []string{render.WarnLink, OtherWarnings, render.WarnSkipped}) {
		t.Fatalf("kinds %v", kinds)
	}
	if len(groups[render.WarnLink]) != 2 || groups[render.WarnSkipped][0].Message != `article "7" skipped: bad id` {
		t.Errorf("groups %v", groups)
	}
}
