package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// apiFlags are the flags that say how to reach Intercom.
type apiFlags struct {
	base, region, token, version string
	helpCenter                   string
	demo                         bool
}

func (f *apiFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.base, "api-base", e.getenv("INTERCOM_API_BASE"), "Intercom API base URL, overriding --region (env INTERCOM_API_BASE)")
	fs.StringVar(&f.region, "region", "us", "where the workspace is hosted: us, eu or au")
	fs.StringVar(&f.token, "token", "", "Intercom access token (default: env INTERCOM_ACCESS_TOKEN)")
	fs.StringVar(&f.version, "api-version", orString(e.getenv("INTERCOM_API_VERSION"), fetch.DefaultVersion), "Intercom-Version to pin, 2.7 to 2.16 (env INTERCOM_API_VERSION)")
	fs.StringVar(&f.helpCenter, "help-center", "", "only mirror the help center with this id")
	fs.BoolVar(&f.demo, "demo", false, "mirror the embedded demo help center, served in-process (no token needed)")
	f.token = e.getenv("INTERCOM_ACCESS_TOKEN")
}

// client returns an API client, starting the demo API first with --demo.
// The returned stop function shuts the demo API down.
func (f *apiFlags) client(e *env, progress func(string, int, int)) (*fetch.Client, func(), error) {
	stop := func() {}
	base, token := f.base, f.token
	if f.demo {
		var err error
		base, token, stop, err = serveDemo(e.log)
		if err != nil {
			return nil, nil, err
		}
	}
	c, err := fetch.New(fetch.Config{
		BaseURL:  base,
		Region:   f.region,
		Token:    token,
		Version:  f.version,
		Logger:   e.log,
		Progress: progress,
	})
	var ue *fetch.UsageError
	if errors.As(err, &ue) {
		stop()
		return nil, nil, usageError{err}
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}

// explain turns a sync failure into a message that says what was tried and
// what to do, and marks authentication and help-center mistakes as usage
// errors.
func (f *apiFlags) explain(err error) error {
	where := f.base
	if where == "" {
		where = fetch.Regions[f.region]
	}
	var nf *fetch.HelpCenterNotFoundError
	switch {
	case fetch.IsUnauthorized(err):
		return usagef("Intercom at %s rejected the access token (%v).\n"+
			"Check INTERCOM_ACCESS_TOKEN or --token, and --region: a workspace hosted in the EU or Australia needs --region eu or au", where, err)
	case errors.As(err, &nf):
		return usageError{err}
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted; the previous snapshot is unchanged")
	}
	return fmt.Errorf("fetching from %s: %w\nThe previous snapshot, if any, is unchanged; run again once the problem is fixed", where, err)
}

// serveDemo starts the fake Intercom API on a loopback port with the
// embedded demo help center.
func serveDemo(log *slog.Logger) (base, token string, stop func(), err error) {
	site, err := demo.Site()
	if err != nil {
		return "", "", nil, fmt.Errorf("loading the demo help center: %w", err)
	}
	const demoToken = "demo-token"
	api, err := fakeintercom.Listen("127.0.0.1:0", fakeintercom.New(site, fakeintercom.Options{Tokens: []string{demoToken}}))
	if err != nil {
		return "", "", nil, err
	}
	log.Info("demo Intercom API started", "url", api.URL)
	return api.URL, demoToken, func() { api.Close() }, nil
}

func orString(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
