// Package articlehtml turns the HTML of an Intercom article body into HTML
// that is safe to serve on the mirrored site, points only at local pages
// and images, and uses the theme's classes instead of Intercom's.
//
// A Rewriter parses a body with golang.org/x/net/html, rewrites it in one
// pass (links, images, videos, callouts, tables, headings), keeps only the
// elements and attributes Intercom's editor writes, and finally runs a
// bluemonday policy with the same allow-list over the result as a safety
// net. The output depends only on the input and the Options: the same body
// always gives the same bytes.
//
// Classes in the output, for the theme to style:
//
//	div.callout.callout-{info,warning,tip,danger,note}  Intercom's callouts
//	div.table-wrap     a horizontally scrollable box around every table, focusable
//	                   (tabindex=0) so that it scrolls from the keyboard
//	div.video          around an embedded video's facade, a.video-play: a
//	                   link to the video (span.video-title, span.video-provider)
//	                   whose data-embed is the player's URL, for the theme's
//	                   script to load in a frame when it is clicked
//	div.video-link     a link that replaces a video (Options.StripVideos)
//	div.image          Intercom's image container
//	pre[tabindex=0]    a code block, focusable so that it scrolls from the keyboard
//	span.missing-link  the text of a link to a missing or unpublished page
//	span.image-missing the alt text of an image that could not be resolved
package articlehtml

import (
	"fmt"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options say how a Rewriter resolves what a body points at.
type Options struct {
	// ResolveLink maps the href of a link (entity-decoded, with a safe
	// scheme) to the href to write. It returns href itself for a link it
	// does not rewrite, such as one to another site, and ok=false for a link
	// to a missing or unpublished page, whose text is then kept without a
	// link and reported as a warning. A link whose href is rewritten is
	// local; one kept with an absolute http(s) URL is external and opens in
	// a new tab with rel="noopener noreferrer". Nil keeps every link.
	ResolveLink func(href string) (newHref string, ok bool)
	// ResolveImage maps the src of an image, as ImageURLs lists it, to the
	// local copy. With ok=false the image is replaced by its alt text and
	// reported. Nil keeps the remote src.
	ResolveImage func(src string) (Image, bool)
	// StripVideos replaces embedded videos with links to them, for offline
	// bundles.
	StripVideos bool
}

// Image is where an image is served from and its intrinsic size in pixels,
// zero if unknown.
type Image struct {
	Src           string
	Width, Height int
}

// Heading is an entry of an article's table of contents: an h2, h3 or h4
// with text.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Result is a rewritten body.
type Result struct {
	HTML string
	// Headings lists the h2–h4 headings in document order.
	Headings []Heading
	// Text is the body's plain text for search and descriptions: one line
	// per block, spaces collapsed.
	Text string
	// Warnings describe what could not be kept: links to missing pages,
	// unavailable images, unsupported embeds and URLs. Each is reported once.
	Warnings []Warning
	// Links and Images are what Options.ResolveLink and ResolveImage were
	// asked, in order, each once: resolvers that answer the same for them
	// make the same Result of the same body.
	Links, Images []string
}

// A Warning is something of a body that could not be kept as it was.
type Warning struct {
	Kind    WarningKind
	Message string
}

func (w Warning) String() string { return w.Message }

// WarningKind says what a Warning is about.
type WarningKind int

// The kinds of Warning.
const (
	// WarnContent is markup dropped or changed: an unsupported URL or
	// embed, a body that could not be rendered.
	WarnContent WarningKind = iota
	// WarnLink is a link to a missing or unpublished page.
	WarnLink
	// WarnImage is an image that could not be shown.
	WarnImage
)

// A Rewriter rewrites article bodies. It is safe for concurrent use.
type Rewriter struct {
	opts   Options
	policy *bluemonday.Policy
}

// New returns a Rewriter that resolves links and images with opts.
func New(opts Options) *Rewriter {
	return &Rewriter{opts: opts, policy: newPolicy()}
}

// Rewrite rewrites and sanitizes body.
func (r *Rewriter) Rewrite(body string) Result {
	res := r.rewrite(body)
	res.HTML = r.policy.Sanitize(res.HTML)
	return res
}

// rewrite rewrites body without the final sanitizing.
func (r *Rewriter) rewrite(body string) Result {
	root := parse(body)
	rw := &rewrite{
		opts:        &r.opts,
		reservedIDs: map[string]bool{},
		usedIDs:     map[string]bool{},
		nextSuffix:  map[string]int{},
		imageSrcs:   map[string]bool{},
		warned:      map[string]bool{},
	}
	rw.prescan(root)
	rw.children(root)

	var b strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			// Only a malformed tree fails to render; the parser makes none.
			rw.warn(WarnContent, "could not render the body: %v", err)
			return Result{Warnings: rw.warnings}
		}
	}
	return Result{HTML: b.String(), Headings: rw.headings, Text: plainText(root), Warnings: rw.warnings, Links: rw.links.list, Images: rw.images.list}
}

