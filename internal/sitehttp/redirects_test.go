package sitehttp

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRedirectRules serves a _redirects file with a rule of each status,
// a splat and placeholders, and checks that each is answered as written.
func TestRedirectRules(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"en/index.html":                    "home",
		"en/articles/1-current/index.html": "article one",
		"en/gone.html":                     "this page is gone",
		"pt-BR/articles/2-ola/index.html":  "olá",
		"ja/articles/3-パスワード/index.html":   "パスワード",
		"_redirects": `# every form
/ /en/ 302
/moved /en/ 301
/found /en/ 302
/see-other /en/ 303
/temporary /en/ 307
/permanent /en/ 308
/forced /en/ 301!
/removed /en/gone.html 410
/removed-plain /nowhere 410
/missing /en/gone.html 404
/rewritten /en/articles/1-current/ 200
/rewritten-ja /ja/articles/3-%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89/ 200
/escape /../../etc/passwd 200
/en/articles/1 /en/articles/1-current/ 301
/en/collections/5 /en/collections/5-basics/ 301
/en/articles/8 /en/articles/8-gone/ 301
/self /self/ 301
/en/articles/1-current/ /en/ 301
/ja/articles/3 /ja/articles/3-%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89/ 301
/pt-br/* /pt-BR/:splat 301
/blog/:year/:slug /en/:slug/:year 308
/docs/* https://docs.example.com/:splat 302
/external https://example.com/x?a=1 301
/bad-status /en/ 299
/conditional id=:id /en/:id 301
/country /en/ 302 Country=fr
`,
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path     string
		status   int
		location string
		body     string
	}{
		{"/", 302, "/en/", ""},
		{"/moved", 301, "/en/", ""},
		{"/moved/", 301, "/en/", ""}, // a trailing slash does not matter
		{"/moved?utm=x", 301, "/en/?utm=x", ""},
		{"/found", 302, "/en/", ""},
		{"/see-other", 303, "/en/", ""},
		{"/temporary", 307, "/en/", ""},
		{"/permanent", 308, "/en/", ""},
		{"/forced", 301, "/en/", ""},
		{"/removed", 410, "", "this page is gone"},
		{"/removed-plain", 410, "", "Gone\n"},
		{"/missing", 404, "", "this page is gone"},
		{"/rewritten", 200, "", "article one"},
		{"/rewritten-ja", 200, "", "パスワード"},
		{"/escape", 404, "", ""},
		// Splats and placeholders.
		{"/pt-br/articles/2-ola/", 301, "/pt-BR/articles/2-ola/", ""},
		{"/pt-br/articles/2-ola", 301, "/pt-BR/articles/2-ola", ""},
		{"/pt-br/", 301, "/pt-BR/", ""},
		{"/pt-br", 301, "/pt-BR/", ""},
		{"/pt-BR/articles/2-ola/", 200, "", "olá"}, // matching is case-sensitive
		{"/blog/2024/hello", 308, "/en/hello/2024", ""},
		{"/blog/2024", 404, "", ""},
		{"/docs/a/b", 302, "https://docs.example.com/a/b", ""},
		{"/external?utm=x", 301, "https://example.com/x?a=1", ""},
		// A rule before a file: the first matching rule wins.
		{"/en/articles/1-current/", 301, "/en/", ""},
		// Intercom's URLs of a page by id, whatever the slug.
		{"/en/articles/1-an-old-title", 301, "/en/articles/1-current/", ""},
		{"/en/articles/1", 301, "/en/articles/1-current/", ""},
		{"/ja/articles/3-%E5%8F%A4%E3%81%84", 301, "/ja/articles/3-%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89/", ""},
		{"/ja/articles/3-パスワード/", 200, "", "パスワード"},
		{"/en/articles/9-unknown", 404, "", ""},
		{"/en/collections/5-old-name/", 301, "/en/collections/5-basics/", ""},
		// A rule never redirects a URL to itself.
		{"/en/articles/8-gone/", 404, "", ""},
		{"/self", 301, "/self/", ""},
		{"/self/", 404, "", ""},
		// Rules helpsite cannot honour are skipped, not half applied.
		{"/bad-status", 404, "", ""},
		{"/conditional", 404, "", ""},
		{"/country", 404, "", ""},
	} {
		w := get(s, c.path)
		if w.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.path, w.Code, c.status)
		}
		if loc := w.Header().Get("Location"); loc != c.location {
			t.Errorf("%s: Location %q, want %q", c.path, loc, c.location)
		}
		if c.body != "" && w.Body.String() != c.body {
			t.Errorf("%s: body %q, want %q", c.path, w.Body.String(), c.body)
		}
	}
	// An error answer is not cached.
	r := get(s, "/removed")
	if cc := r.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("410: Cache-Control %q, want no-store", cc)
	}
}
