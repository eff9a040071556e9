package deploy

import (
	"bytes"
	"mime"
	"path"
	"regexp"
	"strings"
)

// A phase is when in a publish an object goes up. Objects of one phase go
// up together, concurrently; a phase starts only once the one before it
// is wholly done, so a visitor never gets a page whose stylesheet, image
// or link target is not there yet.
type phase int

const (
	// phaseAssets are stylesheets, scripts, images and fonts: what pages use.
	phaseAssets phase = iota
	// phaseNewPages are pages the target does not have yet. Only pages of
	// later phases link to them, so they are unreachable until those land.
	phaseNewPages
	// phasePages are the pages the target has, changed: among them the
	// home and collection pages that link to new pages.
	phasePages
	// phaseIndexes are sitemaps, search indexes, feeds and redirect
	// lists, which name pages that must already be there.
	phaseIndexes
	phaseCount
)

var phaseNames = [phaseCount]string{"assets", "new pages", "pages", "indexes"}

func (p phase) String() string { return phaseNames[p] }

// classify returns the phase of the site file at key (a slash path), new
// when the target does not have it yet.
func classify(key string, isNew bool) phase {
	switch {
	case isIndex(key):
		return phaseIndexes
	case path.Ext(key) == ".html":
		if isNew {
			return phaseNewPages
		}
		return phasePages
	default:
		return phaseAssets
	}
}

// isIndex reports whether key is a file that lists the site's pages.
func isIndex(key string) bool {
	base := path.Base(key)
	switch {
	case strings.HasPrefix(key, "search/"), strings.Contains(key, "/search/"):
		return true
	case strings.HasPrefix(base, "sitemap") && path.Ext(base) == ".xml",
		base == "index.xml", base == "robots.txt",
		base == "_redirects", base == "redirects.map":
		return true
	}
	return false
}

// types are the content types of the files a site has, fixed here rather
// than read from the machine's MIME tables, which vary (text/javascript
// or application/javascript), so that hashes and headers stay stable.
var types = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".xml":   "application/xml",
	".txt":   "text/plain; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".avif":  "image/avif",
	".ico":   "image/x-icon",
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".wasm":  "application/wasm",
	".pdf":   "application/pdf",
	".map":   "application/json",
	".gz":    "application/gzip",
	".zip":   "application/zip",
}

// contentType returns the Content-Type of the file at key.
func contentType(key string) string {
	ext := strings.ToLower(path.Ext(key))
	if t, ok := types[ext]; ok {
		return t
	}
	if ext == "" || path.Base(key) == "redirects.map" {
		return "text/plain; charset=utf-8" // _redirects, redirects.map
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether a file of content type ct gains from gzip.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json") ||
		strings.HasPrefix(ct, "application/xml") || ct == "image/svg+xml"
}

// fingerprinted matches file names that carry a hash of their content,
// as Hugo's fingerprint (site.min.<sha256>.css) and helpsite's images
// (<sha>.webp) are named: such a name never gets other bytes.
var fingerprinted = regexp.MustCompile(`(^|[._-])[0-9a-f]{16,}(\.|$)`)

// CachePolicy is the Cache-Control of each kind of object.
type CachePolicy struct {
	// Immutable is for fingerprinted files, whose bytes never change.
	Immutable string
	// Revalidate is for pages, search indexes, sitemaps and redirect
	// lists, which change in place and are purged from the CDN when they do.
	Revalidate string
	// Other is for the rest: assets named without a fingerprint.
	Other string
}

// DefaultCachePolicy is the policy of Options with none.
var DefaultCachePolicy = CachePolicy{
	Immutable:  "public, max-age=31536000, immutable",
	Revalidate: "public, max-age=60, must-revalidate",
	Other:      "public, max-age=3600",
}

// withDefaults fills the unset fields of c from DefaultCachePolicy.
func (c CachePolicy) withDefaults() CachePolicy {
	if c.Immutable == "" {
		c.Immutable = DefaultCachePolicy.Immutable
	}
	if c.Revalidate == "" {
		c.Revalidate = DefaultCachePolicy.Revalidate
	}
	if c.Other == "" {
		c.Other = DefaultCachePolicy.Other
	}
	return c
}

// cacheControl returns the Cache-Control of the file at key.
func (c CachePolicy) cacheControl(key string) string {
	switch {
	case path.Ext(key) == ".html", isIndex(key), path.Ext(key) == ".xml", path.Ext(key) == ".json":
		return c.Revalidate
	case fingerprinted.MatchString(path.Base(key)):
		return c.Immutable
	default:
		return c.Other
	}
}

// refreshMarker begins the meta refresh of helpsite's redirect pages
// (render's redirect template).
var refreshMarker = []byte(`<meta http-equiv="refresh" content="0; url=`)

// redirectTarget returns where the redirect page data sends browsers, ""
// when data is not a redirect page. Stores with website redirects (S3's
// x-amz-website-redirect-location) answer such a page with a real 301.
func redirectTarget(data []byte) string {
	if len(data) > 4096 {
		return "" // redirect pages are small; articles are not scanned
	}
	i := bytes.Index(data, refreshMarker)
	if i < 0 {
		return ""
	}
	rest := data[i+len(refreshMarker):]
	j := bytes.IndexByte(rest, '"')
	if j <= 0 {
		return ""
	}
	target := htmlUnescape(string(rest[:j]))
	if !strings.HasPrefix(target, "/") && !strings.HasPrefix(target, "https://") && !strings.HasPrefix(target, "http://") {
		return ""
	}
	return target
}

// htmlUnescape undoes the escaping html/template applies in an attribute.
func htmlUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&#43;", "+", "&#39;", "'", "&#34;", `"`, "&lt;", "<", "&gt;", ">").Replace(s)
}
