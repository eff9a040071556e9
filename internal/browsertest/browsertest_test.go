package browsertest

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pages are the test pages, by path. %s in a page is replaced with the URL of
// the outside server, a loopback server that pages must never reach when
// the policy excludes it.
var pages = map[string]string{
	"/clean": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clean</title>
<link rel="icon" href="data:,"></head>
<body><h1 id="title" dir="rtl">Hello</h1>
<a id="next" href="/second">next</a> <a id="slow" href="/slow">slow</a>
<button id="count" onclick="this.textContent = Number(this.textContent) + 1">0</button>
</body></html>`,
	"/second": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Second</title>
<link rel="icon" href="data:,"></head><body><h1>Second</h1></body></html>`,
	"/console-error": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<script>console.warn("careful"); console.error("boom", 42);</script></body></html>`,
	"/exception": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<script>throw new Error("kaboom");</script></body></html>`,
	"/missing-image": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<img src="/no-such-image.png" alt=""></body></html>`,
	"/alert": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<p id="after">after</p><script>alert(1); document.getElementById("after").textContent = "dismissed";</script></body></html>`,
	"/echo": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<input id="q" autocomplete="off"><output id="out"></output>
<script>
const q = document.getElementById("q"), out = document.getElementById("out");
q.addEventListener("input", () => { out.textContent = "you typed " + q.value; });
q.addEventListener("keydown", (e) => {
	if (e.key === "Enter") location.href = "/second?q=" + encodeURIComponent(q.value);
});
</script></body></html>`,
	"/slow": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><h1>Slow</h1>
<img src="/slow.svg" alt=""><input id="q"><script>
document.getElementById("q").addEventListener("keydown", (e) => { if (e.key === "Enter") location.href = "/slow?from=key"; });
</script></body></html>`,
	"/form": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<form action="/second"><input id="q" name="q"></form></body></html>`,
	// Pages under a Content-Security-Policy that allows only the site's own
	// scripts and styles: one that keeps to it, with a JSON data block (not
	// run, so not a violation), and one that breaks it three ways.
	"/csp-good": `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="` + testPolicy + `">
<link rel="icon" href="data:,"><script src="/csp.js?eval=0" defer></script></head><body><h1 id="h">Good</h1>
<script type="application/json" id="data">{"a": 1}</script></body></html>`,
	"/csp-bad": `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="` + testPolicy + `">
<link rel="icon" href="data:,"><script src="/csp.js?eval=1" defer></script></head><body><h1 id="h" style="color: red">Bad</h1>
<script>document.title = "inline ran";</script></body></html>`,
	"/csp.js": `if (location.search === "" && document.currentScript.src.endsWith("eval=1")) {
  try { eval("1"); } catch (e) { document.getElementById("h").dataset.eval = "refused"; }
}`,
	"/frame": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<iframe id="video" src="https://player.example/embed/1" sandbox="allow-scripts"></iframe></body></html>`,
	"/external": `<!doctype html><html><head><link rel="icon" href="data:,"></head><body>
<img src="http://example.invalid/x.png" alt=""><img src="%s/x.png" alt=""></body></html>`,
}

// testPolicy is the Content-Security-Policy of the /csp- pages.
const testPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"

// slowImage is how long the server takes to answer /slow.svg.
const slowImage = 300 * time.Millisecond

// servers starts the test site and the outside server, and returns them with
// a counter of the requests that reached the outside server.
func servers(t *testing.T) (site, outside *httptest.Server, outsideHits *atomic.Int64) {
	t.Helper()
	outsideHits = new(atomic.Int64)
	outside = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		outsideHits.Add(1)
	}))
	t.Cleanup(outside.Close)
	site = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/slow.svg" {
			// Slow enough that a helper which did not wait for the load
			// event would see the page still loading.
			time.Sleep(slowImage)
			w.Header().Set("Content-Type", "image/svg+xml")
			fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasSuffix(r.URL.Path, ".js") {
			w.Header().Set("Content-Type", "text/javascript")
		}
		if strings.Contains(body, "%s") {
			body = fmt.Sprintf(body, outside.URL)
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(site.Close)
	return site, outside, outsideHits
}

// fakeTB records what a helper reports. Fatalf and Skipf end the goroutine,
// as their testing.T counterparts do, so run code that may call them with
// callStopping.
type fakeTB struct {
	testing.TB
	mu                 sync.Mutex
	errors             []string
	failedNow, skipped bool
}

func (f *fakeTB) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.mu.Lock()
	f.failedNow = true
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.mu.Lock()
	f.skipped = true
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeTB) report() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.errors, "\n")
}

