package pipeline

import (
	"maps"
	"slices"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
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
