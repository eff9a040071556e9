package cli

import (
	"log/slog"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/images"
	"github.com/helpsite/helpsite/render"
)

// RenderOptions maps the configuration file to render options, the one
// place that does, for every command that renders: the site's look from
// its site section; Intercom's Messenger, the feedback endpoint (of a
// static site: the webhook server sets its own), the head HTML and the
// policy's extra sources; baseURL (the resolved --base-url), and article images
// downloaded through imgs, made by ImageStore from its images section.
// With a client, an article whose image URLs expired is read again
// through it. The caller adds what is particular to a command (search
// API, progress).
func RenderOptions(cfg *config.Config, baseURL string, imgs *images.Store, client *fetch.Client, log *slog.Logger) render.Options {
	s := cfg.Site
	opts := render.Options{
		BaseURL:          baseURL,
		Title:            s.Title,
		LogoFile:         s.Logo,
		Colors:           render.Colors{Primary: s.Colors.Primary, Accent: s.Colors.Accent},
		DefaultLocale:    s.DefaultLocale,
		Locales:          s.Locales,
		LayoutsDir:       s.Layouts,
		IntercomHosts:    s.IntercomHosts,
		Messenger:        render.Messenger{AppID: cfg.Messenger.AppID, Region: cfg.Messenger.Region},
		FeedbackEndpoint: cfg.Feedback.Endpoint,
		HeadHTMLFile:     cfg.HeadHTML,
		CSPExtra:         cfg.CSPExtra,
		Logger:           log,
	}
	for _, l := range s.FooterLinks {
		opts.FooterLinks = append(opts.FooterLinks, render.Link{Title: l.Title, URL: l.URL})
	}
	if imgs != nil { // not a nil *images.Store in the interface
		opts.Images = imgs
	}
	if client != nil { // not a nil *fetch.Client in the interface
		opts.Reread = client
	}
	return opts
}

// ImageStore returns the image cache in dir, downloading from Intercom's
// image hosts, from the host and port of apiBase (the API the user chose,
// whatever its address: the fake API on loopback in tests and the demo)
// and from the hosts the configuration allows.
func ImageStore(c config.Images, dir, apiBase string, log *slog.Logger) *images.Store {
	s := &images.Store{
		Dir:      dir,
		MaxBytes: int64(c.MaxBytes),
		Policy:   images.Policy{Hosts: c.HostStrings(), AllowPrivate: c.AllowPrivate},
		Logger:   log,
	}
	if hp := images.Endpoint(apiBase); hp != "" {
		s.Policy.Endpoints = []string{hp}
	}
	return s
}

// APIBase is the base URL of the API: the one client calls or, with no
// client (a build from a snapshot alone), the one the flags name.
func (f *APIFlags) APIBase(client *fetch.Client) string {
	if client != nil {
		return client.BaseURL()
	}
	if f.Base != "" {
		return f.Base
	}
	return fetch.Regions[OrString(f.Region, "us")]
}
