package articlehtml

import (
	"regexp"
	"strconv"
	"strings"
)

// calloutColors are the background colours of the callouts of Intercom's
// editor (drawn at half opacity), by the kind of callout they mean.
var calloutColors = []struct {
	kind    string
	r, g, b int
}{
	{"info", 0xe3, 0xe7, 0xfa},
	{"warning", 0xfe, 0xed, 0xaf},
	{"tip", 0xd7, 0xef, 0xdc},
	{"danger", 0xfe, 0xd9, 0xdb},
	{"note", 0xe8, 0xe8, 0xe8},
}

// calloutDefault is the kind of a callout without a colour.
const calloutDefault = "note"

var (
	backgroundColor = regexp.MustCompile(`(?i)(?:^|;)\s*background(?:-color)?\s*:\s*(#[0-9a-f]{3,8}|rgba?\([^)]*\))`)
	rgbFunction     = regexp.MustCompile(`^(?i:rgba?)\(\s*(\d{1,3})[\s,]+(\d{1,3})[\s,]+(\d{1,3})`)
)

// calloutClass returns the classes of a callout whose inline style is
// style: the kind whose colour is nearest its background.
func calloutClass(style string) string {
	kind := calloutDefault
	if r, g, b, ok := parseColor(style); ok {
		best := -1
		for _, c := range calloutColors {
			d := (r-c.r)*(r-c.r) + (g-c.g)*(g-c.g) + (b-c.b)*(b-c.b)
			if best < 0 || d < best {
				best, kind = d, c.kind
			}
		}
	}
	return classCallout + " " + classCallout + "-" + kind
}

// parseColor reads the background colour of an inline style: #rgb, #rgba,
// #rrggbb, #rrggbbaa or rgb()/rgba(), ignoring the alpha.
func parseColor(style string) (r, g, b int, ok bool) {
	m := backgroundColor.FindStringSubmatch(style)
	if m == nil {
		return 0, 0, 0, false
	}
	c := strings.ToLower(m[1])
	if hex, found := strings.CutPrefix(c, "#"); found {
		switch len(hex) {
		case 3, 4:
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		case 6, 8:
			hex = hex[:6]
		default:
			return 0, 0, 0, false
		}
		v, err := strconv.ParseUint(hex, 16, 32)
		if err != nil {
			return 0, 0, 0, false
		}
		return int(v >> 16), int(v >> 8 & 0xff), int(v & 0xff), true
	}
	f := rgbFunction.FindStringSubmatch(c)
	if f == nil {
		return 0, 0, 0, false
	}
	rgb := make([]int, 3)
	for i := range rgb {
		rgb[i], _ = strconv.Atoi(f[i+1]) // at most three digits
		rgb[i] = min(rgb[i], 255)
	}
	return rgb[0], rgb[1], rgb[2], true
}
