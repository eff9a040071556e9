package fakeintercom

import (
	"bytes"
	"encoding/json"
	"html"
	"image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

var servedImage = regexp.MustCompile(`src="(http://[^"]+/cdn/i/o/[^"]+)"`)

// articleWithImage returns an article whose default body has an image.
func articleWithImage(t *testing.T, site *content.Site) *content.Article {
	t.Helper()
	for i := range site.Articles {
		if a := &site.Articles[i]; strings.Contains(a.Translations[a.DefaultLocale].Body, cdnOrigin) {
			return a
		}
	}
	t.Fatal("no article with an image")
	return nil
}

func TestImages(t *testing.T) {
	site := testSite(t)
	a := articleWithImage(t, site)
	clk := newClock()
	s, ts := start(t, site, Options{Now: clk.Now, ImageTTL: time.Minute})
	r := call(t, ts.URL+"/articles/"+a.ID, "test-token", "")
	var got struct {
		Body              string `json:"body"`
		TranslatedContent map[string]json.RawMessage
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	canonical := a.Translations[a.DefaultLocale].Body
	if strings.Contains(got.Body, cdnOrigin) {
		t.Errorf("served body still links the CDN: %s", got.Body)
	}
	if Unsign(got.Body) != canonical {
		t.Errorf("Unsign(served body) differs from the canonical body:\n%s\n%s", Unsign(got.Body), canonical)
	}
	m := servedImage.FindStringSubmatch(got.Body)
	if m == nil {
		t.Fatalf("no signed image URL in %s", got.Body)
	}
	imageURL := html.UnescapeString(m[1])
	size := imageSize.FindStringSubmatch(strings.SplitN(imageURL, "?", 2)[0])

	calls := s.Calls()
	resp := do(t, mustRequest(t, imageURL))
	if resp.status != 200 || resp.header.Get("Content-Type") != "image/png" {
		t.Fatalf("GET %s: status %d, type %s: %s", imageURL, resp.status, resp.header.Get("Content-Type"), resp.body)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(resp.body))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := strconv.Itoa(cfg.Width), strconv.Itoa(cfg.Height); w != size[1] || h != size[2] {
		t.Errorf("image is %sx%s, its name says %sx%s", w, h, size[1], size[2])
	}
	if again := do(t, mustRequest(t, imageURL)); !bytes.Equal(again.body, resp.body) {
		t.Error("the same image URL served different bytes")
	}
	if s.Calls() != calls || s.ImageCalls() != 2 {
		t.Errorf("image downloads: Calls %d (was %d), ImageCalls %d; want them counted apart", s.Calls(), calls, s.ImageCalls())
	}

	for name, u := range map[string]string{
		"tampered signature": strings.Replace(imageURL, "signature=", "signature=0", 1),
		"tampered path":      strings.Replace(imageURL, "/i/o/", "/i/o/1", 1),
		"tampered expiry":    regexp.MustCompile(`expires=\d+`).ReplaceAllString(imageURL, "expires=99999999999"),
		"no signature":       strings.SplitN(imageURL, "?", 2)[0],
	} {
		if r := do(t, mustRequest(t, u)); r.status != 403 || !strings.Contains(string(r.body), "<Code>AccessDenied</Code>") {
			t.Errorf("%s: status %d: %s", name, r.status, r.body)
		}
	}
	clk.Advance(61 * time.Second)
	if r := do(t, mustRequest(t, imageURL)); r.status != 403 || !strings.Contains(string(r.body), "expired") {
		t.Errorf("expired: status %d: %s", r.status, r.body)
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestUnsign(t *testing.T) {
	const canonical = `<img src="https://downloads.intercomcdn.com/i/o/123/abc/shot-10x20.png"><a href="https://downloads.intercomcdn.com/i/o/9/f/x-1x1.png">`
	signed := signImages(canonical, "http://127.0.0.1:8089", 1700000000, []byte("k"))
	if signed == canonical || !strings.Contains(signed, "http://127.0.0.1:8089/cdn/i/o/123/abc/shot-10x20.png?expires=1700000000&amp;signature=") {
		t.Fatalf("signImages: %s", signed)
	}
	for _, body := range []string{signed, html.UnescapeString(signed)} {
		if got := Unsign(body); got != canonical {
			t.Errorf("Unsign(%s) = %s, want %s", body, got, canonical)
		}
	}
}

// TestExpiredListImages checks the fault that makes the image URLs of an
// article list expire before their download, while a read of the article
// gives fresh ones.
func TestExpiredListImages(t *testing.T) {
	site := testSite(t)
	a := articleWithImage(t, site)
	s, ts := start(t, site, Options{})
	s.SetFaults(Faults{ExpiredListImages: true})
	image := func(path string) int {
		t.Helper()
		r := call(t, ts.URL+path, "test-token", "")
		m := servedImage.FindStringSubmatch(strings.ReplaceAll(string(r.body), `\"`, `"`))
		if m == nil {
			t.Fatalf("no signed image URL in %s", r.body)
		}
		return do(t, mustRequest(t, html.UnescapeString(m[1]))).status
	}
	if status := image("/articles?per_page=250"); status != http.StatusForbidden {
		t.Errorf("listed image: status %d, want 403 (expired)", status)
	}
	if status := image("/articles/" + a.ID); status != http.StatusOK {
		t.Errorf("image of the article read again: status %d, want 200", status)
	}
}
