package render

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// The sitemap's own encoder writes what encoding/xml would.
func TestSitemapEncodeMatchesEncodingXML(t *testing.T) {
	sets := []urlset{
		{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"},
		{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml", URLs: []sitemapURL{
			{Loc: "https://help.example.com/en/"},
			{Loc: "https://help.example.com/en/articles/1-a?b=c&d=<e>", Lastmod: "2026-01-02T03:04:05Z", Alternates: []sitemapXLink{
				{Rel: "alternate", Hreflang: "en", Href: `https://help.example.com/en/articles/1-"quoted"'s`},
				{Rel: "alternate", Hreflang: "pt-BR", Href: "https://help.example.com/pt-BR/articles/1-tab\there\nnewline\rcr"},
				{Rel: "alternate", Hreflang: "ja", Href: "https://help.example.com/ja/articles/1-日本語-\xff-invalid"},
				{Rel: "alternate", Hreflang: "x", Href: "control\x01\x7f\ufffd\uffff\U0001F600"},
			}},
		}},
	}
	for _, set := range sets {
		want, err := encodeXML(set)
		if err != nil {
			t.Fatal(err)
		}
		if got := set.encode(0); !bytes.Equal(got, want) {
			t.Errorf("encode wrote\n%s\nencoding/xml\n%s", got, want)
		}
	}
}

// A locale of more pages than a sitemap lists has several sitemaps, of
// about the same size, which list each page once; the locale's
// sitemap.xml is their index, and the root index lists them all.
func TestSitemapsSplitLargeLocales(t *testing.T) {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 200, Locales: []string{"en", "fr"}, Seed: 3})
	out := filepath.Join(t.TempDir(), "site")
	opts := Options{BaseURL: "https://help.example.com/", Logger: slog.New(slog.DiscardHandler)}
	if err := buildWith(site, out, opts, 30); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	loc := regexp.MustCompile(`<loc>https://help\.example\.com(/[^<]*)</loc>`)
	locs := func(name string) []string {
		var paths []string
		for _, m := range loc.FindAllStringSubmatch(string(files[name]), -1) {
			paths = append(paths, m[1])
		}
		return paths
	}
	var all []string
	for _, l := range []string{"en", "fr"} {
		sitemaps := locs(l + "/sitemap.xml")
		if len(sitemaps) != 8 || !bytes.Contains(files[l+"/sitemap.xml"], []byte("<sitemapindex")) {
			t.Fatalf("%s/sitemap.xml lists %d sitemaps, not 8 in an index:\n%s", l, len(sitemaps), files[l+"/sitemap.xml"])
		}
		all = append(all, sitemaps...)
		seen := map[string]string{}
		for _, sm := range sitemaps {
			pages := locs(strings.TrimPrefix(sm, "/"))
			if len(pages) < 10 || len(pages) > 50 {
				t.Errorf("%s lists %d pages, far from 30", sm, len(pages))
			}
			for _, p := range pages {
				if other, ok := seen[p]; ok {
					t.Errorf("%s is in %s and %s", p, other, sm)
				}
				seen[p] = sm
				if _, ok := files[strings.TrimPrefix(p, "/")+"index.html"]; !ok {
					t.Errorf("%s lists %s, which is no page", sm, p)
				}
			}
		}
		for name := range files {
			if page, ok := strings.CutSuffix(name, "/index.html"); ok && strings.HasPrefix(name, l+"/") &&
				(strings.Contains(name, "/articles/") || strings.Contains(name, "/collections/")) &&
				!bytes.Contains(files[name], []byte(`http-equiv="refresh"`)) && seen["/"+page+"/"] == "" {
				t.Errorf("page %s is in no sitemap", page)
			}
		}
	}
	if got := locs("sitemap.xml"); !slices.Equal(got, all) {
		t.Errorf("the root index lists %v, want the locales' sitemaps %v", got, all)
	}
}
