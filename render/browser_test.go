package render

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// arabicArticle is the page of article 101 in Arabic, whose slug keeps
// its title's letters, as Intercom's do.
var arabicArticle = url.URL{Path: "/ar/articles/101-إعادة-تعيين-كلمة-المرور/"}

// TestBrowser loads the built test site in headless Chromium: every kind
// of page loads without a console error, the language switcher works from
// the keyboard, Arabic pages run right to left and no script from an
// article body runs.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	out, _ := buildTestSite(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	ctx, take := newBrowser(t)
	check := func(name string) {
		t.Helper()
		for _, p := range take() {
			t.Errorf("%s: %s", name, p)
		}
	}
	// The watch sees a script that runs.
	if err := chromedp.Do(ctx, chromedp.Navigate(`data:text/html,<script>alert("control")</script><footer></footer>`), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatal(err)
	}
	if p := take(); len(p) != 1 {
		t.Errorf("a page that opens a dialog was reported as %q", p)
	}
	for _, p := range []string{
		"/en/", "/fr/collections/10-premiers-pas/", "/en/articles/100-welcome/", arabicArticle.EscapedPath(),
		"/pt-BR/", "/en/search/", "/en/404.html", "/404.html",
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		title, err := chromedp.Run(ctx, chromedp.Title())
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if title == "" {
			t.Errorf("%s has no title", p)
		}
		check(p)
	}

	t.Run("right to left", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+arabicArticle.EscapedPath())); err != nil {
			t.Fatal(err)
		}
		dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("main")).direction`))
		if err != nil {
			t.Fatal(err)
		}
		if dir != "rtl" {
			t.Errorf("the Arabic article's main runs %q", dir)
		}
	})

	t.Run("language switcher", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/en/articles/101-reset-password/"),
			chromedp.Focus(chromedp.CSS(".language-switcher summary")),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.CSS(`.language-switcher a[hreflang="ar"]`)),
			chromedp.Focus(chromedp.CSS(`.language-switcher a[hreflang="ar"]`)),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitReady(chromedp.CSS(`html[lang="ar"]`)),
		)
		if err != nil {
			t.Fatal(err)
		}
		location, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		if path, _ := url.PathUnescape(location); !strings.HasSuffix(path, arabicArticle.Path) {
			t.Errorf("the switcher led to %s", location)
		}
		check("language switcher")
	})
}

// newBrowser starts headless Chromium for the test and returns its
// context and a function that takes the problems seen since the last
// call: console errors, exceptions, failed loads and script dialogs. It
// skips the test without Chromium, except in CI, where it fails.
func newBrowser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; CI must run the browser tests")
		}
		t.Skip("chromium is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(cancelBrowser)

	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	err = chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				report("console error: %v", ev.Args)
			}
		case *runtime.EventExceptionThrown:
			report("exception: %s", ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				report("error: %s %s", ev.Entry.Text, ev.Entry.URL)
			}
		case *page.EventJavascriptDialogOpening:
			report("a script opened a dialog: %q", ev.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		p := problems
		problems = nil
		return p
	}
}
