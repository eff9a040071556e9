package articlehtml

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// imageSource returns the clean, absolute or relative src of an <img>, or
// "" if n is not an image or has no safe src. A protocol-relative src is
// taken as https.
func imageSource(n *html.Node) string {
	if n.DataAtom != atom.Img || n.Namespace != "" {
		return ""
	}
	raw, ok := getAttr(n, "src")
	if !ok {
		return ""
	}
	src, ok := cleanURL(raw, imageSchemes)
	if !ok {
		return ""
	}
	if strings.HasPrefix(src, "//") {
		src = "https:" + src
	}
	return src
}

// resolveImage asks Options.ResolveImage for the local copy of src; without
// a resolver the image stays where it is.
func (rw *rewrite) resolveImage(src string) (Image, bool) {
	if rw.opts.ResolveImage == nil {
		return Image{Src: src}, true
	}
	rw.images.add(src)
	img, ok := rw.opts.ResolveImage(src)
	if !ok {
		return Image{}, false
	}
	img.Src, ok = cleanURL(img.Src, imageSchemes)
	return img, ok
}

// image rewrites an <img> to its local copy, sized and lazily loaded.
func (rw *rewrite) image(n *html.Node) {
	src := imageSource(n)
	if src == "" {
		if raw, ok := getAttr(n, "src"); ok {
			rw.warn(WarnImage, "removed image with unsupported source %q", raw)
		}
		missingImage(n)
		return
	}
	img, ok := rw.resolveImage(src)
	if !ok {
		rw.warn(WarnImage, "%s", UnavailableImage(src))
		missingImage(n)
		return
	}
	attrs := append([]html.Attribute{{Key: "src", Val: img.Src}}, keepAttrs(n, "src")...)
	if _, ok := getAttr(n, "alt"); !ok {
		// Screen readers read the file name of an image without alt
		// text; alt="" makes them skip it, as decoration, until an
		// editor describes it in Intercom.
		rw.warn(WarnContent, "image without alt text: %s: describe it in Intercom, or it is treated as decoration", withoutQuery(src))
		attrs = append(attrs, html.Attribute{Key: "alt", Val: ""})
	}
	w, h := displaySize(n, img)
	if w > 0 {
		attrs = append(attrs, html.Attribute{Key: "width", Val: strconv.Itoa(w)})
	}
	if h > 0 {
		attrs = append(attrs, html.Attribute{Key: "height", Val: strconv.Itoa(h)})
	}
	n.Attr = append(attrs, html.Attribute{Key: "loading", Val: "lazy"}, html.Attribute{Key: "decoding", Val: "async"})
}

// UnavailableImage is the warning about an image src that ResolveImage
// declined, which the resolver may replace with one that says why.
func UnavailableImage(src string) string {
	return "image unavailable: " + withoutQuery(src)
}

// missingImage replaces an image that cannot be shown by its alt text.
func missingImage(n *html.Node) {
	alt, _ := getAttr(n, "alt")
	alt = strings.Join(strings.Fields(alt), " ")
	if alt == "" {
		n.Parent.RemoveChild(n)
		return
	}
	n.Data, n.DataAtom = "span", atom.Span
	n.Attr = []html.Attribute{{Key: "class", Val: classMissingImg}}
	n.AppendChild(&html.Node{Type: html.TextNode, Data: alt})
}

// withoutQuery drops the query of a URL, for messages: an image's query is
// an expiring signature.
func withoutQuery(s string) string {
	s, _, _ = strings.Cut(s, "?")
	return s
}

// maxPixels bounds the width and height written.
const maxPixels = 99999

// displaySize returns the width and height to write on an image: the size
// the editor gave it, completed from the image's aspect ratio, or else its
// intrinsic size.
func displaySize(n *html.Node, img Image) (w, h int) {
	bw, bh := dimension(n, "width"), dimension(n, "height")
	iw, ih := img.Width, img.Height
	switch {
	case iw <= 0 || ih <= 0 || iw > maxPixels || ih > maxPixels:
		return bw, bh
	case bw > 0:
		return bw, max(1, min(maxPixels, (bw*ih+iw/2)/iw))
	case bh > 0:
		return max(1, min(maxPixels, (bh*iw+ih/2)/ih)), bh
	}
	return iw, ih
}

// dimension returns n's attribute key as a number of pixels ("640" or
// "640px"), or 0.
func dimension(n *html.Node, key string) int {
	v, _ := getAttr(n, key)
	px, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), "px"))
	if err != nil || px <= 0 || px > maxPixels {
		return 0
	}
	return px
}

// videoProvider describes the embed URLs of a video host.
type videoProvider struct {
	name  string
	hosts []string
	path  string // before the video's id
	embed string // the embed URL before the id
	page  string // the video's page before the id
}

