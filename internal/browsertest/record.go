package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
)

// ConsoleMessage is a console message of level error or warning: a call of
// console.error, console.warn or a failed console.assert, or an entry of the
// browser log such as "Failed to load resource".
type ConsoleMessage struct {
	Level  string // "error" or "warning"
	Source string // "console-api" for console calls, else the browser log's source, such as "network"
	Text   string
	URL    string // where the message came from, if known
	Line   int64  // 1-based line in URL, 0 if unknown
}

func (m ConsoleMessage) String() string {
	s := fmt.Sprintf("console %s: %s", m.Level, m.Text)
	switch {
	case m.Line > 0:
		s += fmt.Sprintf(" (%s:%d)", m.URL, m.Line)
	case m.URL != "":
		s += " (" + m.URL + ")"
	}
	return s
}

// CSPViolation is a securitypolicyviolation event: something the page's
// Content-Security-Policy refused (and, for a report-only policy, would
// have refused).
type CSPViolation struct {
	Directive string // the effective directive, such as "script-src-elem" or "style-src-attr"
	Blocked   string // the blocked URL, or "inline", "eval"...
	Sample    string // the first characters of the blocked inline code, if the policy asks for them
	URL       string // the document or script where it happened
	Line      int64  // 1-based line in URL, 0 if unknown
	// ReportOnly is true when the policy was only reporting.
	ReportOnly bool
}

func (v CSPViolation) String() string {
	s := fmt.Sprintf("Content-Security-Policy violation: %s refused %s", v.Directive, v.Blocked)
	if v.ReportOnly {
		s += " (report only)"
	}
	if v.Sample != "" {
		s += fmt.Sprintf(" %q", v.Sample)
	}
	if v.Line > 0 {
		s += fmt.Sprintf(" (%s:%d)", v.URL, v.Line)
	} else if v.URL != "" {
		s += " (" + v.URL + ")"
	}
	return s
}

// cspBinding is the function that cspListener calls to report a violation;
// it exists only in the isolated world cspWorld, out of the page's reach.
const (
	cspBinding = "browsertestCSPViolation"
	cspWorld   = "browsertest"
)

// cspListener runs in every document before its own scripts and reports
// each securitypolicyviolation event, which violations fire at the element
// or document and which bubble, through cspBinding.
const cspListener = `document.addEventListener("securitypolicyviolation", function (e) {
  ` + cspBinding + `(JSON.stringify({
    directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
    url: e.sourceFile || e.documentURI, line: e.lineNumber, reportOnly: e.disposition === "report"
  }));
}, true);`

// FailedRequest is a request that did not load: a network error, a response
// with status 400 or higher for a sub-resource, or a request that the
// browser's URL policy blocked.
type FailedRequest struct {
	URL     string
	Reason  string // such as "404 Not Found" or "net::ERR_FILE_NOT_FOUND"
	Blocked bool   // the policy of New refused the request; it was never sent
}

func (f FailedRequest) String() string {
	return fmt.Sprintf("request %s: %s", f.URL, f.Reason)
}

// recorder collects what a page reports. Its handle method runs in the
// tab's event loop, before the command that follows an event returns, so a
// helper that returns has its events recorded.
type recorder struct {
	mu         sync.Mutex
	console    []ConsoleMessage
	exceptions []string
	failures   []FailedRequest
	failed     map[network.RequestID]bool // requests already in failures
	urls       map[network.RequestID]string
	dialogs    []string
	violations []CSPViolation
	problems   []string // errors of the harness itself

	// Navigation tracking for Click and Press: seq numbers the main-frame
	// navigation events; requested is the seq of the latest navigation
	// request and settled that of the latest load, same-document navigation
	// or stop of loading. navChanged is closed and replaced on each of them.
	mainFrame  cdp.FrameID
	mainURL    string
	seq        uint64
	requested  uint64
	settled    uint64
	navChanged chan struct{}
}

func newRecorder() *recorder {
	return &recorder{
		failed:     make(map[network.RequestID]bool),
		urls:       make(map[network.RequestID]string),
		navChanged: make(chan struct{}),
	}
}

