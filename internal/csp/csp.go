// Package csp is the Content-Security-Policy of helpsite's pages, a second
// line of defence behind the sanitizer (internal/articlehtml): should
// markup from an article ever slip through, the browser still runs no
// script and loads no style that is not a file of the site itself.
//
// The policy allows scripts, styles, fonts, requests and everything else
// only from the site ('self'), images from the site and data: URLs (the
// empty favicon), frames only from the video players articles embed, no
// plugins, and no <base> pointing elsewhere. It allows no inline script,
// no inline style (neither <style> nor style attributes), no eval. The
// theme keeps to it: its data is in data- attributes and in JSON blocks
// (<script type="application/json">, which browsers do not run).
//
// Pages carry the policy in a <meta http-equiv> element (Meta), so that a
// static host and an offline bundle opened from file:// enforce it too;
// Chromium matches 'self' against the file: URLs of a bundle's own files.
// The server also sends it as a header (Header), with the directives that
// a <meta> cannot hold: frame-ancestors, and form-action.
package csp

import (
	"strings"

	"github.com/helpsite/helpsite/internal/articlehtml"
)

// HeaderName is the HTTP header, and the http-equiv value, of the policy.
const HeaderName = "Content-Security-Policy"

// Meta returns the policy for a page's <meta http-equiv> element.
func Meta() string {
	return join(metaDirectives())
}

// Header returns the policy as the server sends it: Meta's directives, and
// that only the site itself may frame its pages (against clickjacking) and
// be the target of its forms.
func Header() string {
	return join(append(metaDirectives(), "frame-ancestors 'self'", "form-action 'self'"))
}

// metaDirectives are the directives that work in a <meta> element.
func metaDirectives() []string {
	return []string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"frame-src " + strings.Join(articlehtml.VideoEmbeds(), " "),
		"object-src 'none'",
		"base-uri 'self'",
	}
}

func join(directives []string) string { return strings.Join(directives, "; ") }
