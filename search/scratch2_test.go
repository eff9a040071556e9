package search

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestScratchStatic10k(t *testing.T) {
	site := generatedSite(10000, benchLocales, 1)
	if err := WriteStaticFiles(context.Background(), "/tmp/static10k", site, PublishedLocales(site), testOptions); err != nil {
		t.Fatal(err)
	}
	var qs []map[string]string
	for i := 0; i < len(site.Articles); i += 100 {
		for _, l := range benchLocales {
			tr, ok := site.Articles[i].Translations[l]
			if !ok || !tr.Published() {
				continue
			}
			words := strings.Fields(tr.Title)
			typing := []rune(words[len(words)-1])
			qs = append(qs, map[string]string{"locale": l, "q": tr.Title}, map[string]string{"locale": l, "q": misspell(tr.Title)},
				map[string]string{"locale": l, "q": strings.Join(words[:len(words)-1], " ") + " " + string(typing[:min(len(typing), 3)])})
		}
	}
	b, _ := json.Marshal(qs)
	os.WriteFile("/tmp/static10k/queries.json", b, 0o644)
}
