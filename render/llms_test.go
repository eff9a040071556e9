package render

import (
	"context"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/demo"
)

var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// articlePages returns the article pages of a built site by locale: the
// directories below {locale}/articles that hold a page, not a redirect.
func articlePages(files map[string][]byte) map[string][]string {
	pages := map[string][]string{}
	for name, data := range files {
		parts := strings.Split(name, "/")
		if len(parts) == 4 && parts[1] == "articles" && parts[3] == "index.html" && !strings.Contains(string(data), `http-equiv="refresh"`) {
			pages[parts[0]] = append(pages[parts[0]], "/"+path.Dir(name)+"/")
		}
	}
	for _, p := range pages {
		slices.Sort(p)
	}
	return pages
}

// TestLLMsTxt checks that each locale's llms.txt links to the Markdown
// twin of exactly the article pages the site publishes in it (no draft, no
// redirect), that each twin exists, and that /llms.txt lists the locales.
func TestLLMsTxt(t *testing.T) {
	out, _ := buildTestSite(t)
	files := readTree(t, out)
	const base = "https://help.example.com"
	root := string(files["llms.txt"])
	pages := articlePages(files)
	if len(pages) < 3 {
		t.Fatalf("the test site has article pages in %d locales", len(pages))
	}
	for locale, want := range pages {
		if !strings.Contains(root, "]("+base+"/"+locale+"/llms.txt)") {
			t.Errorf("llms.txt does not link to %s/llms.txt:\n%s", locale, root)
		}
		txt := string(files[locale+"/llms.txt"])
		if !strings.HasPrefix(txt, "# Acme Help\n\n> ") {
			t.Errorf("%s/llms.txt does not start with the title and a summary:\n%s", locale, txt)
		}
		var got []string
		for _, m := range markdownLink.FindAllStringSubmatch(txt, -1) {
			twin := strings.TrimPrefix(m[1], base)
			if _, ok := files[strings.TrimPrefix(twin, "/")]; !ok {
				t.Errorf("%s/llms.txt links to %s, which was not written", locale, m[1])
			}
			got = append(got, strings.TrimSuffix(twin, MarkdownFile))
		}
		slices.Sort(got)
		got = slices.Compact(got) // an article in two collections is in both sections
		if !slices.Equal(got, want) {
			t.Errorf("%s/llms.txt lists\n%v\nwant the published articles\n%v", locale, got, want)
		}
	}
}

var htmlHref = regexp.MustCompile(`<a href="(/[^"#?]*/articles/[^"#?]*/)(#[^"]*)?"`)

// TestMarkdownTwinsOfDemo converts every article of the demo and checks
// that tables, code and links come through: no HTML left, a Markdown table
// for each table, a fenced block for each code block, each link to an
// article leading to its twin, each image with alt text.
func TestMarkdownTwinsOfDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole demo site")
	}
	site, err := demo.Site()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Build(context.Background(), site, out, Options{BaseURL: "https://help.example.com/"}); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	var tables, code, links int
	for locale, pages := range articlePages(files) {
		for _, page := range pages {
			name := strings.TrimPrefix(page, "/")
			page, twin := string(files[name+"index.html"]), string(files[name+MarkdownFile])
			if twin == "" {
				t.Errorf("%s has no Markdown twin", name)
				continue
			}
			body := page[strings.Index(page, `<div class="article-body"`):]
			body = body[:strings.Index(body, "</article>")]
			if !strings.HasPrefix(twin, "# ") {
				t.Errorf("%s: the twin does not start with the title", name)
			}
			for _, tag := range []string{"<table", "<pre", "<a ", "<img", "<div", "<p>"} {
				if strings.Contains(twin, tag) {
					t.Errorf("%s: the twin holds HTML %s", name, tag)
				}
			}
			if n := strings.Count(body, "<table"); n > 0 {
				tables += n
				if got := regexp.MustCompile(`(?m)^\|[-| :]+\|$`).FindAllString(twin, -1); len(got) != n {
					t.Errorf("%s: %d tables, %d Markdown table headers", name, n, len(got))
				}
			}
			if n := strings.Count(body, "<pre"); n > 0 {
				code += n
				if got := strings.Count(twin, "```") / 2; got != n {
					t.Errorf("%s: %d code blocks, %d fenced blocks", name, n, got)
				}
			}
			for _, m := range htmlHref.FindAllStringSubmatch(body, -1) {
				links++
				if !strings.Contains(twin, "]("+m[1]+MarkdownFile+m[2]+")") {
					t.Errorf("%s (%s): the link to %s does not lead to its twin", name, locale, m[1])
				}
			}
			if n := strings.Count(body, "<img"); strings.Count(twin, "![") != n || strings.Contains(twin, "![]") {
				t.Errorf("%s: %d images, twin has %d, some without alt", name, n, strings.Count(twin, "!["))
			}
		}
	}
	if tables == 0 || code == 0 || links == 0 {
		t.Errorf("the demo converted %d tables, %d code blocks, %d article links: the test checks nothing", tables, code, links)
	}
}
