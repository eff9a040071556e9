package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

var localImage = regexp.MustCompile(`<img src="/images/[0-9a-f]{16}\.png"`)

// The server's first sync lists image URLs that expire before their
// download: it reads the articles again for fresh ones, and every page
// shows its images. An image that still cannot be fetched leaves the page
// its alt text and is counted.
func TestExpiredImageURLsOnTheServer(t *testing.T) {
	h := start(t, 20, fakeintercom.Faults{ExpiredListImages: true}, t.TempDir())
	var withImage []string
	for _, a := range h.api.Site().Articles {
		if tr := a.Translations["en"]; tr.Published() && strings.Contains(tr.Body, "https://downloads.intercomcdn.com/") {
			withImage = append(withImage, a.ID)
		}
	}
	if len(withImage) == 0 {
		t.Fatal("the generated site shows no image")
	}
	for _, id := range withImage {
		if page := h.page(t, "/en/articles/"+id+"/", false); !localImage.MatchString(page) {
			t.Errorf("article %s shows no local image", id)
		}
	}
	if _, metrics := h.get(t, "/metrics"); !strings.Contains(metrics, "helpsite_images_lost_total 0\n") {
		t.Errorf("metrics do not say no image was lost")
	}

	// An image the CDN does not have, even at a fresh URL.
	id := withImage[0]
	err := h.api.UpdateArticle(id, func(a *content.Article) {
		tr := a.Translations["en"]
		tr.Body += `<p><img src="https://downloads.intercomcdn.com/i/o/1/2/gone.png" alt="Gone chart"></p>`
		a.Translations["en"] = tr
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := h.send(t, "article.updated", id); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	h.waitFor(t, "the lost image counted", func() bool {
		_, metrics := h.get(t, "/metrics")
		return strings.Contains(metrics, "helpsite_images_lost_total 1\n")
	})
	page := h.page(t, "/en/articles/"+id+"/", false)
	if !strings.Contains(page, `<span class="image-missing">Gone chart</span>`) || strings.Contains(page, "gone.png") || !localImage.MatchString(page) {
		t.Errorf("article %s: want the lost image replaced by its alt text, the others local", id)
	}
}
