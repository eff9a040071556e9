package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The AI-readable form of the site, as llmstxt.org proposes and
// documentation sites publish it: /llms.txt lists the locales,
// /{locale}/llms.txt the locale's articles by collection, each linking to
// the article's Markdown twin, {page}/index.md, converted from the
// article's sanitized HTML. They hold only what the plan publishes, so no
// draft. Like the sitemaps, an Update writes the llms.txt files that
// changed and the twins of the articles whose content file changed
// (their text, their URL, or a link in them to a page that moved); a
// twin lives in its page's directory and goes with it.

// MarkdownFile is the name of an article's Markdown twin in its page's
// directory.
const MarkdownFile = "index.md"

// LLMsFile is the name of the llms.txt files.
const LLMsFile = "llms.txt"

// writeLLMs writes the llms.txt files and the Markdown twins.
func (b *build) writeLLMs(ctx context.Context) error {
	if err := b.writeMarkdownTwins(ctx); err != nil {
		return err
	}
	if err := b.removeStaleTwins(); err != nil {
		return err
	}
	var root strings.Builder
	fmt.Fprintf(&root, "# %s\n\n> Help articles in %d languages. Each language's llms.txt lists its articles, each of which is also published as Markdown.\n\n## Languages\n\n",
		markdownText(b.siteTitle()), len(b.plan.locales))
	changed := b.changedLocales()
	b.out.llms = make(map[string][]string, len(b.plan.locales))
	for _, l := range b.plan.locales {
		name := URLLocale(l) + "/" + LLMsFile
		fmt.Fprintf(&root, "- [%s](%s): %d articles\n", languageName(l), b.llmsLink("/", "/"+name), len(b.plan.byLocale[l].articles))
		last := b.lastLLMs[l]
		if !changed[l] {
			b.out.llms[l] = last // what it lists is in the front matter of the locale's pages
			continue
		}
		parts := b.localeLLMs(l)
		b.out.llms[l] = parts
		if b.live != "" && slices.Equal(parts, last) {
			continue // as the live site has it
		}
		if err := b.writeChanged(name, []byte(strings.Join(parts, ""))); err != nil {
			return err
		}
	}
	return b.writeChanged(LLMsFile, []byte(root.String()))
}

// localeLLMs is the llms.txt of locale, in parts: the site's title and a
// summary, and a section per collection that holds articles, in the order
// of the home page, with its articles as links and their descriptions. A
// section or a line that did not change is the string of the last build,
// so that comparing the parts with the last build's is mostly comparing
// pointers.
func (b *build) localeLLMs(locale string) []string {
	lp := b.plan.byLocale[locale]
	dir := "/" + URLLocale(locale) + "/"
	parts := []string{fmt.Sprintf("# %s\n\n> %d help articles in %s, by collection. Each link leads to the article as Markdown; its web page is the same URL without %s.\n",
		markdownText(b.siteTitle()), len(lp.articles), languageName(locale), MarkdownFile)}
	line := func(ap *articlePage) string {
		if rec, ok := b.recorded(ap.file); ok {
			return rec.llms
		}
		return b.llmsLine(dir, ap)
	}
	var walk func(cps []*collectionPage)
	walk = func(cps []*collectionPage) {
		for _, cp := range cps {
			// A page carried over from the last build has its section.
			rec := b.records.collection(cp)
			if rec != nil && rec.llms != "" {
				parts = append(parts, rec.llms)
			} else if len(cp.articles) > 0 {
				var section strings.Builder
				var names []string
				for _, c := range cp.ancestry() {
					names = append(names, c.name)
				}
				fmt.Fprintf(&section, "\n## %s\n", markdownText(strings.Join(names, " › ")))
				if cp.about != "" {
					fmt.Fprintf(&section, "\n%s\n", markdownText(strings.Join(strings.Fields(cp.about), " ")))
				}
				section.WriteString("\n")
				for _, ap := range cp.articles {
					section.WriteString(line(ap))
				}
				parts = append(parts, section.String())
				if rec != nil {
					rec.llms = parts[len(parts)-1]
				}
			}
			walk(cp.children)
		}
	}
	walk(lp.top)
	if len(lp.standalone) > 0 {
		parts = append(parts, "\n## Other articles\n\n")
		for _, ap := range lp.standalone {
			parts = append(parts, line(ap))
		}
	}
	return parts
}

// llmsLine is the line of ap in the llms.txt in the directory dir: a
// link to its Markdown twin and its description.
func (b *build) llmsLine(dir string, ap *articlePage) string {
	line := fmt.Sprintf("- [%s](%s)", markdownText(ap.text.Title), b.llmsLink(dir, ap.url()+MarkdownFile))
	if d := ap.description; d != "" {
		line += ": " + strings.Join(strings.Fields(d), " ")
	}
	return line + "\n"
}