// callStopping runs fn in a goroutine, which Fatalf or Skipf of a fakeTB may end.
func callStopping(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

// open opens a page of b at url.
func open(t *testing.T, b *Browser, url string) *Page {
	t.Helper()
	p := b.NewPage(t)
	p.Navigate(url)
	return p
}

// noErrorsReport runs p.NoErrors on a fake and returns what it reported.
func noErrorsReport(t *testing.T, p *Page) string {
	f := &fakeTB{TB: t}
	p.NoErrors(f)
	return f.report()
}

func hasConsole(msgs []ConsoleMessage, level, text string) bool {
	return slices.ContainsFunc(msgs, func(m ConsoleMessage) bool {
		return m.Level == level && strings.Contains(m.Text, text)
	})
}

func TestDetection(t *testing.T) {
	site, _, _ := servers(t)
	b := New(t)

	t.Run("clean page", func(t *testing.T) {
		p := b.NewPage(t)
		if status := p.Navigate(site.URL + "/clean"); status != http.StatusOK {
			t.Errorf("Navigate status = %d, want 200", status)
		}
		if got := p.Text("#title"); got != "Hello" {
			t.Errorf("Text(#title) = %q, want Hello", got)
		}
		if got := p.Attr("#title", "dir"); got != "rtl" {
			t.Errorf("Attr(#title, dir) = %q, want rtl", got)
		}
		if got := p.Attr("#title", "lang"); got != "" {
			t.Errorf("Attr(#title, lang) = %q for a missing attribute, want empty", got)
		}
		var sum int
		p.Eval(`Promise.resolve(40 + 2)`, &sum)
		if sum != 42 {
			t.Errorf("Eval(40 + 2) = %d", sum)
		}
		p.NoErrors(t)
		if d := p.Dialogs(); len(d) != 0 {
			t.Errorf("Dialogs() = %q on a page without dialogs", d)
		}
	})

	t.Run("console error", func(t *testing.T) {
		p := open(t, b, site.URL+"/console-error")
		msgs := p.Console()
		if !hasConsole(msgs, "error", "boom 42") || !hasConsole(msgs, "warning", "careful") {
			t.Errorf("Console() = %v, want the error %q and the warning %q", msgs, "boom 42", "careful")
		}
		if r := noErrorsReport(t, p); !strings.Contains(r, "boom 42") || strings.Contains(r, "careful") {
			t.Errorf("NoErrors reported %q, want the console error and not the warning", r)
		}
	})

	t.Run("uncaught exception", func(t *testing.T) {
		p := open(t, b, site.URL+"/exception")
		if ex := p.Exceptions(); len(ex) != 1 || !strings.Contains(ex[0], "Error: kaboom") {
			t.Errorf("Exceptions() = %q, want one with Error: kaboom", ex)
		}
		if r := noErrorsReport(t, p); !strings.Contains(r, "kaboom") {
			t.Errorf("NoErrors reported %q, want the exception", r)
		}
	})

	t.Run("missing image", func(t *testing.T) {
		p := open(t, b, site.URL+"/missing-image")
		want := FailedRequest{URL: site.URL + "/no-such-image.png", Reason: "404 Not Found"}
		if got := p.FailedRequests(); !slices.Contains(got, want) {
			t.Errorf("FailedRequests() = %v, want %v", got, want)
		}
		if r := noErrorsReport(t, p); !strings.Contains(r, "/no-such-image.png") {
			t.Errorf("NoErrors reported %q, want the missing image", r)
		}
	})

	t.Run("alert", func(t *testing.T) {
		p := open(t, b, site.URL+"/alert")
		if got := p.Dialogs(); !slices.Equal(got, []string{"alert: 1"}) {
			t.Errorf("Dialogs() = %q, want [alert: 1]", got)
		}
		if got := p.Text("#after"); got != "dismissed" {
			t.Errorf("after the alert, #after = %q; the dialog was not dismissed", got)
		}
	})
}

// wantSecond checks that p shows the page /second at wantURL.
func wantSecond(t *testing.T, p *Page, wantURL string) {
	t.Helper()
	if got := p.URL(); got != wantURL {
		t.Errorf("URL() = %q, want %q", got, wantURL)
	}
	if got := p.Text("h1"); got != "Second" {
		t.Errorf("h1 = %q, want Second", got)
	}
}

// TestCSPViolations checks that a page's Content-Security-Policy
// violations are recorded and fail NoErrors, over HTTP and from file://,
// and that a page that keeps to its policy has none.
func TestCSPViolations(t *testing.T) {
	site, _, _ := servers(t)
	b := New(t)

	t.Run("kept", func(t *testing.T) {
		p := open(t, b, site.URL+"/csp-good")
		if v := p.CSPViolations(); len(v) != 0 {
			t.Errorf("CSPViolations() = %v on a page that keeps to its policy", v)
		}
		p.NoErrors(t)
		EnforcesCSP(t, p)
	})

	t.Run("not enforced", func(t *testing.T) {
		f := &fakeTB{TB: t}
		callStopping(func() { EnforcesCSP(f, open(t, b, site.URL+"/clean")) })
		if r := f.report(); !strings.Contains(r, "not enforced") {
			t.Errorf("EnforcesCSP on a page without a policy reported %q", r)
		}
	})

	t.Run("broken", func(t *testing.T) {
		p := open(t, b, site.URL+"/csp-bad")
		p.WaitVisible(`#h[data-eval="refused"]`)
		got := map[string]string{}
		for _, v := range p.CSPViolations() {
			got[v.Directive] = v.Blocked
		}
		want := map[string]string{"script-src-elem": "inline", "style-src-attr": "inline", "script-src": "eval"}
		if !maps.Equal(got, want) {
			t.Errorf("CSPViolations() = %v, want by directive %v", p.CSPViolations(), want)
		}
		if r := noErrorsReport(t, p); !strings.Contains(r, "Content-Security-Policy violation: script-src-elem refused inline") {
			t.Errorf("NoErrors reported %q, want the inline script", r)
		}
		var title string
		p.Eval(`document.title`, &title)
		if title == "inline ran" {
			t.Error("the inline script ran")
		}
	})

	// Chromium matches 'self' against the file: URLs of the page's own
	// files, in its directory and above it.
	t.Run("file", func(t *testing.T) {
		dir := t.TempDir()
		files := map[string]string{
			"sub/index.html": `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="` + testPolicy + `">
<link rel="icon" href="data:,"><link rel="stylesheet" href="../style.css"><script src="run.js" defer></script></head>
<body><h1 id="h">File</h1><p id="inline" style="color: red">x</p></body></html>`,
			"sub/run.js": `document.getElementById("h").dataset.ran = "yes";`,
			"style.css":  `#h { color: rgb(1, 2, 3); }`,
		}
		for name, body := range files {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p := open(t, b, "file://"+filepath.Join(dir, "sub", "index.html"))
		p.WaitVisible(`#h[data-ran="yes"]`)
		var color string
		p.Eval(`getComputedStyle(document.getElementById("h")).color`, &color)
		if color != "rgb(1, 2, 3)" {
			t.Errorf("the stylesheet from the parent directory was not applied: color %q", color)
		}
		v := p.CSPViolations()
		if len(v) != 1 || v[0].Directive != "style-src-attr" {
			t.Errorf("CSPViolations() = %v, want only the style attribute", v)
		}
	})
}

// TestStubHosts checks that a frame from a stubbed host loads browsertest's
// empty page, without a failed request, where it is blocked otherwise.
func TestStubHosts(t *testing.T) {
	site, _, _ := servers(t)
	p := open(t, New(t, StubHosts("https://player.example/embed/")), site.URL+"/frame")
	p.NoErrors(t)
	blocked := open(t, New(t), site.URL+"/frame").FailedRequests()
	if len(blocked) != 1 || !blocked[0].Blocked || blocked[0].URL != "https://player.example/embed/1" {
		t.Errorf("without StubHosts, FailedRequests() = %v, want the frame blocked", blocked)
	}
}

func TestInput(t *testing.T) {
	site, _, _ := servers(t)
	b := New(t)

	t.Run("type, then Enter navigates", func(t *testing.T) {
		p := open(t, b, site.URL+"/echo")
		p.Type("#q", "héllo <b>")
		if got := p.Text("#out"); got != "you typed héllo <b>" {
			t.Errorf("echo = %q, want the typed text", got)
		}
		p.Press("Enter")
		wantSecond(t, p, site.URL+"/second?q=h%C3%A9llo%20%3Cb%3E")
		p.NoErrors(t)
	})

	t.Run("Enter submits a form", func(t *testing.T) {
		p := open(t, b, site.URL+"/form")
		p.Type("#q", "abc\n")
		wantSecond(t, p, site.URL+"/second?q=abc")
	})

	t.Run("click", func(t *testing.T) {
		p := open(t, b, site.URL+"/clean")
		p.Click("#count")
		p.Click("#count")
		if got := p.Text("#count"); got != "2" {
			t.Errorf("after two clicks, #count = %q, want 2", got)
		}
		p.Click("#next")
		wantSecond(t, p, site.URL+"/second")
		p.NoErrors(t)
	})

	t.Run("waits for a slow navigation", func(t *testing.T) {
		p := open(t, b, site.URL+"/clean")
		var state struct{ Path, ReadyState string }
		const stateJS = `({Path: location.pathname + location.search, ReadyState: document.readyState})`
		p.Click("#slow")
		p.Eval(stateJS, &state)
		if state.Path != "/slow" || state.ReadyState != "complete" {
			t.Errorf("right after clicking the link, the page is %+v, want /slow complete", state)
		}
		p.Type("#q", "x")
		p.Press("Enter")
		p.Eval(stateJS, &state)
		if state.Path != "/slow?from=key" || state.ReadyState != "complete" {
			t.Errorf("right after Enter, the page is %+v, want /slow?from=key complete", state)
		}
	})

	t.Run("arrow key", func(t *testing.T) {
		p := open(t, b, site.URL+"/echo")
		p.Eval(`window.keys = []; document.getElementById("q").addEventListener("keydown", e => keys.push(e.key)); document.getElementById("q").focus()`, nil)
		p.Press("ArrowDown")
		p.Press("Escape")
		var keys []string
		p.Eval(`window.keys`, &keys)
		if !slices.Equal(keys, []string{"ArrowDown", "Escape"}) {
			t.Errorf("keydown events = %q, want [ArrowDown Escape]", keys)
		}
	})

	t.Run("screenshot", func(t *testing.T) {
		p := open(t, b, site.URL+"/clean")
		path := filepath.Join(t.TempDir(), "page.png")
		p.Screenshot(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "\x89PNG\r\n") {
			t.Errorf("screenshot starts with %q, want a PNG", data[:min(8, len(data))])
		}
	})
}

func TestBlocking(t *testing.T) {
	site, outside, outsideHits := servers(t)
	siteHost := strings.TrimPrefix(site.URL, "http://")

	check := func(t *testing.T, p *Page) {
		t.Helper()
		got := p.FailedRequests()
		for _, u := range []string{"http://example.invalid/x.png", outside.URL + "/x.png"} {
			want := FailedRequest{URL: u, Reason: blockedReason, Blocked: true}
			if !slices.Contains(got, want) {
				t.Errorf("FailedRequests() = %v, want %v", got, want)
			}
		}
		if r := noErrorsReport(t, p); !strings.Contains(r, "example.invalid") {
			t.Errorf("NoErrors reported %q, want the blocked request", r)
		}
		if n := outsideHits.Load(); n != 0 {
			t.Errorf("the outside server got %d request(s), want none", n)
		}
	}

	t.Run("AllowHosts", func(t *testing.T) {
		p := open(t, New(t, AllowHosts(siteHost)), site.URL+"/external")
		check(t, p)
	})

	t.Run("Offline file page", func(t *testing.T) {
		dir := t.TempDir()
		files := map[string]string{
			"index.html": fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="app.js"></script></head><body><p id="status">not run</p>
<img src="http://example.invalid/x.png" alt=""><img src="%s/x.png" alt=""></body></html>`, outside.URL),
			"app.js": `addEventListener("DOMContentLoaded", () => {
	document.getElementById("status").textContent = navigator.onLine ? "online" : "offline";
});`,
			"clean.html": `<!doctype html><html><head><link rel="icon" href="data:,"><script src="app.js"></script></head>
<body><p id="status">not run</p></body></html>`,
		}
		for name, body := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b := New(t, Offline())

		p := open(t, b, "file://"+filepath.Join(dir, "clean.html"))
		if got := p.Text("#status"); got != "offline" {
			t.Errorf("#status = %q, want offline (the script ran and navigator.onLine is false)", got)
		}
		p.NoErrors(t)

		p = open(t, b, "file://"+filepath.Join(dir, "index.html"))
		check(t, p)

		// A loopback server is not local in Offline mode.
		f := &fakeTB{TB: t}
		callStopping(func() {
			p := b.NewPage(f)
			p.Navigate(site.URL + "/clean")
		})
		if r := f.report(); !strings.Contains(r, "Navigate") || !strings.Contains(r, "ERR_BLOCKED_BY_CLIENT") {
			t.Errorf("navigating to a loopback server offline reported %q, want a blocked navigation", r)
		}
	})
}

func TestNewOptions(t *testing.T) {
	t.Run("non-loopback host", func(t *testing.T) {
		f := &fakeTB{TB: t}
		callStopping(func() { New(f, AllowHosts("example.com:80")) })
		if !f.failedNow || !strings.Contains(f.report(), "not a loopback host") {
			t.Errorf("AllowHosts(example.com:80): failed=%v, report %q; want a failure", f.failedNow, f.report())
		}
	})

	t.Run("no chromium", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		for _, ci := range []string{"", "true"} {
			t.Setenv("CI", ci)
			f := &fakeTB{TB: t}
			callStopping(func() { New(f) })
			if wantFail := ci != ""; f.failedNow != wantFail || f.skipped == wantFail {
				t.Errorf("CI=%q: failed=%v skipped=%v, want failed=%v", ci, f.failedNow, f.skipped, wantFail)
			}
		}
	})
}
