package csp

import (
	"strings"
	"testing"
)

// TestPolicies checks what each policy allows and that the meta policy
// holds no directive that browsers ignore in a <meta> element.
func TestPolicies(t *testing.T) {
	meta, header := Meta(), Header()
	for _, want := range []string{
		"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
		"object-src 'none'", "base-uri 'self'", "frame-src https://www.youtube.com/embed/ ",
	} {
		if !strings.Contains(meta, want) {
			t.Errorf("meta policy %q lacks %q", meta, want)
		}
	}
	for _, never := range []string{"unsafe-inline", "unsafe-eval", "frame-ancestors", "form-action", "report-uri", "sandbox", "*"} {
		if strings.Contains(meta, never) {
			t.Errorf("meta policy %q holds %q", meta, never)
		}
	}
	if !strings.HasPrefix(header, meta+"; ") || !strings.Contains(header, "frame-ancestors 'self'") || !strings.Contains(header, "form-action 'self'") {
		t.Errorf("header policy %q is not the meta policy with frame-ancestors and form-action", header)
	}
}
