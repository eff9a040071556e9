// Command sitegen mirrors an Intercom Help Center and builds it into a static
// help site or an offline documentation bundle.
//
// Usage:
//
//	sitegen fetch  --snapshot DIR [--full] [API flags]
//	sitegen build  --out DIR [--snapshot DIR | --from-snapshot DIR | --demo] [--config FILE] [--base-url URL]
//	sitegen bundle --out FILE.zip|DIR [--locales en,fr] [--collections IDS] [--from-snapshot DIR | --demo]
//	sitegen serve  --dir DIR [--listen ADDR]
//
// Exit status: 0 on success, 2 on a usage or authentication error, 1 on
// any other failure.
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
	"syscall"

	"github.com/helpsite/helpsite/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage: sitegen <command> [flags]

commands:
  fetch    mirror the Help Center into a local snapshot
  build    fetch what changed, then render the site and its search index
  bundle   make an offline bundle: the site as files that work from file://
  serve    serve a built site locally

Run 'sitegen <command> -h' for a command's flags.
`

// env is what a command needs from its surroundings.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	getenv         func(string) string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	commands := map[string]func(context.Context, *env, []string) error{
		"fetch":  runFetch,
		"build":  runBuild,
		"bundle": runBundle,
		"serve":  runServe,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "sitegen: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	e := &env{
		stdout: stdout,
		stderr: stderr,
		log:    slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		getenv: os.Getenv,
	}
	err := cmd(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintf(stderr, "sitegen %s: %v\n", args[0], err)
	if cli.IsUsage(err) {
		return 2
	}
	return 1
}
