package browsertest

import (
	"slices"
	"strings"
	"testing"
)

// EnforcesCSP fails t unless the page has had no Content-Security-Policy
// violation so far, and unless its policy is really enforced, which makes
// "no violation" mean something: it then adds an inline script and an
// inline style attribute to the page and checks that the first did not run,
// the second was not applied and both were reported. Call it last on a page
// (after NoErrors): the violations it provokes stay recorded.
func EnforcesCSP(t testing.TB, p *Page) {
	t.Helper()
	if v := p.CSPViolations(); len(v) > 0 {
		t.Errorf("%s: %d Content-Security-Policy violation(s): %v", p.URL(), len(v), v)
		return
	}
	var probe struct{ Ran, Styled bool }
	p.Eval(`(() => {
		const s = document.createElement("script");
		s.textContent = "window.browsertestInlineRan = true";
		document.body.append(s);
		const d = document.createElement("div");
		d.setAttribute("style", "width: 123px");
		document.body.append(d);
		const styled = getComputedStyle(d).width === "123px";
		d.remove();
		return new Promise(done => setTimeout(() => done({ran: window.browsertestInlineRan === true, styled}), 50));
	})()`, &probe)
	if probe.Ran || probe.Styled {
		t.Errorf("%s: the Content-Security-Policy is not enforced: an inline script ran (%v), an inline style applied (%v)", p.URL(), probe.Ran, probe.Styled)
	}
	// A page with a policy in a header and one in a <meta> reports a
	// violation of both once for each.
	var directives []string
	for _, v := range p.CSPViolations() {
		directives = append(directives, v.Directive)
	}
	slices.Sort(directives)
	directives = slices.Compact(directives)
	if !slices.Equal(directives, []string{"script-src-elem", "style-src-attr"}) {
		t.Errorf("%s: the probes of the Content-Security-Policy were reported as %v, want script-src-elem and style-src-attr", p.URL(), p.CSPViolations())
	}
}

// VisitClean opens url in a new tab of b, waits until an element matching
// the CSS selector is visible, and fails t if the page recorded any error
// (as NoErrors) or Content-Security-Policy violation, or does not enforce
// its policy (EnforcesCSP). A page served with an error status, such as a
// 404 page, may have the console error that Chromium logs for its status.
func VisitClean(t testing.TB, b *Browser, url, selector string) {
	t.Helper()
	p := b.NewPage(t)
	status := p.Navigate(url)
	p.WaitVisible(selector)
	snap := p.rec.snapshot()
	if status >= 400 {
		snap.console = slices.DeleteFunc(snap.console, func(m ConsoleMessage) bool {
			return m.Source == "network" && m.URL == url
		})
	}
	if errs := snap.errors(); len(errs) > 0 {
		t.Errorf("page %s has %d error(s):\n\t%s", url, len(errs), strings.Join(errs, "\n\t"))
	}
	EnforcesCSP(t, p)
}
