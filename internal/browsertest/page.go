package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Page is a browser tab that records console errors and warnings, uncaught
// exceptions, failed requests and JavaScript dialogs from the moment it
// opens. Its helpers fail the test on error; do not use a Page from several
// goroutines at once.
type Page struct {
	t testing.TB
	// ctx is the chromedp context of the tab. Each helper derives a
	// context with the timeout from it; t.Cleanup cancels it.
	ctx     context.Context
	timeout time.Duration
	rec     *recorder
}

// NewPage opens a tab, in a window of its own, that lives until the end of
// t. Every request it makes goes through the URL policy of New, and every
// alert, confirm or prompt is dismissed and recorded.
func (b *Browser) NewPage(t testing.TB) *Page {
	t.Helper()
	rec := newRecorder()
	// WithListener records the events from the first one on, before any
	// navigation.
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(rec.handle))
	var wg sync.WaitGroup
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	p := &Page{t: t, ctx: ctx, timeout: b.cfg.timeout, rec: rec}

	// The first Run opens the tab and binds it to the context it is given,
	// so it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: opening a tab: %v", err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	wg.Go(func() { dismissDialogs(ctx, dialogs, rec) })
	wg.Go(func() { filterRequests(ctx, paused, b.policy, rec) })

	p.do("setting up the tab", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		tree, err := cdp.Call(ctx, tg, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return fmt.Errorf("getting the frame tree: %w", err)
		}
		rec.setMainFrame(tree.FrameTree.Frame.ID)
		if err := watchCSP(ctx, tg); err != nil {
			return err
		}
		// No pattern: every request pauses until filterRequests answers.
		if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{}); err != nil {
			return fmt.Errorf("enabling request interception: %w", err)
		}
		if b.cfg.offline {
			return emulateOffline(ctx, tg)
		}
		return nil
	}))
	return p
}

// watchCSP makes every document of the tab report its
// Content-Security-Policy violations to the recorder, from an isolated
// world, whose binding the page's own scripts can neither see nor call.
func watchCSP(ctx context.Context, tg *chromedp.Target) error {
	if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: cspBinding, ExecutionContextName: cspWorld}); err != nil {
		return fmt.Errorf("adding the Content-Security-Policy binding: %w", err)
	}
	if _, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener, WorldName: cspWorld}); err != nil {
		return fmt.Errorf("adding the Content-Security-Policy listener: %w", err)
	}
	return nil
}

// dismissDialogs dismisses every JavaScript dialog as it opens; handle has
// recorded it already. It returns when the page's context ends.
func dismissDialogs(ctx context.Context, dialogs iter.Seq2[page.EventJavascriptDialogOpening, error], rec *recorder) {
	for ev, err := range dialogs {
		if err != nil {
			return
		}
		_, err := chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		if err != nil && ctx.Err() == nil {
			rec.addProblem(fmt.Sprintf("browsertest: dismissing %s(%q): %v", ev.Type, ev.Message, err))
		}
	}
}

// Navigate loads url, waits for its load event, and returns the HTTP status
// of the document: Chromium reports 200 for a file:// page that exists, and
// 0 for a same-document (#fragment) navigation. A document with status 404
// loads normally; a URL that cannot load at all, such as a blocked one,
// fails the test.
func (p *Page) Navigate(url string) int {
	p.t.Helper()
	resp := run(p, "Navigate("+url+")", chromedp.NavigateResponse(url))
	if resp == nil {
		return 0
	}
	return int(resp.Status)
}

