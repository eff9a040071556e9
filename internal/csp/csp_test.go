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

// TestExtra checks that extra sources extend their directives, in meta
// and header alike, that header-only ones stay out of the meta policy, and
// that the base policy is unchanged without them.
func TestExtra(t *testing.T) {
	extra := Extra{"script-src": {"https://cdn.example.com"}, "connect-src": {"https://api.example.com"}, "form-action": {"https://intercom.help"}}
	meta, header := Meta(extra), Header(extra)
	for _, want := range []string{"script-src 'self' https://cdn.example.com", "connect-src 'self' https://api.example.com"} {
		if !strings.Contains(meta, want) || !strings.Contains(header, want) {
			t.Errorf("policies %q / %q lack %q", meta, header, want)
		}
	}
	if strings.Contains(meta, "form-action") || !strings.Contains(header, "form-action 'self' https://intercom.help") {
		t.Errorf("form-action: meta %q, header %q", meta, header)
	}
	if Meta() != Meta(Extra{}) || strings.Contains(Meta(), "intercom") {
		t.Errorf("the policy without extras changed: %q", Meta())
	}
	if m := Meta(Messenger()); !strings.Contains(m, "https://widget.intercom.io") || !strings.Contains(m, "style-src 'self' 'unsafe-inline'") {
		t.Errorf("messenger policy %q", m)
	}
	for _, bad := range []Extra{{"sandbox": {"allow-scripts"}}, {"script-src": {"a; script-src *"}}, {"img-src": {""}}, {"img-src": {"a b"}}} {
		if bad.Check() == nil {
			t.Errorf("Check(%v) accepted it", bad)
		}
	}
	if err := Messenger().Check(); err != nil {
		t.Error(err)
	}
}
