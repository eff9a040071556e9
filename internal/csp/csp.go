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
//
// A site that opts into a third party (Intercom's Messenger, an analytics
// tag in head_html) extends the policy with Extra sources, and only then:
// see Messenger and the configuration's csp_extra.
package csp

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/helpsite/helpsite/internal/articlehtml"
)

// HeaderName is the HTTP header, and the http-equiv value, of the policy.
const HeaderName = "Content-Security-Policy"

// Extra are sources added to the policy, by directive ("script-src":
// ["https://cdn.example.com"]). A directive the policy lacks is added.
type Extra map[string][]string

// Meta returns the policy for a page's <meta http-equiv> element, with
// the extra sources of its directives that a <meta> can hold.
func Meta(extra ...Extra) string {
	return join(metaDirectives(), extra, false)
}

// Header returns the policy as the server sends it: Meta's directives, and
// that only the site itself may frame its pages (against clickjacking) and
// be the target of its forms, each with the extra sources.
func Header(extra ...Extra) string {
	return join(append(metaDirectives(), "frame-ancestors 'self'", "form-action 'self'"), extra, true)
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

// headerOnly are the directives browsers ignore in a <meta> element.
var headerOnly = map[string]bool{"frame-ancestors": true, "form-action": true, "report-uri": true, "report-to": true, "sandbox": true}

// Directives are the directives an Extra may extend: fetch directives and
// form-action. Others (sandbox, report-uri, frame-ancestors) change what
// the policy means rather than what it allows, and are not extended.
var Directives = []string{
	"default-src", "script-src", "script-src-elem", "script-src-attr", "style-src", "style-src-elem",
	"style-src-attr", "img-src", "font-src", "connect-src", "media-src", "frame-src", "child-src",
	"worker-src", "manifest-src", "form-action",
}

// Check reports the first directive or source of e that the policy would
// not hold: an unknown directive, or a source with a separator (";", ",")
// or white space that would change other directives.
func (e Extra) Check() error {
	for _, d := range slices.Sorted(maps.Keys(e)) {
		if !slices.Contains(Directives, d) {
			return fmt.Errorf("%q is not a directive csp_extra may extend (%s)", d, strings.Join(Directives, ", "))
		}
		for _, s := range e[d] {
			if s == "" || strings.ContainsAny(s, ";, \t\r\n") {
				return fmt.Errorf("%s source %q is empty or holds a separator or space", d, s)
			}
		}
	}
	return nil
}

// join writes directives with the sources of extras added, header-only
// directives left out of a meta policy.
func join(directives []string, extras []Extra, header bool) string {
	out := slices.Clone(directives)
	index := map[string]int{}
	for i, d := range out {
		name, _, _ := strings.Cut(d, " ")
		index[name] = i
	}
	for _, e := range extras {
		for _, name := range slices.Sorted(maps.Keys(e)) {
			if headerOnly[name] && !header {
				continue
			}
			i, ok := index[name]
			if !ok {
				i = len(out)
				index[name] = i
				out = append(out, name+" 'self'")
			}
			for _, s := range e[name] {
				if !slices.Contains(strings.Fields(out[i])[1:], s) {
					out[i] += " " + s
				}
			}
		}
	}
	return strings.Join(out, "; ")
}

// Messenger are the sources Intercom's Messenger needs, as Intercom's "Using
// Intercom with Content Security Policy" lists them for source
// allowlisting (every region: the Messenger talks to the region of the
// workspace, and its assets come from the US hosts whatever the region).
// Intercom's styles are inline, hence style-src 'unsafe-inline' while the
// Messenger is on.
func Messenger() Extra {
	return Extra{
		"script-src": {"https://app.intercom.io", "https://widget.intercom.io", "https://js.intercomcdn.com"},
		"connect-src": {
			"https://via.intercom.io", "https://api.intercom.io", "https://api.au.intercom.io", "https://api.eu.intercom.io",
			"https://api-iam.intercom.io", "https://api-iam.eu.intercom.io", "https://api-iam.au.intercom.io",
			"https://api-ping.intercom.io", "https://*.intercom-messenger.com", "wss://*.intercom-messenger.com",
			"https://nexus-websocket-a.intercom.io", "wss://nexus-websocket-a.intercom.io",
			"https://nexus-websocket-b.intercom.io", "wss://nexus-websocket-b.intercom.io",
			"https://nexus-europe-websocket.intercom.io", "wss://nexus-europe-websocket.intercom.io",
			"https://nexus-australia-websocket.intercom.io", "wss://nexus-australia-websocket.intercom.io",
			"https://uploads.intercomcdn.com", "https://uploads.intercomcdn.eu", "https://uploads.au.intercomcdn.com",
			"https://uploads.eu.intercomcdn.com", "https://uploads.intercomusercontent.com",
		},
		"frame-src": {"https://intercom-sheets.com", "https://www.intercom-reporting.com"},
		"font-src":  {"https://js.intercomcdn.com", "https://fonts.intercomcdn.com"},
		"media-src": {"https://js.intercomcdn.com"},
		"img-src": {
			"blob:", "https://js.intercomcdn.com", "https://static.intercomassets.com",
			"https://downloads.intercomcdn.com", "https://downloads.intercomcdn.eu", "https://downloads.au.intercomcdn.com",
			"https://uploads.intercomusercontent.com", "https://gifs.intercomcdn.com", "https://video-messages.intercomcdn.com",
			"https://messenger-apps.intercom.io", "https://messenger-apps.eu.intercom.io", "https://messenger-apps.au.intercom.io",
			"https://*.intercom-attachments-5.com", "https://*.intercom-attachments-6.com", "https://*.intercom-attachments-9.com",
		},
		"style-src":   {"'unsafe-inline'"},
		"form-action": {"https://intercom.help", "https://api-iam.intercom.io", "https://api-iam.eu.intercom.io", "https://api-iam.au.intercom.io"},
	}
}
