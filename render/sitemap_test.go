package render

import (
	"bytes"
	"testing"
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
		if got := set.encode(); !bytes.Equal(got, want) {
			t.Errorf("encode wrote\n%s\nencoding/xml\n%s", got, want)
		}
	}
}