// ImageURLs returns the absolute http(s) URLs of the images body shows, in
// document order without repeats: the images to download before Rewrite,
// keyed as ResolveImage is asked for them.
func ImageURLs(body string) []string {
	var urls []string
	seen := map[string]bool{}
	visit(parse(body), func(n *html.Node) {
		if src := imageSource(n); isRemote(src) && !seen[src] {
			seen[src] = true
			urls = append(urls, src)
		}
	})
	return urls
}

// parse parses body as the content of a <body> and returns a <div> holding
// it.
func parse(body string) *html.Node {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	// Reading from a strings.Reader cannot fail, and neither can parsing.
	nodes, _ := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// visit calls f for every element below root that the rewrite keeps, in
// document order, not descending into dropped elements.
func visit(root *html.Node, f func(*html.Node)) {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || dropped(c) {
			continue
		}
		f(c)
		visit(c, f)
	}
}

// rewrite is the state of one Rewrite.
type rewrite struct {
	opts *Options
	// shift demotes every heading by one level when the body has an h1,
	// which the page's title already is.
	shift       int
	reservedIDs map[string]bool // the valid heading ids the body sets
	usedIDs     map[string]bool // the heading ids written so far
	nextSuffix  map[string]int  // by generated id, the number to try next
	imageSrcs   map[string]bool // the images' sources, to spot links to them
	headings    []Heading
	warnings    []Warning
	warned      map[string]bool
	// links and images are what the resolvers were asked.
	links, images uniqueList
}

// A uniqueList lists strings in the order added, each once.
type uniqueList struct {
	list []string
	seen map[string]bool
}

func (l *uniqueList) add(s string) {
	if l.seen[s] {
		return
	}
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	l.seen[s] = true
	l.list = append(l.list, s)
}

// prescan notes what the rewrite must know before it starts.
func (rw *rewrite) prescan(root *html.Node) {
	visit(root, func(n *html.Node) {
		switch n.DataAtom {
		case atom.H1:
			rw.shift = 1
		case atom.Img:
			if src := imageSource(n); src != "" {
				rw.imageSrcs[src] = true
			}
		}
		if _, ok := headingLevel(n); ok {
			if id, ok := getAttr(n, "id"); ok && validID.MatchString(id) {
				rw.reservedIDs[id] = true
			}
		}
	})
}

func (rw *rewrite) warn(kind WarningKind, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !rw.warned[msg] {
		rw.warned[msg] = true
		rw.warnings = append(rw.warnings, Warning{Kind: kind, Message: msg})
	}
}

// children rewrites the children of n in order. A child may be replaced by
// other nodes; those are taken as rewritten already.
func (rw *rewrite) children(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		rw.node(c)
		c = next
	}
}

func (rw *rewrite) node(n *html.Node) {
	switch {
	case n.Type == html.TextNode:
		return
	case n.Type != html.ElementNode || dropped(n):
		n.Parent.RemoveChild(n)
		return
	}
	rw.children(n)
	if _, ok := headingLevel(n); ok {
		rw.heading(n)
		return
	}
	switch n.DataAtom {
	case atom.A:
		rw.link(n)
	case atom.Img:
		rw.image(n)
	case atom.Iframe:
		rw.iframe(n)
	case atom.Pre:
		// Keyboard users scroll a long line with the arrow keys once
		// the block has focus; the theme names it (partials/article-body.html).
		n.Attr = append(keepAttrs(n), html.Attribute{Key: "tabindex", Val: "0"})
	case atom.Table:
		n.Attr = keepAttrs(n)
		// Focusable, as a code block is, for a table wider than the page.
		wrap(n, element("div", "class", classTableWrap, "tabindex", "0"))
	case atom.Div:
		rw.div(n)
	default:
		if _, ok := attrRules[n.Data]; ok {
			n.Attr = keepAttrs(n)
		} else {
			unwrap(n)
		}
	}
}

// div maps Intercom's block containers to the theme's.
func (rw *rewrite) div(n *html.Node) {
	class, _ := getAttr(n, "class")
	classes := strings.Fields(class)
	switch {
	case slices.Contains(classes, "intercom-interblocks-callout"):
		style, _ := getAttr(n, "style")
		n.Attr = append(keepAttrs(n), html.Attribute{Key: "class", Val: calloutClass(style)})
	case slices.Contains(classes, "intercom-interblocks-table-container"),
		slices.Contains(classes, "intercom-h2b-video"):
		unwrap(n) // the table or video inside brings its own wrapper
	case slices.Contains(classes, "intercom-container"):
		n.Attr = append(keepAttrs(n), html.Attribute{Key: "class", Val: classImage})
	default:
		n.Attr = keepAttrs(n)
	}
}

// getAttr returns the value of n's attribute key.
func getAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// element returns a new element with attributes given as key, value pairs.
func element(tag string, attrs ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: attrs[i], Val: attrs[i+1]})
	}
	return n
}

// replace puts with where n is and removes n.
func replace(n, with *html.Node) {
	n.Parent.InsertBefore(with, n)
	n.Parent.RemoveChild(n)
}

// wrap puts n inside wrapper, where n was.
func wrap(n, wrapper *html.Node) {
	replace(n, wrapper)
	wrapper.AppendChild(n)
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
		n.Parent.InsertBefore(c, n)
	}
	n.Parent.RemoveChild(n)
}
