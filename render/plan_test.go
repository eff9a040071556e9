package render

import (
	"fmt"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
)

// A collection counts the published articles in it and below it, each
// once: an article in two collections of a subtree, one that names its
// collection twice, and collections whose parents make a cycle.
func TestCollectionCounts(t *testing.T) {
	group := map[string]content.GroupText{"en": {Name: "Group"}}
	collection := func(id, parent string) content.Collection {
		return content.Collection{ID: id, ParentID: parent, DefaultLocale: "en", Translations: group}
	}
	article := func(id string, state content.State, parents ...string) content.Article {
		return content.Article{ID: id, ParentIDs: parents, DefaultLocale: "en", Translations: map[string]content.Translation{
			"en": {Title: "Article " + id, Body: "<p>Text</p>", State: state}}}
	}
	site := &content.Site{
		HelpCenters: []content.HelpCenter{{ID: "1", DisplayName: "Help", URL: "https://intercom.help/acme", WebsiteTurnedOn: true}},
		Collections: []content.Collection{
			collection("1", ""), collection("2", "1"), collection("3", "2"),
			collection("4", "5"), collection("5", "4"), collection("6", ""),
		},
		Articles: []content.Article{
			article("11", content.Published, "3"),
			article("12", content.Published, "2", "3"),
			article("13", content.Published, "1", "1"),
			article("14", content.Published, "4"),
			article("15", content.Published, "5", "6"),
			article("16", content.Draft, "6"),
		},
	}
	r, err := New(Options{BaseURL: "https://help.example.com/"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	lp := mustPlan(t, r, site).byLocale["en"]
	for id, want := range map[string]int{"1": 3, "2": 2, "3": 2, "4": 2, "5": 2, "6": 1} {
		if cp := lp.byCollection[id]; cp == nil {
			t.Errorf("collection %s has no page", id)
		} else if cp.count != want {
			t.Errorf("collection %s counts %d articles, want %d", id, cp.count, want)
		}
	}
}

// ancestry lists each collection above a page once, top first, however
// deep the tree and wherever its parents make a cycle.
func TestAncestry(t *testing.T) {
	for _, tc := range []struct{ depth, cycleTo int }{{1, -1}, {3, -1}, {3, 0}, {16, 5}, {17, 16}, {40, -1}, {40, 29}} {
		chain := make([]*collectionPage, tc.depth) // chain[i].parent is chain[i+1]
		for i := range chain {
			chain[i] = &collectionPage{collection: &content.Collection{ID: fmt.Sprint(i)}}
		}
		for i := 0; i+1 < len(chain); i++ {
			chain[i].parent = chain[i+1]
		}
		if tc.cycleTo >= 0 {
			chain[len(chain)-1].parent = chain[tc.cycleTo]
		}
		got := chain[0].ancestry()
		if len(got) != tc.depth || got[len(got)-1] != chain[0] {
			t.Errorf("depth %d, cycle to %d: ancestry has %d collections, want %d ending with the page's own", tc.depth, tc.cycleTo, len(got), tc.depth)
			continue
		}
		if tc.cycleTo < 0 && got[0] != chain[len(chain)-1] {
			t.Errorf("depth %d: ancestry starts with %s, want the top", tc.depth, got[0].collection.ID)
		}
	}
}
