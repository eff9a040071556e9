package articlehtml

import (
	"regexp"
	"slices"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// The classes the output uses; see the package documentation.
const (
	classCallout   = "callout"
	classTableWrap = "table-wrap"
	classVideo     = "video"
	classVideoLink = "video-link"
	// The facade of an embedded video (a.video-play) and its parts.
	classVideoPlay     = "video-play"
	classVideoTitle    = "video-title"
	classVideoProvider = "video-provider"
	classImage         = "image"
	classMissingLink   = "missing-link"
	classMissingImg    = "image-missing"
)

// attrRule allows an attribute whose value matches value (any value if nil).
type attrRule struct {
	name  string
	value *regexp.Regexp
}

var (
	anyValue  *regexp.Regexp
	integer   = regexp.MustCompile(`^-?[0-9]{1,9}$`)
	count     = regexp.MustCompile(`^[0-9]{1,4}$`)
	validID   = regexp.MustCompile(`^[\p{L}\p{N}\p{M}_-]{1,100}$`)
	direction = regexp.MustCompile(`^(?i:ltr|rtl|auto)$`)
	langTag   = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
)

// globalRules are allowed on every element.
var globalRules = []attrRule{{"dir", direction}, {"lang", langTag}}

// attrRules lists the elements kept and the attributes copied from the
// input for each, besides the global ones. Elements not listed (and not
// dropped) are replaced by their content. The attributes the rewrite sets
// itself are added to the policy by newPolicy.
var attrRules = map[string][]attrRule{
	"p": nil, "br": nil, "hr": nil, "div": nil, "span": nil,
	"b": nil, "strong": nil, "i": nil, "em": nil, "u": nil, "s": nil, "del": nil, "ins": nil,
	"sub": nil, "sup": nil, "small": nil, "mark": nil, "code": nil, "pre": nil, "kbd": nil, "samp": nil,
	"blockquote": nil, "figure": nil, "figcaption": nil, "summary": nil,
	"details": {{"open", anyValue}},
	"ul":      nil,
	"ol":      {{"start", integer}, {"type", regexp.MustCompile(`^[1aAiI]$`)}, {"reversed", anyValue}},
	"li":      {{"value", integer}},
	"dl":      nil, "dt": nil, "dd": nil,
	"table": nil, "caption": nil, "thead": nil, "tbody": nil, "tfoot": nil, "tr": nil,
	"colgroup": {{"span", count}}, "col": {{"span", count}},
	"td": {{"colspan", count}, {"rowspan", count}},
	"th": {{"colspan", count}, {"rowspan", count}, {"scope", regexp.MustCompile(`^(?:row|col|rowgroup|colgroup)$`)}},
	"h1": {{"id", validID}}, "h2": {{"id", validID}}, "h3": {{"id", validID}},
	"h4": {{"id", validID}}, "h5": {{"id", validID}}, "h6": {{"id", validID}},
	"a":   {{"title", anyValue}},
	"img": {{"alt", anyValue}, {"title", anyValue}},
}

// droppedElements are removed with everything inside them: they run code,
// load or submit content, hide markup from the parser, or are foreign
// content. (Iframes are rebuilt if they show an allowed video, else
// dropped too.)
var droppedElements = map[string]bool{
	"script": true, "style": true, "template": true, "noscript": true, "noembed": true, "noframes": true,
	"frame": true, "frameset": true, "object": true, "embed": true, "applet": true, "param": true,
	"svg": true, "math": true, "form": true, "input": true, "button": true, "select": true, "option": true,
	"optgroup": true, "textarea": true, "datalist": true, "output": true, "keygen": true, "meta": true,
	"base": true, "link": true, "title": true, "head": true, "audio": true, "video": true, "source": true,
	"track": true, "canvas": true, "map": true, "area": true, "xmp": true, "plaintext": true, "listing": true,
	"portal": true, "fencedframe": true,
}

// dropped reports whether n is removed with its content.
func dropped(n *html.Node) bool {
	return n.Namespace != "" || droppedElements[n.Data]
}

// keepAttrs returns n's attributes that the rules allow on it, except those
// named in except, which the caller sets itself.
func keepAttrs(n *html.Node, except ...string) []html.Attribute {
	var kept []html.Attribute
	for _, a := range n.Attr {
		if a.Namespace != "" || slices.Contains(except, a.Key) {
			continue
		}
		if allowed(globalRules, a) || allowed(attrRules[n.Data], a) {
			kept = append(kept, html.Attribute{Key: a.Key, Val: a.Val})
		}
	}
	return kept
}

func allowed(rules []attrRule, a html.Attribute) bool {
	for _, r := range rules {
		if r.name == a.Key && (r.value == nil || r.value.MatchString(a.Val)) {
			return true
		}
	}
	return false
}

// The attribute values the rewrite writes on links.
const (
	relExternal    = "noopener noreferrer"
	targetExternal = "_blank"
)

// newPolicy returns the bluemonday policy that every rewritten body passes
// through last. It allows what attrRules allow plus what the rewrite
// writes, and nothing else, so on a correct rewrite it changes nothing; it
// is there in case the rewrite lets something through by mistake.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	for el, rules := range attrRules {
		if el != "a" && el != "img" { // useless without their URL
			p.AllowNoAttrs().OnElements(el)
		}
		for _, r := range rules {
			p.AllowAttrs(r.name).Matching(r.value).OnElements(el)
		}
	}
	for _, r := range globalRules {
		p.AllowAttrs(r.name).Matching(r.value).Globally()
	}

	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(true)
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(exactly(relExternal)).OnElements("a")
	p.AllowAttrs("target").Matching(exactly(targetExternal)).OnElements("a")

	p.AllowAttrs("src").Matching(httpOrRelative).OnElements("img")
	p.AllowAttrs("width", "height").Matching(count).OnElements("img")
	p.AllowAttrs("loading").Matching(exactly("lazy")).OnElements("img")
	p.AllowAttrs("decoding").Matching(exactly("async")).OnElements("img")

	p.AllowAttrs("tabindex").Matching(exactly("0")).OnElements("pre", "div")

	p.AllowAttrs("class").Matching(exactly(classVideoPlay)).OnElements("a")
	p.AllowAttrs("data-embed").Matching(videoEmbed).OnElements("a")

	callouts := make([]string, len(calloutColors))
	for i, c := range calloutColors {
		callouts[i] = classCallout + " " + classCallout + "-" + c.kind
	}
	p.AllowAttrs("class").Matching(oneOf(append(callouts, classTableWrap, classVideo, classVideoLink, classImage)...)).OnElements("div")
	p.AllowAttrs("class").Matching(oneOf(classMissingLink, classMissingImg, classVideoTitle, classVideoProvider)).OnElements("span")
	return p
}

// httpOrRelative matches a URL with an http(s) scheme or none.
var httpOrRelative = regexp.MustCompile(`^(?:(?i:https?):|[^:/?#]*(?:[/?#]|$))`)

func exactly(s string) *regexp.Regexp { return oneOf(s) }

func oneOf(values ...string) *regexp.Regexp {
	return regexp.MustCompile(`^` + alternation(values...) + `$`)
}

// alternation returns a regular expression group matching any of values.
func alternation(values ...string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = regexp.QuoteMeta(v)
	}
	return `(?:` + strings.Join(quoted, "|") + `)`
}