// llmsLink is the link to target, a root-relative URL, from a file in the
// directory dir: absolute on a served site, relative in a Relative one.
func (b *build) llmsLink(dir, target string) string {
	if b.opts.Relative {
		return relativeURL(dir, target, false)
	}
	return b.absURL(target)
}

// markdownText escapes the characters that would make text markup in a
// Markdown line.
func markdownText(s string) string {
	return markdownEscaper.Replace(s)
}

var markdownEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `\<`, `#`, `\#`)

// writeMarkdownTwins writes the twin of every article, or in a partial
// Update of those whose content file changed, among the pages whose twin
// may differ (build.twins): a twin shows its page's title and body.
func (b *build) writeMarkdownTwins(ctx context.Context) error {
	twins := b.twins
	if b.live != "" {
		changed := b.changedFiles()
		twins = slices.DeleteFunc(slices.Clone(twins), func(ap *articlePage) bool { return !changed[ap.file] })
	}
	conv := newMarkdownConverter()
	return b.parallel(ctx, "markdown", len(twins), func(i int) error {
		ap := twins[i]
		body, err := b.cachedBody(ap.file)
		if err != nil {
			return err
		}
		md, err := b.markdownTwin(conv, ap, body)
		if err != nil {
			return fmt.Errorf("render: markdown of article %s (%s): %w", ap.article.ID, ap.locale, err)
		}
		return b.writeChanged(strings.TrimPrefix(ap.url(), "/")+MarkdownFile, md)
	})
}

// removeStaleTwins lists in Result.Removed the twins of the live site
// whose page became a redirect page in this Update (an article retitled or
// unpublished): the directory stays, its twin must go.
func (b *build) removeStaleTwins() error {
	if b.live == "" {
		return nil
	}
	changed := b.changedFiles()
	for _, rp := range b.out.redirectPages {
		if !changed[rp.source] {
			continue
		}
		for _, dir := range rp.dirs {
			_, err := os.Stat(b.livePath(dir, MarkdownFile))
			if err == nil {
				b.remove(dir + "/" + MarkdownFile)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("render: %w", err)
			}
		}
	}
	return nil
}

func newMarkdownConverter() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		// Intercom's editor writes header rows as bold cells, not <th>.
		table.NewTablePlugin(table.WithHeaderPromotion(true)),
	))
}

// markdownTwin converts an article's body, the sanitized HTML of its page,
// to Markdown under its title: links to article pages lead to their twins,
// video frames become links, and in a Relative site every link is
// relative.
func (b *build) markdownTwin(conv *converter.Converter, ap *articlePage, body []byte) ([]byte, error) {
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	dir := ap.url()
	var fix func(n *html.Node)
	fix = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			fix(c)
		}
		if n.Type != html.ElementNode {
			return
		}
		switch n.DataAtom {
		case atom.A:
			setAttr(n, "href", func(v string) string { return b.twinLink(dir, v, true) })
		case atom.Img:
			setAttr(n, "src", func(v string) string { return b.twinLink(dir, v, false) })
			if strings.TrimSpace(attr(n, "alt")) == "" { // the page warned about it
				n.Attr = append(slices.DeleteFunc(n.Attr, func(a html.Attribute) bool { return a.Key == "alt" }), html.Attribute{Key: "alt", Val: "image"})
			}
		case atom.Iframe:
			src := attr(n, "src")
			link := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{{Key: "href", Val: src}}}
			link.AppendChild(&html.Node{Type: html.TextNode, Data: src})
			n.Parent.InsertBefore(link, n)
			n.Parent.RemoveChild(n)
		}
	}
	fix(doc)
	md, err := conv.ConvertNode(doc)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "# %s\n\n", markdownText(ap.text.Title))
	out.Write(bytes.TrimSpace(md))
	out.WriteString("\n")
	return out.Bytes(), nil
}

// twinLink is the URL that replaces href in the Markdown twin of the page
// at dir: a link (toTwin) to an article page leads to its twin, and in a
// Relative site root-relative URLs become relative.
func (b *build) twinLink(dir, href string, toTwin bool) string {
	p, suffix := href, ""
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, suffix = p[:i], p[i:]
	}
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return href
	}
	if toTwin && b.pageKind(p) == "article" {
		p = path.Join(p, MarkdownFile)
	}
	if b.opts.Relative {
		return relativeURL(dir, p+suffix, false)
	}
	return p + suffix
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key string, f func(string) string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = f(a.Val)
		}
	}
}