// Eval evaluates the JavaScript expression js, awaiting it if it is a
// promise, and decodes its JSON value into out; out may be nil to discard it.
func (p *Page) Eval(js string, out any) {
	p.t.Helper()
	raw := run(p, "Eval("+js+")", chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if out == nil {
		return
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.t.Fatalf("Eval(%s): decoding %s into %T: %v", js, raw, out, err)
	}
}

// Text returns the visible text (innerText) of the first element matching
// the CSS selector, waiting for the element to exist.
func (p *Page) Text(selector string) string {
	p.t.Helper()
	return run(p, "Text("+selector+")", chromedp.Text(chromedp.CSS(selector)))
}

// Attr returns the value of the attribute name of the first element matching the CSS
// selector, or "" if the element has no such attribute. It waits for the
// element to exist.
func (p *Page) Attr(selector, name string) string {
	p.t.Helper()
	res := run(p, fmt.Sprintf("Attr(%s, %s)", selector, name), chromedp.AttributeValue(chromedp.CSS(selector), name))
	return res.Value
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (p *Page) WaitVisible(selector string) {
	p.t.Helper()
	p.do("WaitVisible("+selector+")", chromedp.WaitVisible(chromedp.CSS(selector)))
}

// Click clicks the first visible element matching the CSS selector, and if
// the click starts a navigation of the page, waits until it has loaded.
func (p *Page) Click(selector string) {
	p.t.Helper()
	p.act("Click("+selector+")", chromedp.Click(chromedp.CSS(selector)))
}

// Type focuses the first element matching the CSS selector and types text
// into it with real key events, so the page's key and input handlers run.
// A navigation that the keys start (such as "\n" in a form) is waited for.
func (p *Page) Type(selector, text string) {
	p.t.Helper()
	p.act(fmt.Sprintf("Type(%s, %q)", selector, text), chromedp.SendKeys(chromedp.CSS(selector), text))
}

// Press presses and releases one key in the focused element. key is a DOM
// key name such as "Enter", "ArrowDown", "Escape" or "Tab", or a single
// character. A navigation that the key starts is waited for.
func (p *Page) Press(key string) {
	p.t.Helper()
	r, ok := keyRune(key)
	if !ok {
		p.t.Fatalf("Press(%q): unknown key", key)
	}
	p.act(fmt.Sprintf("Press(%q)", key), chromedp.KeyEvent(string(r)))
}

// keyRune finds the rune that package kb encodes as the DOM key named key.
func keyRune(key string) (rune, bool) {
	if rs := []rune(key); len(rs) == 1 {
		return rs[0], true
	}
	for r, k := range kb.Keys {
		if k.Key == key {
			return r, true
		}
	}
	return 0, false
}

// URL returns the URL of the page.
func (p *Page) URL() string {
	p.t.Helper()
	return run(p, "URL()", chromedp.Location())
}

// Screenshot writes a PNG of the whole page to path, for debugging.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	png := run(p, "Screenshot("+path+")", chromedp.FullScreenshot(100))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("Screenshot: %v", err)
	}
}

// Console returns the console messages of level error or warning so far.
func (p *Page) Console() []ConsoleMessage { return p.rec.snapshot().console }

// Exceptions returns the uncaught exceptions so far, as text.
func (p *Page) Exceptions() []string { return p.rec.snapshot().exceptions }

// FailedRequests returns the requests that failed or were blocked so far.
func (p *Page) FailedRequests() []FailedRequest { return p.rec.snapshot().failures }

// CSPViolations returns the Content-Security-Policy violations so far.
func (p *Page) CSPViolations() []CSPViolation { return p.rec.snapshot().violations }

// Dialogs returns the JavaScript dialogs opened so far, each as "type:
// message", such as "alert: 1". They were dismissed.
func (p *Page) Dialogs() []string { return p.rec.snapshot().dialogs }

// NoErrors reports an error on t if the page has logged a console error,
// thrown an uncaught exception, had a failed request or violated its
// Content-Security-Policy. Console warnings and
// dialogs do not count; check them with Console and Dialogs.
func (p *Page) NoErrors(t testing.TB) {
	t.Helper()
	if errs := p.rec.snapshot().errors(); len(errs) > 0 {
		t.Errorf("page %s has %d error(s):\n\t%s", p.lastURL(), len(errs), strings.Join(errs, "\n\t"))
	}
}

// act runs the steps of a user action and then, if they requested a
// navigation of the main frame, waits until it has loaded.
func (p *Page) act(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	mark := p.rec.navMark()
	p.do(what, append(steps, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// A round trip through the renderer, so that the request of a
		// navigation that the steps started has been recorded (DevTools
		// also holds the command until such a navigation commits). An
		// error only means the old document is gone, so ignore it.
		_, _ = cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: "0"})
		return p.rec.waitNavigation(ctx, mark)
	}))...)
}

// do runs steps with the page's timeout and fails the test on error.
func (p *Page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	run(p, what, chromedp.Steps(steps...))
}

// run runs a with the page's timeout and fails the test on error, with what
// the page has recorded so far.
func run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		msg := fmt.Sprintf("%s on %s: %v", what, p.lastURL(), err)
		if errs := p.rec.snapshot().errors(); len(errs) > 0 {
			msg += "\nthe page recorded:\n\t" + strings.Join(errs, "\n\t")
		}
		p.t.Fatalf("%s", msg)
	}
	return v
}

// lastURL returns the page's URL for messages, without waiting on the page.
func (p *Page) lastURL() string {
	if u := p.rec.url(); u != "" {
		return u
	}
	return "(no page loaded)"
}
