// Package sitehttp serves a published site directory over HTTP the way a
// good static host does: clean URLs, the site's 404 page, the rules of its
// _redirects file with their statuses, splats and placeholders, Intercom's
// article and collection URLs resolved by id, strong ETags, Last-Modified,
// cache headers, precompressed gzip and the site's Content-Security-Policy
// (internal/csp) as a header.
package sitehttp

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/helpsite/helpsite/internal/csp"
)

// Site serves one published directory. Publish a new directory by making a
// new Site; each caches what it learns about its own files.
type Site struct {
	dir       string
	redirects *redirects
	etags     sync.Map // path -> ETag
	// policy is the Content-Security-Policy header of every file.
	policy string
}

// Open returns a Site for dir, reading its _redirects file if any (see
// redirects.go for what it honours), and its _headers file for the
// Content-Security-Policy the site was built with (see readPolicy).
func Open(dir string) (*Site, error) {
	policy, err := readPolicy(dir)
	if err != nil {
		return nil, fmt.Errorf("site %s: %w", dir, err)
	}
	s := &Site{dir: dir, redirects: &redirects{}, policy: policy}
	f, err := os.Open(filepath.Join(dir, "_redirects"))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if s.redirects, err = parseRedirects(f); err != nil {
		return nil, fmt.Errorf("site %s: %w", dir, err)
	}
	return s, nil
}

// Dir is the directory the Site serves.
func (s *Site) Dir() string { return s.dir }

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
		p += "/"
	}
	if ru, to, ok := s.redirects.match(p); ok && !loops(ru, to, p) {
		s.serveRule(w, r, ru, to)
		return
	}
	name, ok := s.resolve(p)
	if !ok {
		if ru, ok := s.redirects.byID(p); ok && !loops(ru, ru.to, p) {
			s.serveRule(w, r, ru, ru.to)
			return
		}
		if !strings.HasSuffix(p, "/") {
			if _, dirOK := s.resolve(p + "/"); dirOK {
				http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
				return
			}
		}
		s.notFound(w, r, p)
		return
	}
	s.serveFile(w, r, name, http.StatusOK)
}

// resolve maps a URL path to a regular file: /a/ is /a/index.html.
func (s *Site) resolve(p string) (string, bool) {
	name := p
	if strings.HasSuffix(p, "/") {
		name += "index.html"
	}
	if strings.Contains(name, "\x00") {
		return "", false
	}
	info, err := os.Stat(filepath.Join(s.dir, filepath.FromSlash(name)))
	if err != nil || !info.Mode().IsRegular() || strings.HasPrefix(path.Base(name), ".") {
		return "", false
	}
	return name, true
}

// notFound serves the locale's 404 page, or the site's, with status 404.
func (s *Site) notFound(w http.ResponseWriter, r *http.Request, p string) {
	if locale, _, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/"); ok {
		if name, ok := s.resolve("/" + locale + "/404.html"); ok {
			s.serveFile(w, r, name, http.StatusNotFound)
			return
		}
	}
	if name, ok := s.resolve("/404.html"); ok {
		s.serveFile(w, r, name, http.StatusNotFound)
		return
	}
	http.NotFound(w, r)
}

func (s *Site) serveFile(w http.ResponseWriter, r *http.Request, name string, status int) {
	full := filepath.Join(s.dir, filepath.FromSlash(name))
	h := w.Header()
	ctype := mime.TypeByExtension(path.Ext(name))
	switch path.Ext(name) {
	case ".md": // the Markdown twins of articles, which systems may not know
		ctype = "text/markdown; charset=utf-8"
	case ".txt":
		ctype = "text/plain; charset=utf-8"
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set(csp.HeaderName, s.policy)
	h.Set("Cache-Control", cacheControl(name))
	served := full
	onTheFly := false
	if compressible(name) {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			if _, err := os.Stat(full + ".gz"); err == nil {
				served = full + ".gz"
				h.Set("Content-Encoding", "gzip")
			} else {
				onTheFly = true
			}
		}
	}
	f, err := os.Open(served)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if status != http.StatusOK {
		// Error pages: no conditional requests, no caching.
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			io.Copy(w, f)
		}
		return
	}
	tag, err := s.etag(served, f)
	if onTheFly && info.Size() >= minGzip && r.Header.Get("Range") == "" {
		if err == nil {
			h.Set("ETag", strings.TrimSuffix(tag, `"`)+`-gzip"`)
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		w = gw
	} else if err == nil {
		h.Set("ETag", tag)
	}
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// etag is a strong validator from the file's content, computed once.
func (s *Site) etag(full string, f *os.File) (string, error) {
	if t, ok := s.etags.Load(full); ok {
		return t.(string), nil
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	t := `"` + hex.EncodeToString(sum.Sum(nil)[:12]) + `"`
	s.etags.Store(full, t)
	return t, nil
}

// cacheControl lets fingerprinted assets be cached for good and makes
// everything else revalidate, so a publish shows at once.
func cacheControl(name string) string {
	if strings.HasPrefix(name, "/images/") || strings.Contains(path.Base(name), ".min.") {
		return "public, max-age=31536000, immutable"
	}
	return "public, max-age=0, must-revalidate"
}

// compressible reports whether a file is text worth sending gzipped: not
// redirects.map, which is for nginx's configuration, not for browsers
// (".map" is for source maps), and a large file that changes with every
// article, which precompressing would cost in each incremental publish.
func compressible(name string) bool {
	if path.Base(filepath.ToSlash(name)) == "redirects.map" {
		return false
	}
	switch path.Ext(name) {
	case ".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".map":
		return true
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// readPolicy returns the Content-Security-Policy that the _headers file of
// dir gives every URL ("/*"), which render writes with the sources the
// site's configuration adds (Intercom's Messenger, csp_extra); csp.Header
// if there is none.
func readPolicy(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "_headers"))
	if errors.Is(err, fs.ErrNotExist) {
		return csp.Header(), nil
	}
	if err != nil {
		return "", err
	}
	all := false
	for line := range strings.Lines(string(data)) {
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			all = strings.TrimSpace(line) == "/*"
			continue
		}
		name, value, ok := strings.Cut(strings.TrimSpace(line), ":")
		if all && ok && strings.EqualFold(name, csp.HeaderName) {
			return strings.TrimSpace(value), nil
		}
	}
	return csp.Header(), nil
}