var videoProviders = []videoProvider{
	{"YouTube", []string{"www.youtube.com", "youtube.com", "m.youtube.com"}, "/embed/", "https://www.youtube.com/embed/", "https://www.youtube.com/watch?v="},
	{"YouTube", []string{"www.youtube-nocookie.com", "youtube-nocookie.com"}, "/embed/", "https://www.youtube-nocookie.com/embed/", "https://www.youtube.com/watch?v="},
	{"Vimeo", []string{"player.vimeo.com"}, "/video/", "https://player.vimeo.com/video/", "https://vimeo.com/"},
	{"Loom", []string{"www.loom.com", "loom.com"}, "/embed/", "https://www.loom.com/embed/", "https://www.loom.com/share/"},
	{"Loom", []string{"www.loom.com", "loom.com"}, "/share/", "https://www.loom.com/embed/", "https://www.loom.com/share/"},
	{"Wistia", []string{"fast.wistia.net", "fast.wistia.com"}, "/embed/iframe/", "https://fast.wistia.net/embed/iframe/", "https://fast.wistia.net/embed/iframe/"},
}

// VideoEmbeds returns the URL prefixes of the video players that article
// bodies may embed in an iframe, each once: the frames a page's
// Content-Security-Policy must allow.
func VideoEmbeds() []string {
	var embeds []string
	for _, p := range videoProviders {
		if !slices.Contains(embeds, p.embed) {
			embeds = append(embeds, p.embed)
		}
	}
	return embeds
}

var videoID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// videoEmbed matches the iframe sources parseVideo returns.
var videoEmbed = func() *regexp.Regexp {
	var prefixes []string
	for _, p := range videoProviders {
		prefixes = append(prefixes, p.embed)
	}
	return regexp.MustCompile(`^` + alternation(prefixes...) + `[A-Za-z0-9_-]{1,64}(?:\?[A-Za-z0-9_.~%&=+-]*)?$`)
}()

// video is an embedded video.
type video struct {
	provider    string
	embed, page string
}

// parseVideo recognizes the embed URL of a video on an allowed host and
// returns it in canonical https form, with its query re-encoded.
func parseVideo(raw string) (video, bool) {
	src, ok := cleanURL(raw, imageSchemes)
	if !ok {
		return video{}, false
	}
	u, err := url.Parse(src)
	if err != nil || u.Port() != "" || u.User != nil {
		return video{}, false
	}
	host := strings.ToLower(u.Hostname())
	for _, p := range videoProviders {
		id, ok := strings.CutPrefix(u.Path, p.path)
		id = strings.TrimSuffix(id, "/")
		if !ok || !slices.Contains(p.hosts, host) || !videoID.MatchString(id) {
			continue
		}
		v := video{provider: p.name, embed: p.embed + id, page: p.page + id}
		if q, err := url.ParseQuery(u.RawQuery); err == nil && len(q) > 0 {
			v.embed += "?" + q.Encode()
		}
		return v, true
	}
	return video{}, false
}

// iframe keeps an embedded video from an allowed host, sandboxed and
// lazily loaded, or a link to it with StripVideos; it drops any other
// frame.
func (rw *rewrite) iframe(n *html.Node) {
	raw, _ := getAttr(n, "src")
	v, ok := parseVideo(raw)
	if !ok {
		rw.warn(WarnContent, "removed embedded frame %q: only YouTube, Vimeo, Loom and Wistia videos are kept", raw)
		n.Parent.RemoveChild(n)
		return
	}
	title, _ := getAttr(n, "title")
	if title = strings.Join(strings.Fields(title), " "); title == "" {
		title = v.provider + " video"
	}
	if rw.opts.StripVideos {
		a := element("a", "href", v.page, "rel", relExternal, "target", targetExternal)
		a.AppendChild(&html.Node{Type: html.TextNode, Data: title})
		box := element("div", "class", classVideoLink)
		box.AppendChild(a)
		replace(n, box)
		return
	}
	// A facade, not the player: a link to the video that site.js turns
	// into the player's frame when it is clicked, so that a page loads
	// nothing from the video's host until the visitor asks for it. Without
	// JavaScript the link opens the video's page.
	a := element("a", "class", classVideoPlay, "href", v.page, "rel", relExternal, "target", targetExternal,
		"data-embed", v.embed)
	label := element("span", "class", classVideoTitle)
	label.AppendChild(&html.Node{Type: html.TextNode, Data: title})
	a.AppendChild(label)
	if title != v.provider+" video" { // else the title names the provider
		provider := element("span", "class", classVideoProvider)
		provider.AppendChild(&html.Node{Type: html.TextNode, Data: v.provider})
		a.AppendChild(provider)
	}
	box := element("div", "class", classVideo)
	box.AppendChild(a)
	replace(n, box)
}
