package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// TestMarkdownTwinFollowsWebhookEdit edits an article's title and body
// through a webhook and checks that its Markdown twin, served as
// text/markdown, and the locale's llms.txt change with the page, and that
// the twin of its old URL is gone.
func TestMarkdownTwinFollowsWebhookEdit(t *testing.T) {
	h := start(t, 20, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	old := pagePath(t, h, id)
	if code, md := h.get(t, old+"index.md"); code != http.StatusOK || !strings.HasPrefix(md, "# ") {
		t.Fatalf("the twin of %s: %d %q", old, code, md)
	}
	err := h.api.UpdateArticle(id, func(a *content.Article) {
		tr := a.Translations["en"]
		tr.Title = "Reconcile payouts with your ledger"
		tr.Body = "<p>Export the <b>payout report</b>:</p><pre><code>helpsite export --since 2026-01-01</code></pre><table><tr><td><b>Column</b></td><td><b>Meaning</b></td></tr><tr><td>amount</td><td>In cents</td></tr></table>"
		a.Translations["en"] = tr
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := h.send(t, "article.updated", id); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	h.waitFor(t, "the new title", func() bool { return h.title(t, id) == "Reconcile payouts with your ledger" })
	page := pagePath(t, h, id)
	resp, err := http.Get(h.url + page + "index.md")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
		t.Errorf("the twin is served as %q", ct)
	}
	_, md := h.get(t, page+"index.md")
	want := "# Reconcile payouts with your ledger\n\nExport the **payout report**:\n\n```\nhelpsite export --since 2026-01-01\n```\n\n| **Column** | **Meaning** |\n|------------|-------------|\n| amount     | In cents    |\n"
	if md != want {
		t.Errorf("the twin after the edit:\n%s\nwant:\n%s", md, want)
	}
	if _, llms := h.get(t, "/en/llms.txt"); !strings.Contains(llms, "[Reconcile payouts with your ledger]("+strings.TrimSuffix(h.url, "/")+page+"index.md)") {
		t.Errorf("en/llms.txt does not list the new title:\n%s", llms)
	}
	if old != page {
		if code, _ := h.get(t, old+"index.md"); code == http.StatusOK {
			t.Errorf("the twin of the old URL %s is still served", old)
		}
	}
}

// pagePath returns the path of article id's English page, following the
// redirects (301s and redirect pages) from its bare id.
func pagePath(t *testing.T, h *harness, id string) string {
	t.Helper()
	resp, err := http.Get(h.url + "/en/articles/" + id + "/")
	if err != nil {
		t.Fatal(err)
	}
	final := resp.Request.URL.EscapedPath()
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if m := refresh.FindStringSubmatch(string(body)); m != nil {
		final = m[1]
	}
	p, _ := url.PathUnescape(final)
	return p
}
