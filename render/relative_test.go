package render

import "testing"

func TestRelativizeLinks(t *testing.T) {
	const base = "https://help.example.com/"
	for _, c := range []struct{ dir, in, want string }{
		{"/en/articles/1-a", `<a href="/en/articles/2-b/">`, `<a href="../2-b/index.html">`},
		{"/en/articles/1-a", `<a href="/en/articles/1-a/#step">`, `<a href="index.html#step">`},
		{"/en", `<form action="/en/search/" method="get">`, `<form action="search/index.html" method="get">`},
		{"/en/collections/3-c", `<link href="/css/site.min.1.css">`, `<link href="../../../css/site.min.1.css">`},
		{"/", `<a href="/fr/">`, `<a href="fr/index.html">`},
		{"/fr/search", `<a href="https://help.example.com/fr/?q=x">`, `<a href="../index.html?q=x">`},
		{"/en/articles/1-a", `<html data-root="/">`, `<html data-root="../../../">`},
		{"/", `<html data-root="/">`, `<html data-root="./">`},
		{"/en/articles/1-a", `<img src="/images/x.png" alt="">`, `<img src="../../../images/x.png" alt="">`},
		// Left alone: other sites, fragments, protocol-relative and data URLs.
		{"/en", `<a href="https://vimeo.com/1">`, `<a href="https://vimeo.com/1">`},
		{"/en", `<a href="#main">`, `<a href="#main">`},
		{"/en", `<a href="//cdn.example/x">`, `<a href="//cdn.example/x">`},
		{"/en", `<link rel="icon" href="data:,">`, `<link rel="icon" href="data:,">`},
	} {
		if got := string(relativizeLinks([]byte(c.in), c.dir, base)); got != c.want {
			t.Errorf("in %s, %s\n got %s\nwant %s", c.dir, c.in, got, c.want)
		}
	}
}

func TestBundlePath(t *testing.T) {
	for in, want := range map[string]string{
		"/en/articles/1-a/": "en/articles/1-a/index.html",
		"/pt-br/":           "pt-br/index.html",
		"":                  "",
	} {
		if got := BundlePath(in); got != want {
			t.Errorf("BundlePath(%q) = %q, want %q", in, got, want)
		}
	}
}
