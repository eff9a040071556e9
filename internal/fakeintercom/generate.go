package fakeintercom

import (
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/helpsite/helpsite/internal/content"
)

// GenerateOptions says what Generate makes. Zero values are sensible.
type GenerateOptions struct {
	// Articles is the number of articles; 0 means 100.
	Articles int
	// Locales are the locales every help center offers, the first being
	// the default; nil means {"en"}. Use Intercom's codes (en, fr, pt-BR,
	// zh-CN...).
	Locales []string
	// HelpCenters is the number of help centers; 0 means 1.
	HelpCenters int
	// Collections is the number of collections (sections included); 0
	// means about one per 15 articles.
	Collections int
	Seed        int64
	// End is when the generated history ends: timestamps spread over the
	// two years before it. Zero means 2025-06-01 UTC.
	End time.Time
}

func (o GenerateOptions) end() time.Time {
	if o.End.IsZero() {
		return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	return o.End.Truncate(time.Second).UTC()
}

// Shares of generated content. Draft translations are drawn among the
// non-default locales of published articles.
const (
	shareDraftArticles     = 0.05
	shareDraftTranslations = 0.10
	shareMissingLocale     = 0.06
	shareTwoParents        = 0.05
	shareNoParent          = 0.01
)

// Generate makes a realistic Help Center, the same for the same options:
// help centers, a collection tree up to three levels deep with icons and
// order, and articles in every locale with bodies written the way
// Intercom's editor writes them (headings, lists, tables, code, callouts,
// images on Intercom's CDN, video embeds, links between articles).
func Generate(opts GenerateOptions) *content.Site {
	if opts.Articles <= 0 {
		opts.Articles = 100
	}
	if len(opts.Locales) == 0 {
		opts.Locales = []string{"en"}
	}
	if opts.HelpCenters <= 0 {
		opts.HelpCenters = 1
	}
	if opts.Collections <= 0 {
		opts.Collections = max(opts.HelpCenters, (opts.Articles+7)/15)
	}
	end := opts.end()
	g := &generator{
		opts:  opts,
		rng:   rand.New(rand.NewPCG(uint64(opts.Seed), 0x9e3779b97f4a7c15)),
		end:   end,
		start: end.AddDate(-2, 0, 0),
	}
	site := &content.Site{}
	g.workspace = g.token("abcdefghijklmnopqrstuvwxyz0123456789", 8)
	for i := range 8 {
		g.authors = append(g.authors, strconv.Itoa(991266200+i*37+g.rng.IntN(30)))
	}
	site.HelpCenters = g.helpCenters()
	site.Collections = g.collections(site.HelpCenters)
	site.Articles = g.articles(site)
	site.Sort()
	return site
}

type generator struct {
	opts       GenerateOptions
	rng        *rand.Rand
	start, end time.Time
	workspace  string
	authors    []string
	// hcBase maps a help center id to its public URL.
	hcBase map[string]string
	// depth is each nested collection's depth (top level: 0).
	depth map[string]int
}

func (g *generator) token(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// between returns a time uniformly in [lo, hi], no later than the end.
func (g *generator) between(lo, hi time.Time) time.Time {
	if hi.After(g.end) {
		hi = g.end
	}
	if !hi.After(lo) {
		return lo
	}
	return lo.Add(time.Duration(g.rng.Int64N(int64(hi.Sub(lo)/time.Second)+1)) * time.Second)
}

// recent returns a time in [lo, end], skewed towards end as edits are.
func (g *generator) recent(lo time.Time) time.Time {
	span := g.end.Sub(lo)
	return lo.Add(time.Duration(float64(span) * (1 - math.Pow(g.rng.Float64(), 3))).Truncate(time.Second))
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

func (g *generator) pick(words []string) string { return words[g.rng.IntN(len(words))] }

var helpCenterNames = []string{"", "developers", "partners", "internal", "academy", "status"}

func (g *generator) helpCenters() []content.HelpCenter {
	g.hcBase = make(map[string]string)
	out := make([]content.HelpCenter, g.opts.HelpCenters)
	id := 71000 + g.rng.IntN(9000)
	for i := range out {
		hc := &out[i]
		hc.ID = strconv.Itoa(id)
		id += 1 + g.rng.IntN(40)
		suffix := helpCenterNames[i%len(helpCenterNames)]
		if i >= len(helpCenterNames) {
			suffix += strconv.Itoa(i)
		}
		hc.Identifier, hc.DisplayName = "acme", "Acme Help Center"
		if suffix != "" {
			hc.Identifier += "-" + suffix
			hc.DisplayName = "Acme " + strings.ToUpper(suffix[:1]) + suffix[1:]
		}
		hc.WorkspaceID = g.workspace
		hc.URL = "https://intercom.help/" + hc.Identifier
		if i == 0 {
			hc.CustomDomain, hc.URL = "help.acme.example", "https://help.acme.example"
			hc.Default = true
		}
		hc.WebsiteTurnedOn = i%4 != 3
		hc.Locales = append([]string(nil), g.opts.Locales...)
		hc.CreatedAt = g.between(g.start.AddDate(0, -6, 0), g.start)
		hc.UpdatedAt = g.recent(hc.CreatedAt)
		g.hcBase[hc.ID] = hc.URL
	}
	return out
}

// collections makes the tree: about 45% top-level collections spread over
// the help centers, the rest nested one or two levels below.
func (g *generator) collections(hcs []content.HelpCenter) []content.Collection {
	n := g.opts.Collections
	out := make([]content.Collection, 0, n)
	g.depth = make(map[string]int, n)
	order := map[string]int{}
	id := 2100000 + g.rng.IntN(400000)
	top := max(len(hcs), n*45/100)
	for i := range n {
		c := content.Collection{ID: strconv.Itoa(id), DefaultLocale: g.opts.Locales[0]}
		id += 1 + g.rng.IntN(60)
		if i < top {
			c.HelpCenterID = hcs[i%len(hcs)].ID
			c.Icon = g.pick(collectionIcons)
		} else {
			var parent *content.Collection
			for parent == nil || g.depth[parent.ID] >= 2 {
				parent = &out[g.rng.IntN(len(out))]
			}
			c.ParentID, c.HelpCenterID = parent.ID, parent.HelpCenterID
			g.depth[c.ID] = g.depth[parent.ID] + 1
			if g.chance(0.3) {
				c.Icon = g.pick(collectionIcons)
			}
		}
		c.Order = order[c.ParentID+"/"+c.HelpCenterID]
		order[c.ParentID+"/"+c.HelpCenterID]++
		c.CreatedAt = g.between(g.start, g.end.AddDate(0, -3, 0))
		c.UpdatedAt = g.recent(c.CreatedAt)
		c.Translations = make(map[string]content.GroupText, len(g.opts.Locales))
		name := g.pick(collectionNames)
		for _, l := range g.opts.Locales {
			t := content.GroupText{Name: name}
			if languageOf(l).code != "en" {
				t.Name = g.phrase(languageOf(l), 1+g.rng.IntN(3))
			}
			if g.chance(0.8) {
				t.Description = g.sentence(languageOf(l), 6+g.rng.IntN(8))
			}
			c.Translations[l] = t
		}
		out = append(out, c)
	}
	return out
}

// draft is an article before its bodies are written.
type draft struct {
	a    *content.Article
	base string // the URL of its help center
}

func (g *generator) articles(site *content.Site) []content.Article {
	n := g.opts.Articles
	out := make([]content.Article, n)
	drafts := make([]draft, n)
	byHelpCenter := map[string][]string{}
	for _, c := range site.Collections {
		byHelpCenter[c.HelpCenterID] = append(byHelpCenter[c.HelpCenterID], c.ID)
	}
	collections := make(map[string]*content.Collection, len(site.Collections))
	for i := range site.Collections {
		collections[site.Collections[i].ID] = &site.Collections[i]
	}
	id := 4100000 + g.rng.IntN(900000)
	for i := range out {
		a := &out[i]
		a.ID = strconv.Itoa(id)
		id += 1 + g.rng.IntN(30)
		a.WorkspaceID = g.workspace
		a.DefaultLocale = g.opts.Locales[0]
		base := g.hcBase[site.HelpCenters[0].ID]
		if !g.chance(shareNoParent) && len(site.Collections) > 0 {
			first := site.Collections[g.rng.IntN(len(site.Collections))]
			a.ParentIDs = []string{first.ID}
			if siblings := byHelpCenter[first.HelpCenterID]; g.chance(shareTwoParents) && len(siblings) > 1 {
				if second := g.pick(siblings); second != first.ID {
					a.ParentIDs = append(a.ParentIDs, second)
				}
			}
			base = g.hcBase[first.HelpCenterID]
		}
		g.translations(a)
		drafts[i] = draft{a: a, base: base}
	}
	index := make(map[string]int, n)
	for i, d := range drafts {
		index[d.a.ID] = i
	}
	for _, d := range drafts {
		g.bodies(d, drafts, index, collections)
	}
	return out
}

// translations sets each locale's title, description, state, author and
// timestamps; bodies come later, once every title is known for links.
func (g *generator) translations(a *content.Article) {
	created := g.between(g.start, g.end.AddDate(0, 0, -30))
	author := g.pick(g.authors)
	isDraft := g.chance(shareDraftArticles)
	verb, object := g.pick(titleVerbs), g.pick(titleObjects)
	a.Translations = make(map[string]content.Translation, len(g.opts.Locales))
	for i, l := range g.opts.Locales {
		lang := languageOf(l)
		t := content.Translation{State: content.Published, AuthorID: author}
		if i > 0 {
			if g.chance(shareMissingLocale) {
				continue
			}
			t.CreatedAt = g.between(created, created.AddDate(0, 1, 0))
			if g.chance(0.3) {
				t.AuthorID = g.pick(g.authors)
			}
			if g.chance(shareDraftTranslations) {
				t.State = content.Draft
			}
		} else {
			t.CreatedAt = created
		}
		if isDraft {
			t.State = content.Draft
		}
		t.UpdatedAt = g.recent(t.CreatedAt)
		if lang.code == "en" {
			t.Title = englishTitle(g.pick(titleForms), verb, object)
		} else {
			t.Title = g.phrase(lang, 3+g.rng.IntN(5))
		}
		if g.chance(0.8) {
			t.Description = g.sentence(lang, 6+g.rng.IntN(10))
		}
		a.Translations[l] = t
	}
	d := a.Translations[a.DefaultLocale]
	a.CreatedAt, a.UpdatedAt = d.CreatedAt, d.UpdatedAt
}

func englishTitle(form, verb, object string) string {
	verb = strings.ReplaceAll(verb, "-", " ")
	return strings.NewReplacer("%v", verb, "%V", capitalize(verb), "%o", object, "%O", capitalize(object)).Replace(form)
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// phrase is n words, capitalized.
func (g *generator) phrase(lang language, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(lang.sep)
		}
		b.WriteString(g.pick(lang.words))
	}
	return capitalize(b.String())
}

func (g *generator) sentence(lang language, n int) string { return g.phrase(lang, n) + lang.stop }

// block kinds of a body, drawn with these weights.
type blockKind int

const (
	paragraph blockKind = iota
	heading
	subheading
	bulletList
	numberedList
	callout
	picture
	video
	table
	codeBlock
	accordion
	rule
	emptyParagraph
)

var blockWeights = [...]int{paragraph: 40, heading: 8, subheading: 5, bulletList: 6, numberedList: 4,
	callout: 6, picture: 8, video: 3, table: 4, codeBlock: 5, accordion: 3, rule: 2, emptyParagraph: 3}

// block is one block of a body's skeleton: the same in every locale, so
// that translations mirror each other as they do in Intercom.
type block struct {
	kind blockKind
	size int    // items, rows or sentences
	ref  string // image path, video URL, link target or heading id
}

var (
	calloutColours = []string{"#e3e7fa80", "#feedaf80", "#d7efdc80", "#fed9db80", "#e8e8e8b3"}
	imageSizes     = [][2]int{{1200, 675}, {800, 450}, {640, 360}, {1024, 768}, {320, 200}, {1600, 900}, {480, 320}}
	imageNames     = vocabulary(`screenshot settings-page dashboard billing-form invite-dialog export-menu
		integration-list mobile-app profile-menu report-view`)
	codeSamples = []string{
		"curl https://api.acme.example/v1/widgets \\\n  -H \"Authorization: Bearer $TOKEN\"",
		"{\n  \"name\": \"widget\",\n  \"enabled\": true\n}",
		"npm install @acme/sdk",
		"<script src=\"https://cdn.acme.example/widget.js\" async></script>",
		"if (user.plan === 'pro' && seats > 5) {\n  enableSso();\n}",
	}
)

// skeleton draws the blocks of an article's body, about target bytes long
// in English.
func (g *generator) skeleton(target int, links []string) []block {
	total := 0
	for _, w := range blockWeights {
		total += w
	}
	blocks := []block{{kind: paragraph, size: 2}}
	for size := 200; size < target; {
		r := g.rng.IntN(total)
		kind := blockKind(0)
		for r >= blockWeights[kind] {
			r -= blockWeights[kind]
			kind++
		}
		b := block{kind: kind, size: 1 + g.rng.IntN(4)}
		switch kind {
		case paragraph:
			if len(links) > 0 && g.chance(0.3) {
				b.ref = g.pick(links)
			}
			size += 120 * b.size
		case heading, subheading:
			b.ref = "h_" + g.token(hexDigits, 10)
			size += 60
		case picture:
			dim := imageSizes[g.rng.IntN(len(imageSizes))]
			b.ref = fmt.Sprintf("i/o/%d/%s/%s-%dx%d.png", 900000000+g.rng.IntN(99999999),
				g.token(hexDigits, 24), g.pick(imageNames), dim[0], dim[1])
			size += 180
		case video:
			b.ref = g.videoURL()
			size += 200
		default:
			size += 100 * b.size
		}
		blocks = append(blocks, b)
	}
	return blocks
}

func (g *generator) videoURL() string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	switch g.rng.IntN(4) {
	case 0:
		return "https://www.youtube.com/embed/" + g.token(alnum+"_-", 11)
	case 1:
		return "https://player.vimeo.com/video/" + strconv.Itoa(100000000+g.rng.IntN(900000000))
	case 2:
		return "https://www.loom.com/embed/" + g.token(hexDigits, 32)
	}
	return "https://fast.wistia.net/embed/iframe/" + g.token("abcdefghijklmnopqrstuvwxyz0123456789", 10)
}

// bodies writes the article's body in each of its locales from one
// skeleton. Links point at other articles (some without a slug) and at
// collections, in the help center URL form.
func (g *generator) bodies(d draft, all []draft, index map[string]int, collections map[string]*content.Collection) {
	links := make([]string, 0, 4)
	for range 1 + g.rng.IntN(3) {
		links = append(links, all[g.rng.IntN(len(all))].a.ID)
	}
	if len(d.a.ParentIDs) > 0 && g.chance(0.3) {
		links = append(links, "c"+d.a.ParentIDs[0])
	}
	target := int(500 * math.Pow(10, g.rng.Float64())) // 0.5–5 KB, most short
	skeleton := g.skeleton(target, links)
	for _, l := range g.opts.Locales {
		t, ok := d.a.Translations[l]
		if !ok {
			continue
		}
		w := bodyWriter{g: g, lang: languageOf(l)}
		w.link = func(ref string) string {
			if id, ok := strings.CutPrefix(ref, "c"); ok {
				c := collections[id]
				return d.base + "/" + l + "/collections/" + idSlug(id, c.Translations[l].Name)
			}
			target := all[index[ref]]
			title := target.a.Translations[l].Title
			if title == "" || hash("slug", d.a.ID, ref)%5 == 0 {
				return target.base + "/" + l + "/articles/" + ref
			}
			return target.base + "/" + l + "/articles/" + idSlug(ref, title)
		}
		w.b.Grow(target + target/2)
		for _, bl := range skeleton {
			w.block(bl)
		}
		t.Body = w.b.String()
		d.a.Translations[l] = t
	}
}

// bodyWriter renders a skeleton in one language. The vocabularies need no
// HTML escaping.
type bodyWriter struct {
	g    *generator
	lang language
	link func(ref string) string
	b    strings.Builder
}

// words writes n words, the first capitalized.
func (w *bodyWriter) words(n int) {
	for i := range n {
		word := w.g.pick(w.lang.words)
		if i == 0 {
			word = capitalize(word)
		} else {
			w.b.WriteString(w.lang.sep)
		}
		w.b.WriteString(word)
	}
}

func (w *bodyWriter) sentence(n int) {
	w.words(n)
	w.b.WriteString(w.lang.stop)
}

// inline writes a sentence with, now and then, bold, italic or code in it.
func (w *bodyWriter) inline() {
	b := &w.b
	switch w.g.rng.IntN(8) {
	case 0:
		b.WriteString("<b>")
		w.words(2)
		b.WriteString("</b> ")
		w.sentence(6 + w.g.rng.IntN(12))
	case 1:
		w.sentence(6 + w.g.rng.IntN(12))
		b.WriteString(" <i>")
		w.words(3)
		b.WriteString("</i>")
	case 2:
		w.sentence(6 + w.g.rng.IntN(12))
		b.WriteString(" <code>" + w.g.pick(titleVerbs) + "</code>")
	default:
		w.sentence(6 + w.g.rng.IntN(12))
	}
}

// p writes a paragraph of the editor's kind around what fill writes.
func (w *bodyWriter) p(fill func()) {
	w.b.WriteString(`<p class="no-margin">`)
	fill()
	w.b.WriteString(`</p>`)
}

func (w *bodyWriter) block(bl block) {
	b := &w.b
	switch bl.kind {
	case paragraph:
		w.p(func() {
			for i := range bl.size {
				if i > 0 {
					b.WriteByte(' ')
				}
				w.inline()
			}
			if bl.ref != "" {
				b.WriteString(` <a href="` + w.link(bl.ref) + `" target="_blank" class="intercom-content-link">`)
				w.words(3)
				b.WriteString(`</a>`)
			}
		})
	case heading, subheading:
		tag := "h2"
		if bl.kind == subheading {
			tag = "h3"
		}
		b.WriteString("<" + tag + ` id="` + bl.ref + `">`)
		w.words(2 + w.g.rng.IntN(4))
		b.WriteString("</" + tag + ">")
	case bulletList, numberedList:
		tag := "ul"
		if bl.kind == numberedList {
			tag = "ol"
		}
		b.WriteString("<" + tag + ">")
		for range bl.size + 1 {
			b.WriteString("<li>")
			w.p(w.inline)
			b.WriteString("</li>")
		}
		b.WriteString("</" + tag + ">")
	case callout:
		colour := calloutColours[bl.size%len(calloutColours)]
		b.WriteString(`<div class="intercom-interblocks-callout" style="background-color: ` + colour +
			`; border-color: ` + colour[:7] + `33;">`)
		w.p(w.inline)
		b.WriteString("</div>")
	case picture:
		b.WriteString(`<div class="intercom-container"><img src="` + cdnOrigin + bl.ref + `"></div>`)
	case video:
		b.WriteString(`<div class="intercom-h2b-video"><iframe src="` + bl.ref +
			`" frameborder="0" webkitallowfullscreen mozallowfullscreen allowfullscreen></iframe></div>`)
	case table:
		b.WriteString(`<div class="intercom-interblocks-table-container"><table role="presentation"><tbody>`)
		for range bl.size + 1 {
			b.WriteString("<tr>")
			for range 3 {
				b.WriteString("<td>")
				w.p(func() { w.words(1 + w.g.rng.IntN(3)) })
				b.WriteString("</td>")
			}
			b.WriteString("</tr>")
		}
		b.WriteString("</tbody></table></div>")
	case codeBlock:
		b.WriteString("<pre><code>" + html.EscapeString(codeSamples[bl.size%len(codeSamples)]) + "</code></pre>")
	case accordion:
		b.WriteString("<details><summary>")
		w.sentence(4)
		b.WriteString("</summary><div>")
		w.p(w.inline)
		b.WriteString("</div></details>")
	case rule:
		b.WriteString("<hr>")
	case emptyParagraph:
		w.p(func() {})
	}
}