// handle records one CDP event. It must return fast and send no command.
func (r *recorder) handle(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		level := consoleLevel(ev.Type)
		if level == "" {
			return
		}
		m := ConsoleMessage{Level: level, Source: "console-api", Text: argsText(ev.Args)}
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			m.URL, m.Line = st.CallFrames[0].URL, st.CallFrames[0].LineNumber+1
		}
		r.console = append(r.console, m)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError && e.Level != log.EntryLevelWarning {
			return
		}
		m := ConsoleMessage{Level: string(e.Level), Source: string(e.Source), Text: e.Text, URL: e.URL}
		if e.URL != "" && e.Source != log.EntrySourceNetwork {
			m.Line = e.LineNumber + 1
		}
		r.console = append(r.console, m)
	case *runtime.EventExceptionThrown:
		r.exceptions = append(r.exceptions, exceptionText(ev.ExceptionDetails))
	case *network.EventRequestWillBeSent:
		r.urls[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		if ev.Type != network.ResourceTypeDocument && ev.Response.Status >= 400 {
			r.addFailureLocked(ev.RequestID, FailedRequest{
				URL:    ev.Response.URL,
				Reason: strings.TrimSpace(fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.StatusText)),
			})
		}
	case *network.EventLoadingFinished:
		delete(r.urls, ev.RequestID)
	case *network.EventLoadingFailed:
		// A canceled request (ERR_ABORTED), such as an image of a page
		// that was navigated away from, is not a failure of the page.
		if !ev.Canceled {
			reason := ev.ErrorText
			if ev.BlockedReason != "" {
				reason += " (blocked: " + string(ev.BlockedReason) + ")"
			}
			r.addFailureLocked(ev.RequestID, FailedRequest{URL: r.urls[ev.RequestID], Reason: reason})
		}
		delete(r.urls, ev.RequestID)
	case *page.EventJavascriptDialogOpening:
		r.dialogs = append(r.dialogs, fmt.Sprintf("%s: %s", ev.Type, ev.Message))
	case *runtime.EventBindingCalled:
		if ev.Name != cspBinding {
			return
		}
		var v struct {
			Directive, Blocked, Sample, URL string
			Line                            int64
			ReportOnly                      bool
		}
		if err := json.Unmarshal([]byte(ev.Payload), &v); err != nil {
			r.problems = append(r.problems, fmt.Sprintf("browsertest: reading a Content-Security-Policy violation %q: %v", ev.Payload, err))
			return
		}
		r.violations = append(r.violations, CSPViolation(v))
	case *page.EventFrameRequestedNavigation:
		if ev.FrameID == r.mainFrame {
			r.navEventLocked(&r.requested)
		}
	case *page.EventFrameNavigated:
		if ev.Frame.ParentID == "" {
			r.mainURL = ev.Frame.URL
		}
	case *page.EventNavigatedWithinDocument:
		if ev.FrameID == r.mainFrame {
			r.mainURL = ev.URL
			r.navEventLocked(&r.settled)
		}
	case *page.EventFrameStoppedLoading:
		if ev.FrameID == r.mainFrame {
			r.navEventLocked(&r.settled)
		}
	case *page.EventLoadEventFired: // fired for the main frame only
		r.navEventLocked(&r.settled)
	}
}

func (r *recorder) navEventLocked(field *uint64) {
	r.seq++
	*field = r.seq
	close(r.navChanged)
	r.navChanged = make(chan struct{})
}

// setMainFrame names the frame whose navigations Click and Press wait for.
func (r *recorder) setMainFrame(id cdp.FrameID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.mainFrame = id
}

// url returns the URL of the main frame's document, "" before the first one.
func (r *recorder) url() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.mainURL
}

// navMark returns a mark for waitNavigation: the latest navigation request.
func (r *recorder) navMark() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requested
}

// waitNavigation waits until a main-frame navigation requested after mark
// has loaded, or returns at once if none was requested. It returns the URL
// of the latest request for error messages.
func (r *recorder) waitNavigation(ctx context.Context, mark uint64) error {
	for {
		r.mu.Lock()
		pending := r.requested > mark && r.settled < r.requested
		changed := r.navChanged
		r.mu.Unlock()
		if !pending {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("waiting for the navigation it started: %w", ctx.Err())
		}
	}
}

// addFailure records a failed request once, keyed by its network request
// ID when it has one.
func (r *recorder) addFailure(id network.RequestID, f FailedRequest) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addFailureLocked(id, f)
}

func (r *recorder) addFailureLocked(id network.RequestID, f FailedRequest) {
	if id != "" {
		if r.failed[id] {
			return
		}
		r.failed[id] = true
	}
	r.failures = append(r.failures, f)
}

// addProblem records an error of the harness, such as a dialog it could not
// dismiss; NoErrors reports it.
func (r *recorder) addProblem(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, s)
}

// snapshot is a copy of what a recorder holds.
type snapshot struct {
	console    []ConsoleMessage
	exceptions []string
	failures   []FailedRequest
	dialogs    []string
	violations []CSPViolation
	problems   []string
}

func (r *recorder) snapshot() snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	return snapshot{
		console:    slices.Clone(r.console),
		exceptions: slices.Clone(r.exceptions),
		failures:   slices.Clone(r.failures),
		dialogs:    slices.Clone(r.dialogs),
		violations: slices.Clone(r.violations),
		problems:   slices.Clone(r.problems),
	}
}

// errors lists what NoErrors fails on: console errors (not warnings),
// exceptions, failed requests, Content-Security-Policy violations and
// harness problems.
func (s snapshot) errors() []string {
	var errs []string
	for _, m := range s.console {
		if m.Level == string(log.EntryLevelError) {
			errs = append(errs, m.String())
		}
	}
	for _, e := range s.exceptions {
		errs = append(errs, "exception: "+e)
	}
	for _, f := range s.failures {
		errs = append(errs, f.String())
	}
	for _, v := range s.violations {
		errs = append(errs, v.String())
	}
	return append(errs, s.problems...)
}

// consoleLevel maps a console API call to "error", "warning", or "" for the
// calls that are not recorded.
func consoleLevel(typ runtime.ConsoleAPICalledType) string {
	switch typ {
	case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeAssert:
		return "error"
	case runtime.ConsoleAPICalledTypeWarning:
		return "warning"
	}
	return ""
}

// argsText renders console arguments roughly as the DevTools console does.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, remoteText(a))
	}
	return strings.Join(parts, " ")
}

func remoteText(o *runtime.RemoteObject) string {
	switch {
	case o.Type == runtime.RemoteObjectTypeString:
		var s string
		if json.Unmarshal(o.Value, &s) == nil {
			return s
		}
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return string(o.Type)
}

// exceptionText renders an uncaught exception as "Uncaught Error: msg (url:line)".
func exceptionText(d *runtime.ExceptionDetails) string {
	s := d.Text
	if d.Exception != nil {
		// The description of an Error starts with "Name: message" and
		// goes on with the stack.
		desc, _, _ := strings.Cut(remoteText(d.Exception), "\n")
		s += " " + desc
	}
	if d.URL != "" {
		s += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	}
	return s
}
