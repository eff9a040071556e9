package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// readyz is /readyz's answer.
type readyz struct {
	Ready    bool              `json:"ready"`
	Degraded bool              `json:"degraded"`
	Skipped  []content.Skipped `json:"skipped"`
}

func (h *harness) readyz(t testing.TB) readyz {
	t.Helper()
	_, body := h.get(t, "/readyz")
	var r readyz
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("/readyz: %v: %s", err, body)
	}
	return r
}

func (r readyz) skips(id string) bool {
	return slices.ContainsFunc(r.Skipped, func(s content.Skipped) bool { return s.ID == id })
}

// The server comes up on a help center with hostile content, writes
// nothing outside its data directory, publishes the rest and names what
// it left out in /readyz.
func TestServerSurvivesHostileContent(t *testing.T) {
	root := filepath.Join(t.TempDir(), "root")
	data := filepath.Join(root, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 20, Locales: []string{"en", "fr"}, HelpCenters: 1, Seed: 8})
	hostile := fakeintercom.AddHostile(site, "en", root)
	api := fakeintercom.New(site, fakeintercom.Options{Window: time.Second})
	apiSrv := httptest.NewServer(api)
	t.Cleanup(apiSrv.Close)
	api.SetBaseURL(apiSrv.URL)
	h := startServer(t, api, apiSrv.URL, data)

	st := h.readyz(t)
	if !st.Ready || !st.Degraded {
		t.Errorf("/readyz = %+v, want ready and degraded", st)
	}
	for _, id := range hostile.Refused {
		if !st.skips(id) {
			t.Errorf("/readyz does not name %s", content.Quote(id))
		}
	}
	for _, id := range hostile.Survivors {
		if h.title(t, id) == "" {
			t.Errorf("article %s is not published", id)
		}
	}
	_, metrics := h.get(t, "/metrics")
	if !strings.Contains(metrics, fmt.Sprintf(`helpsite_degraded_items{kind="skipped"} %d`+"\n", len(st.Skipped))) {
		t.Errorf("the metrics do not count %d skipped items", len(st.Skipped))
	}

	// An edit that adds a malformed locale to a good article is refused
	// at that translation; the article's edit is published.
	id := hostile.Survivors[0]
	if err := api.UpdateArticle(id, func(a *content.Article) {
		tr := a.Translations["en"]
		tr.Title = "Still published in English"
		a.Translations["en"] = tr
		a.Translations["../../escape-webhook"] = tr
	}); err != nil {
		t.Fatal(err)
	}
	if s := h.send(t, "article.updated", id); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	h.waitFor(t, "the edit", func() bool { return h.title(t, id) == "Still published in English" })
	h.waitFor(t, "the refused locale in /readyz", func() bool { return h.readyz(t).skips(id) })

	h.stop()
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != root && p != data && !strings.HasPrefix(p, data+string(filepath.Separator)) {
			t.Errorf("%s was written outside the data directory", p)
		}
		return nil
	})
}

// One article that cannot be rendered on a running server is left out
// (its last good page keeps serving), later edits of ten other articles
// all go live, /readyz names it, and fixing it publishes it.
func TestUnrenderableArticleBlocksNothing(t *testing.T) {
	dir := t.TempDir()
	layouts := filepath.Join(dir, "layouts", "partials")
	config := filepath.Join(dir, "helpsite.yaml")
	if err := os.MkdirAll(layouts, 0o755); err != nil {
		t.Fatal(err)
	}
	// A table-of-contents override that trips on some titles, as a user's
	// template might on unusual data.
	toc := `{{ if in .Title "BREAK" }}{{ int "not a number" }}{{ end }}`
	if err := os.WriteFile(filepath.Join(layouts, "toc.html"), []byte(toc), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte("site:\n  layouts: "+filepath.Dir(layouts)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, 30, fakeintercom.Faults{}, filepath.Join(dir, "data"), "--config", config)
	var ids []string
	for _, a := range h.api.Site().Articles {
		if a.Translations["en"].Published() {
			ids = append(ids, a.ID)
		}
	}
	bad, others := ids[0], ids[1:12]
	good := h.title(t, bad)

	retitle(h.api, t, bad, "BREAK the template")
	if s := h.send(t, "article.updated", bad); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	h.waitFor(t, "/readyz to name the broken article", func() bool { return h.readyz(t).skips(bad) })
	if got := h.title(t, bad); got != good {
		t.Errorf("the broken article's last good page %q is not served: %q", good, got)
	}

	for i, id := range others {
		retitle(h.api, t, id, fmt.Sprintf("Edited while one article is broken %d", i))
		if s := h.send(t, "article.updated", id); s != http.StatusOK {
			t.Fatalf("webhook answered %d", s)
		}
	}
	for i, id := range others {
		want := fmt.Sprintf("Edited while one article is broken %d", i)
		h.waitFor(t, "edit "+want, func() bool { return h.title(t, id) == want })
	}
	st := h.readyz(t)
	if !st.Ready || !st.Degraded || !st.skips(bad) {
		t.Errorf("/readyz = %+v, want ready, degraded, naming %s", st, bad)
	}

	retitle(h.api, t, bad, "Fixed title")
	if s := h.send(t, "article.updated", bad); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	h.waitFor(t, "the fixed article", func() bool { return h.title(t, bad) == "Fixed title" })
	h.waitFor(t, "/readyz to clear", func() bool { st := h.readyz(t); return !st.Degraded && !st.skips(bad) })
}
