package render

import (
	"fmt"
	"net/url"
	"os"

	"github.com/helpsite/helpsite/internal/csp"
)

// What a site adds to its pages beyond articles, each by the user's
// choice: Intercom's Messenger, the article feedback widget, the user's
// own <head> HTML, and the Content-Security-Policy sources they need.
// Relative sites (offline bundles) have none of them: they load nothing
// from elsewhere and have no server to send feedback to.

// HeadersFile is the file, in Netlify's and Cloudflare Pages' _headers
// format, that gives every URL of the site its Content-Security-Policy
// header; helpsite's own servers send the policy it names (sitehttp).
const HeadersFile = "_headers"

// policyExtras are the sources the site's policy adds to csp's.
func (b *build) policyExtras() []csp.Extra {
	if b.opts.Relative {
		return nil
	}
	extras := []csp.Extra{b.opts.CSPExtra}
	if b.opts.Messenger.AppID != "" {
		extras = append(extras, csp.Messenger())
	}
	if u, err := url.Parse(b.opts.FeedbackEndpoint); err == nil && u.Scheme != "" && u.Host != "" {
		extras = append(extras, csp.Extra{"connect-src": {u.Scheme + "://" + u.Host}})
	}
	return extras
}

// metaPolicy is the policy of every page's <meta http-equiv>.
func (b *build) metaPolicy() string { return b.policy }

// readHeadHTML reads Options.HeadHTMLFile.
func (b *build) readHeadHTML() error {
	if b.opts.HeadHTMLFile == "" || b.opts.Relative {
		return nil
	}
	data, err := os.ReadFile(b.opts.HeadHTMLFile)
	if err != nil {
		return fmt.Errorf("render: head_html: %w", err)
	}
	b.headHTML = string(data)
	return nil
}

// thirdPartyParams adds to Hugo's site params what the partials
// extensions-head.html and feedback.html show.
func (b *build) thirdPartyParams(params map[string]any) {
	if b.opts.Relative {
		return
	}
	if m := b.opts.Messenger; m.AppID != "" {
		params["messenger"] = map[string]any{"appID": m.AppID, "apiBase": messengerAPIBase(m.Region)}
	}
	if b.opts.FeedbackEndpoint != "" {
		params["feedback"] = b.opts.FeedbackEndpoint
	}
	if b.headHTML != "" {
		params["headHTML"] = b.headHTML
	}
}

// messengerAPIBase is the Messenger's API in region, as Intercom's
// installation snippet sets it (api_base).
func messengerAPIBase(region string) string {
	switch region {
	case "eu":
		return "https://api-iam.eu.intercom.io"
	case "au":
		return "https://api-iam.au.intercom.io"
	}
	return "https://api-iam.intercom.io"
}

// writeHeaders writes HeadersFile: the policy as a header, with what a
// <meta> cannot say (frame-ancestors, form-action).
func (b *build) writeHeaders() error {
	data := fmt.Appendf(nil, "/*\n  %s: %s\n", csp.HeaderName, csp.Header(b.policyExtras()...))
	return b.writeChanged(HeadersFile, data)
}
