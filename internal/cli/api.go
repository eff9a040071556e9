package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/spf13/pflag"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/progress"
)

// APIFlags are the flags that say how to reach Intercom.
type APIFlags struct {
	Base, Region, Token, Version string
	HelpCenter                   string
	Demo                         bool
	// DemoURL is set by Client to where the demo API it started listens.
	DemoURL string
}

// Register adds the API flags to fs. Their environment variables and
// configuration keys are applied by Resolve, after parsing.
func (f *APIFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Base, "api-base", "", "Intercom API base `URL` (a proxy, the fake API); overrides --region")
	fs.StringVar(&f.Region, "region", "us", "`REGION` where the workspace is hosted: us, eu or au")
	fs.StringVar(&f.Token, "token", "", "Intercom access `TOKEN`")
	fs.StringVar(&f.Version, "api-version", fetch.DefaultVersion, "Intercom-Version to pin, a `VERSION` from 2.7 to 2.16")
	fs.StringVar(&f.HelpCenter, "help-center", "", "only mirror the help center with this `ID`")
	f.RegisterDemo(fs)
}

// RegisterDemo adds only --demo, for commands that read the demo but no
// other API.
func (f *APIFlags) RegisterDemo(fs *pflag.FlagSet) {
	fs.BoolVar(&f.Demo, "demo", false, "use the embedded demo help center, served in-process (no Intercom account needed)")
}

// Client returns an API client, starting the demo API first with --demo,
// that shows its progress on line (nil for none). The returned stop
// function shuts the demo API down.
func (f *APIFlags) Client(log *slog.Logger, line *progress.Line) (*fetch.Client, func(), error) {
	stop := func() {}
	base, token := f.Base, f.Token
	if f.Demo {
		var err error
		if base, token, stop, err = serveDemo(log); err != nil {
			return nil, nil, err
		}
		f.DemoURL = base
	}
	c, err := fetch.New(fetch.Config{
		BaseURL:  base,
		Region:   f.Region,
		Token:    token,
		Version:  f.Version,
		Logger:   log,
		Progress: func(list string, done, total int) { line.Update("fetching "+list, done, total) },
	})
	if err != nil {
		stop()
		var ue *fetch.UsageError
		if errors.As(err, &ue) {
			return nil, nil, UsageError{Err: err}
		}
		return nil, nil, err
	}
	return c, stop, nil
}

// Where names the API the flags point at.
func (f *APIFlags) Where() string {
	if f.Base != "" {
		return f.Base
	}
	return fetch.Regions[f.Region]
}

// Explain turns a sync failure into an error that says what was tried,
// with a hint of what to do, and marks authentication and help-center
// mistakes as usage errors.
func (f *APIFlags) Explain(err error) error {
	where := f.Where()
	var nf *fetch.HelpCenterNotFoundError
	switch {
	case fetch.IsUnauthorized(err):
		return UsageError{Err: fmt.Errorf("Intercom at %s rejected the access token: %w", where, err), Hint: TokenHint}
	case errors.As(err, &nf):
		return UsageError{Err: err, Hint: "Check --help-center (or intercom.help_center in the configuration file), or leave it out to mirror every help center."}
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted; the previous snapshot is unchanged")
	}
	return WithHint(fmt.Errorf("fetching from %s: %w", where, err),
		"The previous snapshot, if any, is unchanged; run again once the problem is fixed.")
}

// TokenHint is what to check when Intercom refuses the access token.
const TokenHint = "Check INTERCOM_ACCESS_TOKEN (or --token) and --region: a workspace hosted in the EU or Australia needs --region eu or au."

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
		return "", "", nil, fmt.Errorf("starting the demo API: %w", err)
	}
	log.Info("demo Intercom API started", "url", api.URL)
	return api.URL, demoToken, func() { api.Close() }, nil
}
