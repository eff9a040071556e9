package sitehttp

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func site(t *testing.T) *Site {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":                       "<p>home</p>",
		"404.html":                         "not found",
		"fr/404.html":                      "introuvable",
		"fr/articles/1-bonjour/index.html": "<p>" + strings.Repeat("bonjour ", 400) + "</p>",
		"images/abc123.png":                "png",
		".hidden":                          "secret",
		"_redirects":                       "/fr/articles/1 /fr/articles/1-bonjour/ 301\n# comment\n/old/ /index.html 301\n",
		"redirects.map":                    strings.Repeat("\"/fr/articles/1\" \"/fr/articles/1-bonjour/\";\n", 100),
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	if err := Precompress(dir); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(s *Site, path string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// Precompress leaves out redirects.map, nginx's configuration, which no
// browser asks for, however large.
func TestPrecompressSkipsNginxMap(t *testing.T) {
	s := site(t)
	for name, want := range map[string]bool{"fr/articles/1-bonjour/index.html": true, "redirects.map": false} {
		if _, err := os.Stat(filepath.Join(s.dir, name+".gz")); (err == nil) != want {
			t.Errorf("%s.gz exists: %v, want %v", name, err == nil, want)
		}
	}
}

func TestServe(t *testing.T) {
	s := site(t)
	cases := []struct {
		path, status, body, location string
	}{
		{"/", "200", "<p>home</p>", ""},
		{"/fr/articles/1-bonjour", "301", "", "/fr/articles/1-bonjour/"},
		{"/fr/articles/1", "301", "", "/fr/articles/1-bonjour/"},
		{"/old", "301", "", "/index.html"},
		{"/fr/nope/", "404", "introuvable", ""},
		{"/nope", "404", "not found", ""},
		{"/.hidden", "404", "not found", ""},
		{"/../../etc/passwd", "404", "not found", ""},
	}
	for _, c := range cases {
		w := get(s, c.path)
		if got := w.Result().Status[:3]; got != c.status {
			t.Errorf("%s: status %s, want %s", c.path, got, c.status)
		}
		if c.body != "" && w.Body.String() != c.body {
			t.Errorf("%s: body %q, want %q", c.path, w.Body.String(), c.body)
		}
		if loc := w.Header().Get("Location"); loc != c.location {
			t.Errorf("%s: Location %q, want %q", c.path, loc, c.location)
		}
	}
}

func TestHeaders(t *testing.T) {
	s := site(t)
	w := get(s, "/fr/articles/1-bonjour/")
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	etag := w.Header().Get("ETag")
	if etag == "" || w.Header().Get("Last-Modified") == "" || w.Header().Get("Cache-Control") != "public, max-age=0, must-revalidate" {
		t.Fatalf("headers %v", w.Header())
	}
	if w := get(s, "/fr/articles/1-bonjour/", "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("conditional GET: %d, want 304", w.Code)
	}
	if w := get(s, "/images/abc123.png"); !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("image Cache-Control %q", w.Header().Get("Cache-Control"))
	}
}

func TestGzip(t *testing.T) {
	s := site(t)
	w := get(s, "/fr/articles/1-bonjour/", "Accept-Encoding", "br, gzip")
	if w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("headers %v", w.Header())
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !strings.HasPrefix(string(body), "<p>bonjour") {
		t.Errorf("decompressed body %.20q", body)
	}
	plain := get(s, "/fr/articles/1-bonjour/", "Accept-Encoding", "gzip;q=0")
	if plain.Header().Get("Content-Encoding") != "" || plain.Header().Get("ETag") == w.Header().Get("ETag") {
		t.Errorf("gzip;q=0 got encoding %q; ETags plain %s gzip %s", plain.Header().Get("Content-Encoding"), plain.Header().Get("ETag"), w.Header().Get("ETag"))
	}
}

// TestContentSecurityPolicy checks that pages, their 404 pages and their
// assets carry the policy as a header, with the directives a <meta> cannot
// hold.
func TestContentSecurityPolicy(t *testing.T) {
	s := site(t)
	for _, path := range []string{"/", "/fr/articles/1-bonjour/", "/fr/nope/", "/images/abc123.png"} {
		got := get(s, path, "Accept-Encoding", "gzip").Header().Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'self'", "form-action 'self'"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: Content-Security-Policy %q lacks %q", path, got, want)
			}
		}
	}
}

// A site without precompressed files, as sitegen build writes it, is
// compressed on the fly, with an ETag of its own that still revalidates.
func TestGzipOnTheFly(t *testing.T) {
	dir := t.TempDir()
	page := "<p>" + strings.Repeat("bonjour ", 400) + "</p>"
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := get(s, "/", "Accept-Encoding", "gzip")
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Content-Length") != "" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(zr); string(body) != page || w.Body.Len() >= len(page) {
		t.Errorf("body of %d bytes, %d compressed", len(body), w.Body.Len())
	}
	tag := w.Header().Get("ETag")
	plain := get(s, "/")
	if plain.Header().Get("Content-Encoding") != "" || plain.Header().Get("ETag") == tag || plain.Body.String() != page {
		t.Errorf("without gzip: %v", plain.Header())
	}
	if again := get(s, "/", "Accept-Encoding", "gzip", "If-None-Match", tag); again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		t.Errorf("revalidating the gzip ETag: %d, %d bytes", again.Code, again.Body.Len())
	}
}

// TestPolicyFromHeadersFile checks that a site's _headers file, which
// render writes with the sources the configuration adds, gives the policy
// header, and that Markdown twins and llms.txt are served as text.
func TestPolicyFromHeadersFile(t *testing.T) {
	dir := t.TempDir()
	policy := "default-src 'self'; script-src 'self' https://widget.intercom.io; frame-ancestors 'self'"
	for name, body := range map[string]string{
		"_headers":                       "/*\n  Content-Security-Policy: " + policy + "\n",
		"en/articles/1-hello/index.html": "<p>hello</p>",
		"en/articles/1-hello/index.md":   "# Hello\n",
		"en/llms.txt":                    "# Help\n",
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for path, ctype := range map[string]string{
		"/en/articles/1-hello/":         "text/html; charset=utf-8",
		"/en/articles/1-hello/index.md": "text/markdown; charset=utf-8",
		"/en/llms.txt":                  "text/plain; charset=utf-8",
	} {
		w := get(s, path)
		if got := w.Header().Get("Content-Security-Policy"); got != policy {
			t.Errorf("%s: policy %q, want the _headers one", path, got)
		}
		if got := w.Header().Get("Content-Type"); w.Code != 200 || got != ctype {
			t.Errorf("%s: %d %q, want %q", path, w.Code, got, ctype)
		}
	}
}
