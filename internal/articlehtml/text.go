package articlehtml

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inline are the elements that do not break a line of plain text.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true, atom.U: true,
	atom.S: true, atom.Del: true, atom.Ins: true, atom.Sub: true, atom.Sup: true, atom.Small: true,
	atom.Mark: true, atom.Code: true, atom.Kbd: true, atom.Samp: true, atom.Span: true, atom.Img: true,
}

// plainText returns the text below n: one line per block, table cells
// separated by spaces, runs of white space collapsed.
func plainText(n *html.Node) string {
	var lines []string
	var line strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(line.String()), " "); s != "" {
			lines = append(lines, s)
		}
		line.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				line.WriteString(c.Data)
			case c.Type != html.ElementNode:
			case isVideoFacade(c):
				// The facade's words are the player's, not the article's:
				// kept out of search and descriptions, as the frame was.
			case inline[c.DataAtom]:
				walk(c)
			case c.DataAtom == atom.Td || c.DataAtom == atom.Th:
				line.WriteByte(' ')
				walk(c)
				line.WriteByte(' ')
			default:
				flush()
				walk(c)
				flush()
			}
		}
	}
	walk(n)
	flush()
	return strings.Join(lines, "\n")
}

// isVideoFacade reports whether n is the div.video around a video's facade.
func isVideoFacade(n *html.Node) bool {
	class, _ := getAttr(n, "class")
	return n.DataAtom == atom.Div && class == classVideo
}
