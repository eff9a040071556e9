// Command fakeintercom serves a generated Help Center through the fake
// Intercom API (internal/fakeintercom), for trying helpsite without an
// Intercom workspace:
//
//	fakeintercom --articles 1000 --locales en,fr,de --token test-token
//	fakeintercom --demo
//
// It prints the API's base URL and serves until interrupted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/helpsite/helpsite/internal/demo"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "fakeintercom:", err)
		os.Exit(2)
	}
}

// run parses args, starts the fake API, prints its base URL to out and
// serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("fakeintercom", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8089", "address to listen on")
	articles := fs.Int("articles", 1000, "number of articles to generate")
	locales := fs.String("locales", "en", "comma-separated locales, the first being the default")
	helpCenters := fs.Int("help-centers", 1, "number of help centers")
	seed := fs.Int64("seed", 1, "seed of the generated content and of fault injection")
	token := fs.String("token", "test-token", "accepted access token (comma-separated for several)")
	version := fs.String("version", "2.11", "Intercom-Version assumed when a request sends none")
	quirks := fs.Bool("quirks", false, "vary answers within what Intercom is seen to send (numeric ids, pages.next forms...)")
	useDemo := fs.Bool("demo", false, "serve the embedded demo help center instead of generated content")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if !slices.Contains(fakeintercom.Versions(), *version) {
		return fmt.Errorf("--version %q: the fake serves %s", *version, strings.Join(fakeintercom.Versions(), ", "))
	}

	site := fakeintercom.Generate(fakeintercom.GenerateOptions{
		Articles:    *articles,
		Locales:     splitList(*locales),
		HelpCenters: *helpCenters,
		Seed:        *seed,
	})
	if *useDemo {
		var err error
		if site, err = demo.Site(); err != nil {
			return err
		}
	}
	api := fakeintercom.New(site, fakeintercom.Options{
		Tokens:         splitList(*token),
		DefaultVersion: *version,
		Quirks:         *quirks,
		Seed:           *seed,
	})

	running, err := fakeintercom.Listen(*listen, api)
	if err != nil {
		return err
	}
	slog.Info("fake Intercom API", "url", running.URL, "articles", len(site.Articles),
		"collections", len(site.Collections), "version", *version)
	fmt.Fprintln(out, running.URL)
	<-ctx.Done()
	if err := running.Close(); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	slog.Info("fake Intercom API stopped", "calls", api.Calls())
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
