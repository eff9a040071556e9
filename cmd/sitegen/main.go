// Command sitegen mirrors an Intercom Help Center and builds it into a static
// help site or an offline documentation bundle.
//
// Usage:
//
//	sitegen fetch  --snapshot DIR [--full] [API flags]
//	sitegen build  --out DIR [--snapshot DIR | --from-snapshot DIR | --demo] [--config FILE] [--base-url URL]
//	sitegen bundle --out FILE.zip|DIR [--locales en,fr] [--collections IDS] [--from-snapshot DIR | --demo]
//	sitegen serve  --dir DIR [--listen ADDR]
//	sitegen completion bash|zsh|fish|powershell
//
// Every setting is taken from its flag, else its environment variable, else
// the configuration file, else its default. Exit status: 0 on success, 2 on
// a usage or authentication error, 1 on any other failure.
package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/helpsite/helpsite/internal/cli"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/progress"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is what a command needs from its surroundings; setup fills in the
// logger and the progress line once the flags are parsed.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	logFormat      string
	// line is the progress line, nil unless stderr is a terminal.
	line *progress.Line
	// log gets warnings and errors, above the progress line.
	log *slog.Logger
	// cfg is the configuration file's, empty without one.
	cfg *config.Config
}

// run runs sitegen with args and returns its exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	root := cli.NewRoot("sitegen", "Mirror an Intercom Help Center and build it into a static help site",
		`sitegen mirrors an Intercom Help Center into a local snapshot and builds it into a
static help site or an offline bundle.

Every setting is taken from its flag, else its environment variable (shown in
each command's help), else the configuration file (--config), else its default.`)
	root.PersistentFlags().StringVar(&e.logFormat, "log-format", "text", "log `FORMAT`: text or json")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error { return e.setup(cmd) }
	root.AddCommand(fetchCommand(e), buildCommand(e), bundleCommand(e), serveCommand(e))
	for _, c := range root.Commands() {
		cli.DocumentEnv(c.Flags())
	}
	cli.DocumentEnv(root.PersistentFlags())
	return cli.Execute(ctx, root, args, stdout, stderr)
}

// setup resolves the command's flags from the environment and the
// configuration file, then makes the progress line and the logger: quiet,
// warnings and errors only, as text or JSON.
func (e *env) setup(cmd *cobra.Command) error {
	cfg, err := cli.Prepare(cmd.Flags(), e.getenv)
	if err != nil {
		return err
	}
	e.cfg = cfg
	if f, ok := e.stderr.(*os.File); ok && e.logFormat != "json" {
		e.line = progress.New(f)
	}
	if e.log, err = cli.NewLogger(e.line.Writer(e.stderr), e.logFormat, slog.LevelWarn); err != nil {
		return err
	}
	return nil
}

// renderLog is the logger for rendering. The summary at the end lists the
// warnings about pages (and --warnings-file all of them), so only JSON
// logs, read by programs, repeat them one by one.
func (e *env) renderLog() *slog.Logger {
	if e.logFormat == "json" {
		return e.log
	}
	return cli.Without(e.log, "render")
}
