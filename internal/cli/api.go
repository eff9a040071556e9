package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/progress"
)

// APIFlags are the flags that say how to reach Intercom.
type APIFlags struct {
	Base, Region, Token, Version string
	HelpCenter                   string
	Demo                         bool
}

// Register adds the flags to fs, with defaults from the environment.
func (f *APIFlags) Register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.Base, "api-base", getenv("INTERCOM_API_BASE"), "Intercom API base URL, overriding --region (env INTERCOM_API_BASE)")
	fs.StringVar(&f.Region, "region", "us", "where the workspace is hosted: us, eu or au")
	fs.StringVar(&f.Token, "token", "", "Intercom access token (default: env INTERCOM_ACCESS_TOKEN)")
	fs.StringVar(&f.Version, "api-version", OrString(getenv("INTERCOM_API_VERSION"), fetch.DefaultVersion), "Intercom-Version to pin, 2.7 to 2.16 (env INTERCOM_API_VERSION)")
	fs.StringVar(&f.HelpCenter, "help-center", "", "only mirror the help center with this id")
	fs.BoolVar(&f.Demo, "demo", false, "mirror the embedded demo help center, served in-process (no token needed)")
	f.Token = getenv("INTERCOM_ACCESS_TOKEN")
}

// Client returns an API client, starting the demo API first with --demo,
// that shows its progress on a terminal. The returned stop function shuts
// the demo API down and clears the progress line.
func (f *APIFlags) Client(log *slog.Logger) (*fetch.Client, func(), error) {
	line := progress.New(os.Stderr)
	stop := line.Clear
	base, token := f.Base, f.Token
	if f.Demo {
		var (
			stopDemo func()
			err      error
		)
		if base, token, stopDemo, err = serveDemo(log); err != nil {
			return nil, nil, err
		}
		stop = func() { line.Clear(); stopDemo() }
	}
	c, err := fetch.New(fetch.Config{
		BaseURL:  base,
		Region:   f.Region,
		Token:    token,
		Version:  f.Version,
		Logger:   log,
		Progress: func(list string, done, total int) { line.Update("fetching "+list, done, total) },
	})
	var ue *fetch.UsageError
	if errors.As(err, &ue) {
		stop()
		return nil, nil, UsageError{Err: err}
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	return c, stop, nil
}

// Explain turns a sync failure into a message that says what was tried and
// what to do, and marks authentication and help-center mistakes as usage
// errors.
func (f *APIFlags) Explain(err error) error {
	where := f.Base
	if where == "" {
		where = fetch.Regions[f.Region]
	}
	var nf *fetch.HelpCenterNotFoundError
	switch {
	case fetch.IsUnauthorized(err):
		return Usagef("Intercom at %s rejected the access token (%v).\n"+
			"Check INTERCOM_ACCESS_TOKEN or --token, and --region: a workspace hosted in the EU or Australia needs --region eu or au", where, err)
	case errors.As(err, &nf):
		return UsageError{Err: err}
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

// ApplyConfig fills the API flags the command line left unset from the
// configuration file.
func (f *APIFlags) ApplyConfig(fs *flag.FlagSet, c config.Intercom) {
	set := Set(fs)
	for name, pair := range map[string][2]*string{
		"api-base":    {&f.Base, &c.APIBase},
		"region":      {&f.Region, &c.Region},
		"api-version": {&f.Version, &c.APIVersion},
		"help-center": {&f.HelpCenter, &c.HelpCenter},
	} {
		if !set[name] && *pair[1] != "" && (name != "api-base" || f.Base == "") {
			*pair[0] = *pair[1]
		}
	}
}
