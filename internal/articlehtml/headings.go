package articlehtml

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var headingAtoms = []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}

// headingLevel returns the level of an h1–h6 element.
func headingLevel(n *html.Node) (int, bool) {
	for i, a := range headingAtoms {
		if n.DataAtom == a && n.Namespace == "" {
			return i + 1, true
		}
	}
	return 0, false
}

// heading demotes a heading if the body has h1s, keeps its id if valid and
// not taken, gives an h2–h4 with text an id if it has none, and records
// the h2–h4 for the table of contents.
func (rw *rewrite) heading(n *html.Node) {
	level, _ := headingLevel(n)
	level = min(level+rw.shift, len(headingAtoms))
	n.DataAtom = headingAtoms[level-1]
	n.Data = n.DataAtom.String()

	id, _ := getAttr(n, "id")
	n.Attr = keepAttrs(n, "id")
	text := strings.ReplaceAll(plainText(n), "\n", " ")
	toc := level >= 2 && level <= 4 && text != ""
	switch {
	case validID.MatchString(id) && !rw.usedIDs[id]:
	case toc:
		id = rw.newID(text)
	default:
		id = ""
	}
	if id != "" {
		rw.usedIDs[id] = true
		n.Attr = append([]html.Attribute{{Key: "id", Val: id}}, n.Attr...)
	}
	if toc {
		rw.headings = append(rw.headings, Heading{Level: level, ID: id, Text: text})
	}
}

// maxSlug bounds the length of a generated id, in runes.
const maxSlug = 64

// newID returns an id made from a heading's text that no other heading of
// the body has or will have.
func (rw *rewrite) newID(text string) string {
	var b strings.Builder
	dash, runes := false, 0
	for _, r := range strings.ToLower(text) {
		if runes == maxSlug {
			break
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || r == '_' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				runes++
			}
			b.WriteRune(r)
			dash = false
			runes++
		} else {
			dash = true
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	id := base
	for rw.usedIDs[id] || rw.reservedIDs[id] {
		n := max(rw.nextSuffix[base], 2)
		rw.nextSuffix[base] = n + 1
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}
