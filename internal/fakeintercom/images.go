package fakeintercom

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

const (
	// cdnOrigin is where canonical bodies point images, as Intercom does.
	cdnOrigin = "https://downloads.intercomcdn.com/"
	// cdnPrefix is where the fake serves them.
	cdnPrefix = "/cdn/"
	// maxImageSide bounds the images the fake draws.
	maxImageSide = 4096
)

// imageURL finds canonical image URLs: the CDN origin, then a path up to
// the first character that cannot be in one.
var imageURL = regexp.MustCompile(regexp.QuoteMeta(cdnOrigin) + `(i/o/[^\s"'<>?#&]+)`)

// body rewrites the canonical image URLs of an HTML body to signed,
// expiring URLs on the fake, escaped for an HTML attribute as Intercom's
// editor writes them.
func (vw *view) body(html string) string {
	return signImages(html, vw.base, vw.expires, vw.s.opts.ImageSecret)
}

func signImages(html, base string, expires int64, secret []byte) string {
	if base == "" || !strings.Contains(html, cdnOrigin) {
		return html
	}
	exp := strconv.FormatInt(expires, 10)
	return imageURL.ReplaceAllStringFunc(html, func(u string) string {
		path := strings.TrimPrefix(u, cdnOrigin)
		return base + cdnPrefix + path + "?expires=" + exp + "&amp;signature=" + imageSignature(secret, path, exp) +
			"&amp;req=" + strconv.FormatUint(uint64(hash("req", path)), 16)
	})
}

// imageSignature is the hex HMAC-SHA256 of an image path and expiry.
func imageSignature(secret []byte, path, expires string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(path))
	mac.Write([]byte{'\n'})
	mac.Write([]byte(expires))
	return hex.EncodeToString(mac.Sum(nil))
}

// signedImageURL finds the image URLs the fake served, on any host.
var signedImageURL = regexp.MustCompile(`https?://[^/\s"'<>]+` + regexp.QuoteMeta(cdnPrefix) + `(i/o/[^\s"'<>?#]+)(\?[^\s"'<>#]*)?`)

// Unsign maps the image URLs the fake served in body back to their
// canonical CDN form: it drops the host, the /cdn/ prefix and the query.
func Unsign(body string) string {
	return signedImageURL.ReplaceAllString(body, cdnOrigin+"$1")
}

// serveImage serves GET /cdn/<path> like a CDN serving signed URLs: a PNG
// of the size in the file name if the signature is valid and unexpired,
// else 403 with an XML error.
func (s *Server) serveImage(w http.ResponseWriter, r *http.Request, path string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		cdnError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
		return
	}
	q := r.URL.Query()
	exp := q.Get("expires")
	expires, err := strconv.ParseInt(exp, 10, 64)
	switch {
	case err != nil || !hmac.Equal([]byte(q.Get("signature")), []byte(imageSignature(s.opts.ImageSecret, path, exp))):
		cdnError(w, http.StatusForbidden, "AccessDenied", "Access denied: invalid signature.")
		return
	case s.opts.Now().Unix() > expires:
		cdnError(w, http.StatusForbidden, "AccessDenied", "Request has expired.")
		return
	}
	img, ok := s.images.png(path)
	if !ok {
		cdnError(w, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(img)))
	h.Set("Cache-Control", "public, max-age=31536000")
	w.Write(img) //nolint:errcheck // the client went away
}

func cdnError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<Error><Code>" + code + "</Code><Message>" + message + "</Message></Error>\n")) //nolint:errcheck // the client went away
}

// imageSize reads the WxH at the end of an image path's name.
var imageSize = regexp.MustCompile(`-(\d{1,4})x(\d{1,4})\.png$`)

// imageCache holds the PNGs drawn so far, keyed by size and palette so that
// it stays small however many images a site has.
type imageCache struct {
	mu   sync.Mutex
	pngs map[[3]int][]byte
}

// palettes are the colours of the drawn images: background and band.
var palettes = [][2]color.RGBA{
	{{0xe3, 0xe7, 0xfa, 0xff}, {0x33, 0x4b, 0xfa, 0xff}},
	{{0xfe, 0xed, 0xaf, 0xff}, {0xfb, 0xc9, 0x16, 0xff}},
	{{0xd7, 0xef, 0xdc, 0xff}, {0x0f, 0x9d, 0x58, 0xff}},
	{{0xfe, 0xd9, 0xdb, 0xff}, {0xe0, 0x3e, 0x52, 0xff}},
	{{0xe8, 0xe8, 0xe8, 0xff}, {0x4a, 0x4a, 0x4a, 0xff}},
}

// png returns the image for path, drawn deterministically from its name.
func (c *imageCache) png(path string) ([]byte, bool) {
	m := imageSize.FindStringSubmatch(path)
	if m == nil || !strings.HasPrefix(path, "i/o/") {
		return nil, false
	}
	width, _ := strconv.Atoi(m[1])
	height, _ := strconv.Atoi(m[2])
	if width < 1 || height < 1 || width > maxImageSide || height > maxImageSide {
		return nil, false
	}
	key := [3]int{width, height, int(hash("image", path) % uint32(len(palettes)))}
	c.mu.Lock()
	defer c.mu.Unlock()
	if b, ok := c.pngs[key]; ok {
		return b, true
	}
	b := drawPNG(width, height, palettes[key[2]])
	if c.pngs == nil {
		c.pngs = make(map[[3]int][]byte)
	}
	c.pngs[key] = b
	return b, true
}

// drawPNG draws a framed band across a plain background: small to encode
// and to store, and visibly an image.
func drawPNG(width, height int, p [2]color.RGBA) []byte {
	img := image.NewPaletted(image.Rect(0, 0, width, height), color.Palette{p[0], p[1]})
	for y := range height {
		for x := range width {
			edge := x < 2 || y < 2 || x >= width-2 || y >= height-2
			band := y >= height*2/5 && y < height*3/5
			if edge || band {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		panic("fakeintercom: encoding a PNG in memory: " + err.Error())
	}
	return buf.Bytes()
}
