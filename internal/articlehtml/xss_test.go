package articlehtml

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// readCorpus reads testdata/xss.txt; its header says the format.
func readCorpus(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/xss.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var payloads []string
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		p := sc.Text()
		if strings.TrimSpace(p) == "" || strings.HasPrefix(p, "#") {
			continue
		}
		if q, ok := strings.CutPrefix(p, "quoted: "); ok {
			if p, err = strconv.Unquote(q); err != nil {
				t.Fatalf("xss.txt:%d: %v", line, err)
			}
		}
		if prev, ok := seen[p]; ok {
			t.Fatalf("xss.txt:%d repeats line %d", line, prev)
		}
		seen[p] = line
		payloads = append(payloads, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return payloads
}

// xssContexts are realistic Intercom bodies with a place, X, for a payload.
var xssContexts = []string{
	`<p class="no-margin">Before</p>X<p class="no-margin">After</p>`,
	`<p class="no-margin">Some <b>text</b> X and more</p>`,
	`<div class="intercom-interblocks-callout" style="background-color: #e3e7fa80; border-color: #334bfa33;"><p class="no-margin">X</p></div>`,
	`<div class="intercom-interblocks-table-container"><table role="presentation"><tbody><tr><td><p class="no-margin">X</p></td></tr></tbody></table></div>`,
	`<details><summary>X</summary><div><p class="no-margin">Answer</p></div></details>`,
	`<h2 id="h_5f2b3c9a1d">Heading X</h2><ul><li><p class="no-margin">X</p></li></ul>`,
	`<p class="no-margin"><a href="X" target="_blank" class="intercom-content-link">link</a></p>`,
	`<div class="intercom-container"><img src="X" alt="screenshot"></div>`,
	`<div class="intercom-h2b-video"><iframe src="X" frameborder="0" allowfullscreen></iframe></div>`,
}

// testOptions are the option sets the safety tests run with: nothing
// resolved, everything resolved (links to "missing" pages excepted), and
// videos stripped.
func testOptions() map[string]Options {
	resolved := Options{
		ResolveLink: func(href string) (string, bool) {
			switch {
			case strings.Contains(href, "missing"):
				return "", false
			case strings.Contains(href, "/articles/"):
				return "/en/articles/1-local/", true
			}
			return href, true
		},
		ResolveImage: func(src string) (Image, bool) {
			return Image{Src: "/images/" + strconv.Itoa(len(src)) + ".png", Width: 800, Height: 600}, true
		},
	}
	return map[string]Options{"plain": {}, "resolved": resolved, "stripped": {StripVideos: true}}
}

func TestXSSCorpus(t *testing.T) {
	payloads := readCorpus(t)
	if len(payloads) < 120 {
		t.Fatalf("corpus has %d payloads, want at least 120", len(payloads))
	}
	for name, opts := range testOptions() {
		rw := New(opts)
		for _, p := range payloads {
			for _, ctx := range xssContexts {
				body := strings.ReplaceAll(ctx, "X", p)
				res := rw.Rewrite(body)
				for _, problem := range unsafeParts(res.HTML) {
					t.Errorf("%s: %q\n-> %q\n%s", name, body, res.HTML, problem)
				}
			}
		}
	}
}

func FuzzRewrite(f *testing.F) {
	for _, p := range readCorpus(f) {
		f.Add(p)
	}
	for _, tt := range goldenTests {
		f.Add(tt.body)
	}
	rw := New(testOptions()["resolved"])
	f.Fuzz(func(t *testing.T, body string) {
		res := rw.Rewrite(body)
		for _, problem := range unsafeParts(res.HTML) {
			t.Errorf("%q\n-> %q\n%s", body, res.HTML, problem)
		}
		if again := rw.Rewrite(body); !reflect.DeepEqual(again, res) {
			t.Errorf("%q: rewriting twice gave\n%+v\n%+v", body, res, again)
		}
		ids := headingIDs(res.HTML)
		for _, h := range res.Headings {
			if ids[h.ID] != 1 {
				t.Errorf("%q -> %q: heading %+v: %d elements with its id", body, res.HTML, h, ids[h.ID])
			}
		}
	})
}

// headingIDs counts the ids of the headings in an HTML body.
func headingIDs(body string) map[string]int {
	ids := map[string]int{}
	walkElements(parseBody(body), func(n *html.Node) {
		if _, ok := headingLevel(n); ok {
			if id, ok := getAttr(n, "id"); ok {
				ids[id]++
			}
		}
	})
	return ids
}

// safeElements are the elements a rewritten body may have.
var safeElements = strings.Fields(`html head body p br hr div span b strong i em u s del ins sub sup small mark
	code pre kbd samp blockquote figure figcaption details summary ul ol li dl dt dd table caption
	thead tbody tfoot tr colgroup col td th h1 h2 h3 h4 h5 h6 a img iframe`)

// safeAttributes are the attributes a rewritten body may have.
var safeAttributes = strings.Fields(`href src alt title width height loading decoding id class dir lang rel
	target colspan rowspan scope start type reversed value open span tabindex data-embed`)

// urlAttributes are the attributes a browser loads or navigates to.
var urlAttributes = strings.Fields(`href src action formaction poster background data cite srcset
	dynsrc lowsrc codebase ping content xlink:href`)

var videoPrefixes = []string{
	"https://www.youtube.com/embed/", "https://www.youtube-nocookie.com/embed/",
	"https://player.vimeo.com/video/", "https://www.loom.com/embed/", "https://fast.wistia.net/embed/iframe/",
}

// unsafeParts parses a rewritten body as a browser would and describes
// what in it could run script, load or submit something it should not, or
// restyle the page.
func unsafeParts(out string) []string {
	var problems []string
	lower := strings.ToLower(out)
	for _, tag := range []string{"<script", "<style", "<svg", "<math", "<!--"} {
		if strings.Contains(lower, tag) {
			problems = append(problems, "markup contains "+tag)
		}
	}
	walkElements(parseBody(out), func(n *html.Node) {
		if n.Namespace != "" || !slices.Contains(safeElements, n.Data) {
			problems = append(problems, fmt.Sprintf("element %s %s", n.Namespace, n.Data))
		}
		for _, a := range n.Attr {
			key := strings.ToLower(a.Key)
			if a.Namespace != "" {
				key = a.Namespace + ":" + key
			}
			switch {
			case !slices.Contains(safeAttributes, key), strings.HasPrefix(key, "on"), key == "style":
				problems = append(problems, fmt.Sprintf("<%s %s=%q>", n.Data, key, a.Val))
			case slices.Contains(urlAttributes, key) && dangerousURL(a.Val):
				problems = append(problems, fmt.Sprintf("<%s %s=%q>", n.Data, key, a.Val))
			}
		}
		switch n.Data {
		case "iframe":
			// Videos are facades: no body embeds a frame.
			src, _ := getAttr(n, "src")
			problems = append(problems, fmt.Sprintf("iframe src %q", src))
		case "a":
			if embed, ok := getAttr(n, "data-embed"); ok && !hasAnyPrefix(embed, videoPrefixes) {
				problems = append(problems, fmt.Sprintf("video facade of %q", embed))
			}
			if target, _ := getAttr(n, "target"); target != "" {
				if rel, _ := getAttr(n, "rel"); target != "_blank" || !strings.Contains(rel, "noopener") {
					problems = append(problems, fmt.Sprintf("<a target=%q rel=%q>", target, rel))
				}
			}
		}
	})
	return problems
}

// dangerousURL reports whether a browser would read u as a javascript:,
// vbscript: or data: URL.
func dangerousURL(u string) bool {
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	u = strings.ToLower(strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "))
	return hasAnyPrefix(u, []string{"javascript:", "vbscript:", "data:"})
}

func hasAnyPrefix(s string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

// parseBody parses an HTML body as a browser parses a page.
func parseBody(body string) *html.Node {
	doc, err := html.Parse(strings.NewReader("<!DOCTYPE html><html><head></head><body>" + body))
	if err != nil {
		panic(err)
	}
	return doc
}

// walkElements calls f for every element below n, foreign ones included.
func walkElements(n *html.Node, f func(*html.Node)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			f(c)
		}
		walkElements(c, f)
	}
}
