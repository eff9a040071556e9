package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/helpsite/helpsite/internal/testenv"
)

// AxeEnv names the environment variable that holds the path of axe-core's
// axe.min.js (npm package axe-core), which .ci/run installs outside the
// checkout.
const AxeEnv = "HELPSITE_AXE_JS"

// WCAG22AA are the axe-core tags of the WCAG 2.2 level A and AA rules.
var WCAG22AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeSource returns the source of axe-core, read from the file that
// $HELPSITE_AXE_JS names. Without it the test is skipped, or fails in CI.
func AxeSource(t testing.TB) string {
	t.Helper()
	path := os.Getenv(AxeEnv)
	if path == "" {
		testenv.Missing(t, errors.New(AxeEnv+" is not set: install axe-core with npm and set it to node_modules/axe-core/axe.min.js"))
	}
	src, err := os.ReadFile(path)
	if err != nil {
		testenv.Missing(t, fmt.Errorf("%s: %w", AxeEnv, err))
	}
	return string(src)
}

// Emulate sets the page's viewport to width × height CSS pixels and the
// prefers-color-scheme it reports ("light" or "dark"), for the documents
// it loads from now on and the one it shows.
func (p *Page) Emulate(width, height int, scheme string) {
	p.t.Helper()
	p.do(fmt.Sprintf("Emulate(%d, %d, %s)", width, height, scheme), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(width), Height: int64(height), DeviceScaleFactor: 1,
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// An AxeViolation is an axe-core rule that some elements of a page break.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v AxeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n\t\t… and %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n\t\t%v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// Axe runs axe-core (its source, as AxeSource returns it) on the page's
// document with the rules of the given tags and returns the violations.
// DevTools evaluates the source, so the page's Content-Security-Policy
// does not stop it.
func (p *Page) Axe(source string, tags ...string) []AxeViolation {
	p.t.Helper()
	var loaded bool
	p.Eval(source+"\n;typeof axe === \"object\"", &loaded)
	if !loaded {
		p.t.Fatalf("Axe on %s: axe-core did not load", p.lastURL())
	}
	only, err := json.Marshal(tags)
	if err != nil {
		p.t.Fatal(err)
	}
	var violations []AxeViolation
	p.Eval(`axe.run(document, {runOnly: {type: "tag", values: `+string(only)+`}, resultTypes: ["violations"]}).then(r => r.violations)`, &violations)
	return violations
}

// ScreenshotViewport writes a PNG of what the viewport shows to path.
func (p *Page) ScreenshotViewport(path string) {
	p.t.Helper()
	png := run(p, "ScreenshotViewport("+path+")", chromedp.CaptureScreenshot())
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("ScreenshotViewport: %v", err)
	}
}
