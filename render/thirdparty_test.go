package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/csp"
)

// TestThirdPartyOptions builds the test site with the Messenger, a
// feedback endpoint on another host, head HTML and extra policy sources,
// and checks what pages get: every page the head HTML as it is, the
// Messenger's loader and a policy (meta and _headers) that allows what
// they load; article pages, and only they, the feedback widget. Then it
// builds an offline bundle with the same options and checks that it has
// none of them, but the llms.txt files and Markdown twins.
func TestThirdPartyOptions(t *testing.T) {
	dir := t.TempDir()
	head := filepath.Join(dir, "head.html")
	const tag = `<script async src="https://stats.example.com/s.js" data-site="ABC"></script>`
	if err := os.WriteFile(head, []byte(tag+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{
		BaseURL:          "https://help.example.com/",
		Messenger:        Messenger{AppID: "abc12def", Region: "au"},
		FeedbackEndpoint: "https://feedback.example.com/api/feedback",
		HeadHTMLFile:     head,
		CSPExtra:         csp.Extra{"script-src": {"https://stats.example.com"}},
	}
	site := testSite("")
	out := filepath.Join(dir, "site")
	if _, err := Build(context.Background(), site, out, opts); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	article, home := string(files["en/articles/100-welcome/index.html"]), string(files["en/index.html"])
	for _, page := range []string{article, home} {
		for _, want := range []string{tag, `data-app-id="abc12def" data-api-base="https://api-iam.au.intercom.io"`,
			"script-src &#39;self&#39; https://stats.example.com https://app.intercom.io", "https://uploads.intercomusercontent.com https://feedback.example.com; "} {
			if !strings.Contains(page, want) {
				t.Errorf("a page lacks %s", want)
			}
		}
	}
	if !strings.Contains(article, `id="feedback" hidden`) || !strings.Contains(article, `data-endpoint="https://feedback.example.com/api/feedback" data-article="100" data-locale="en"`) {
		t.Error("the article page has no feedback widget for its article")
	}
	if strings.Contains(home, `id="feedback"`) {
		t.Error("the home page has the feedback widget")
	}
	headers := string(files[HeadersFile])
	if !strings.Contains(headers, "script-src 'self' https://stats.example.com https://app.intercom.io") || !strings.Contains(headers, "form-action 'self' https://intercom.help") {
		t.Errorf("%s:\n%s", HeadersFile, headers)
	}

	opts.Relative = true
	bundle := filepath.Join(dir, "bundle")
	if _, err := Build(context.Background(), site, bundle, opts); err != nil {
		t.Fatal(err)
	}
	files = readTree(t, bundle)
	for name, data := range files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, never := range []string{"stats.example.com", "intercom", `id="feedback"`} {
			if strings.Contains(strings.ToLower(string(data)), never) {
				t.Errorf("bundle page %s holds %s", name, never)
			}
		}
	}
	twin, ok := files["en/articles/100-welcome/index.md"]
	if !ok || !strings.HasPrefix(string(twin), "# Welcome\n") {
		t.Errorf("the bundle's twin: %q", twin)
	}
	if txt := string(files["en/llms.txt"]); !strings.Contains(txt, "](articles/100-welcome/index.md)") {
		t.Errorf("the bundle's llms.txt does not link relatively to the twins:\n%s", txt)
	}
	if !strings.Contains(string(files["en/articles/100-welcome/index.html"]), `type="text/markdown" href="index.md"`) {
		t.Error("the bundle's article page does not link to its twin relatively")
	}
}
