package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/browsertest"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// TestFeedbackInBrowser chooses a reaction on an article page with the
// keyboard, adds a comment, and checks that both reach /admin/feedback and
// /metrics, that the widget breaks no Content-Security-Policy, and that
// pages without feedback (the admin page aside) stay as they were.
func TestFeedbackInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	axe := browsertest.AxeSource(t)
	h := start(t, 20, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	b := browsertest.New(t)
	p := b.NewPage(t)
	p.Navigate(h.url + "/en/articles/" + id + "/")
	p.WaitVisible("#feedback")
	if got := p.Text("#feedback-question"); got != "Did this answer your question?" {
		t.Errorf("the question is %q", got)
	}
	// Keyboard only: focus the first reaction, move to the sad one with
	// Tab, choose it with Enter; the comment box then has the focus.
	p.Eval(`document.querySelector('.feedback-reaction[data-reaction="3"]').focus()`, nil)
	p.Press("Enter")
	p.WaitVisible("#feedback-text")
	p.Eval(`document.querySelector('.feedback-reaction[data-reaction="1"]').focus()`, nil)
	p.Press(" ") // a button is pressed with Space as well as Enter
	waitFocus(t, p, "feedback-text")
	if got := p.Attr(`.feedback-reaction[data-reaction="1"]`, "aria-pressed"); got != "true" {
		t.Errorf("the chosen reaction has aria-pressed=%q", got)
	}
	// The page, the widget open, passes axe's WCAG 2.2 AA rules.
	for _, v := range p.Axe(axe, browsertest.WCAG22AA...) {
		t.Errorf("axe, feedback widget open: %s", v)
	}
	p.Type("#feedback-text", "The screenshots are out of date <b>since May</b>")
	p.Press("Tab")
	p.Press("Enter")
	p.WaitVisible(".feedback-status")
	if got := p.Text(".feedback-status"); got != "Thanks for your feedback!" {
		t.Errorf("after sending, the status says %q", got)
	}
	p.NoErrors(t)
	browsertest.EnforcesCSP(t, p)

	// One record: the happy reaction was changed to sad, then commented.
	report := adminFeedback(t, h)
	if len(report) != 1 || report[0].Article != id || report[0].Locale != "en" || report[0].Sad != 1 || report[0].Total != 1 ||
		len(report[0].Comments) != 1 || report[0].Comments[0].Text != "The screenshots are out of date since May" {
		t.Errorf("/admin/feedback: %+v", report)
	}
	_, metrics := h.get(t, "/metrics")
	for _, want := range []string{
		fmt.Sprintf(`helpsite_feedback_reactions{article=%q,locale="en",reaction="1"} 1`, id),
		fmt.Sprintf(`helpsite_feedback_reactions{article=%q,locale="en",reaction="3"} 0`, id),
		"helpsite_feedback_accepted_total 3",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// The admin page shows the report, by token, without errors either.
	admin := b.NewPage(t)
	admin.Navigate(h.url + "/admin/feedback/")
	admin.Type("#token", adminToken+"\n")
	admin.WaitVisible("#report tbody tr")
	if got := admin.Text("#report tbody tr"); !strings.Contains(got, "1 (100%)") || !strings.Contains(got, "out of date") {
		t.Errorf("the admin page's row: %q", got)
	}
	admin.NoErrors(t)
}

// waitFocus waits until the element with the id has the focus.
func waitFocus(t *testing.T, p *browsertest.Page, id string) {
	t.Helper()
	waitUntil(t, "the focus on #"+id, func() bool {
		var got string
		p.Eval(`document.activeElement && document.activeElement.id`, &got)
		return got == id
	}, 5e9)
}

type feedbackRow struct {
	Article, Locale string
	Total, Sad      int
	Comments        []struct{ Text string }
}

func adminFeedback(t *testing.T, h *harness) []feedbackRow {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.url+"/admin/feedback", nil)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Articles []feedbackRow }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/admin/feedback: %d %v", resp.StatusCode, err)
	}
	return out.Articles
}

// TestMessengerInBrowser configures Intercom's Messenger and checks that
// every page loads it from Intercom's host (stubbed: the test has no
// network) once the page has loaded, without breaking the
// Content-Security-Policy, which then allows Intercom's hosts; a server
// without it has neither the loader nor Intercom in its policy.
func TestMessengerInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	plain := start(t, 10, fakeintercom.Faults{}, t.TempDir())
	if page := plain.page(t, "/en/", false); strings.Contains(page, "data-app-id") || strings.Contains(strings.ToLower(page), "intercom.io") {
		t.Error("a site without messenger.app_id has the Messenger")
	}
	resp, err := http.Get(plain.url + "/en/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "intercom") {
		t.Errorf("a site without the Messenger allows Intercom: %s", resp.Header.Get("Content-Security-Policy"))
	}
	plain.stop()

	cfg := filepath.Join(t.TempDir(), "helpsite.yaml")
	if err := os.WriteFile(cfg, []byte("messenger: {app_id: abc12def, region: eu}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, 10, fakeintercom.Faults{}, t.TempDir(), "--config", cfg)
	resp, err = http.Get(h.url + "/en/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "https://widget.intercom.io") || !strings.Contains(got, "https://api-iam.eu.intercom.io") {
		t.Errorf("the policy header does not allow Intercom: %s", got)
	}
	b := browsertest.New(t, browsertest.StubHosts("widget.intercom.io", "js.intercomcdn.com", "api-iam.eu.intercom.io"))
	for _, path := range []string{"/en/", "/en/articles/" + publishedArticle(h.api) + "/", "/en/search/?q=the"} {
		p := b.NewPage(t)
		p.Navigate(h.url + path)
		waitUntil(t, "Intercom's widget script on "+path, func() bool {
			var loaded bool
			p.Eval(`performance.getEntriesByType("resource").some(e => e.name === "https://widget.intercom.io/widget/abc12def")`, &loaded)
			return loaded
		}, 10e9)
		var boot struct {
			AppID   string `json:"app_id"`
			APIBase string `json:"api_base"`
			Queued  int
		}
		p.Eval(`({app_id: window.intercomSettings.app_id, api_base: window.intercomSettings.api_base, Queued: window.Intercom.q.length})`, &boot)
		if boot.AppID != "abc12def" || boot.APIBase != "https://api-iam.eu.intercom.io" || boot.Queued != 1 {
			t.Errorf("%s: Intercom was booted with %+v", path, boot)
		}
		if v := p.CSPViolations(); len(v) > 0 {
			t.Errorf("%s: Content-Security-Policy violations %v", path, v)
		}
		p.NoErrors(t)
	}
}
