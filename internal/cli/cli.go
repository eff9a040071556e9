// Package cli holds what helpsite's commands share: their cobra setup, usage
// errors and exit codes, the order in which flags, the environment and the
// configuration file are applied, logging, and the flags that say how to
// reach Intercom.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Exit statuses of every helpsite command.
const (
	ExitOK    = 0
	ExitError = 1
	// ExitUsage is a mistake in how the command was called or configured,
	// an authentication failure included.
	ExitUsage = 2
)

// UsageError is a mistake in how a command was called or configured;
// commands exit 2 for it.
type UsageError struct {
	Err error
	// Hint, if set, says what to do; it is printed on a line of its own.
	Hint string
}

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error { return UsageError{Err: fmt.Errorf(format, args...)} }

// IsUsage reports whether err is a UsageError.
func IsUsage(err error) bool {
	var ue UsageError
	return errors.As(err, &ue)
}

// hinted is an error with advice for the person who ran the command.
type hinted struct {
	err  error
	hint string
}

func (h hinted) Error() string { return h.err.Error() }
func (h hinted) Unwrap() error { return h.err }

// WithHint returns err with advice that the command prints after it, on a
// line of its own. A UsageError keeps its kind.
func WithHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	var ue UsageError
	if errors.As(err, &ue) && ue.Hint == "" {
		return UsageError{Err: err, Hint: hint}
	}
	return hinted{err: err, hint: hint}
}

// Hint returns the advice carried by err, "" if none.
func Hint(err error) string {
	var h hinted
	var ue UsageError
	switch {
	case errors.As(err, &ue) && ue.Hint != "":
		return ue.Hint
	case errors.As(err, &h):
		return h.hint
	}
	return ""
}

// Version is the version of the running binary, from its build information.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + " " + info.GoVersion
}

// NewRoot returns the root command of a program with subcommands. Run
// without one, it prints its help and fails with a usage error; with an
// unknown one, it suggests the nearest. Execute runs it.
func NewRoot(name, short, long string) *cobra.Command {
	root := &cobra.Command{
		Use:     name,
		Short:   short,
		Long:    long,
		Version: Version(),
		Args:    unknownCommand,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmd.SetOut(cmd.ErrOrStderr())
			cmd.Help() //nolint:errcheck // best effort before the error
			return UsageError{Err: errors.New("no command given")}
		},
	}
	root.SuggestionsMinimumDistance = 2
	return root
}

// unknownCommand refuses a positional argument to a root command: it can
// only be a mistyped command.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := fmt.Sprintf("Run '%s --help' for the commands.", cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		hint = fmt.Sprintf("Did you mean '%s %s'? ", cmd.CommandPath(), s[0]) + hint
	}
	return UsageError{Err: fmt.Errorf("unknown command %q", args[0]), Hint: hint}
}

// NoArgs refuses positional arguments, as a usage error.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return UsageError{Err: fmt.Errorf("unexpected argument %q", args[0]),
			Hint: fmt.Sprintf("Run '%s --help' for usage; every option is a --flag.", cmd.CommandPath())}
	}
	return nil
}

// Execute runs root with args, printing a failure as one line and a hint
// on stderr, and returns the exit status: 0, 1 or ExitUsage for a usage
// error, an unknown flag or command included. Help goes to stdout.
func Execute(ctx context.Context, root *cobra.Command, args []string, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		// "sitegen buidl --demo": the flag is unknown because the
		// command is.
		if !cmd.HasParent() && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			if uerr := unknownCommand(cmd, args[:1]); uerr != nil {
				return uerr
			}
		}
		return flagError(cmd, err)
	})
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil || errors.Is(err, pflag.ErrHelp) {
		return ExitOK
	}
	if cmd == nil {
		cmd = root
	}
	msg, rest, _ := strings.Cut(err.Error(), "\n")
	fmt.Fprintf(stderr, "%s: %s\n", cmd.CommandPath(), msg)
	hint := Hint(err)
	if hint == "" {
		hint = strings.TrimSpace(rest)
	}
	if hint == "" && IsUsage(err) {
		hint = fmt.Sprintf("Run '%s --help' for usage.", cmd.CommandPath())
	}
	if hint != "" {
		fmt.Fprintln(stderr, hint)
	}
	if IsUsage(err) {
		return ExitUsage
	}
	return ExitError
}

// flagError turns a flag parsing error into a usage error suggesting the
// flag that was probably meant: a Go-style -out, a typo.
func flagError(cmd *cobra.Command, err error) error {
	hint := fmt.Sprintf("Run '%s --help' for its flags.", cmd.CommandPath())
	if name := misspelledFlag(err.Error()); name != "" {
		if s := nearestFlag(cmd, name); s != "" {
			hint = fmt.Sprintf("Did you mean --%s? ", s) + hint
		}
	}
	return UsageError{Err: err, Hint: hint}
}

// misspelledFlag extracts the flag name from pflag's "unknown flag: --x"
// and "unknown shorthand flag: 'o' in -out" errors.
func misspelledFlag(msg string) string {
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		name, _, _ = strings.Cut(name, "=")
		return name
	}
	if strings.HasPrefix(msg, "unknown shorthand flag:") {
		if _, arg, ok := strings.Cut(msg, " in -"); ok {
			name, _, _ := strings.Cut(arg, "=")
			return name
		}
	}
	return ""
}

// nearestFlag returns the name of cmd's flag closest to name, if it is
// close enough to be a typo.
func nearestFlag(cmd *cobra.Command, name string) string {
	name = strings.ToLower(name)
	best, bestDist := "", -1
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		d := distance(name, f.Name)
		if len(name) >= 3 && strings.HasPrefix(f.Name, name) {
			d = 1 // a flag cut short
		}
		if !f.Hidden && (bestDist < 0 || d < bestDist) {
			best, bestDist = f.Name, d
		}
	})
	if bestDist < 0 || bestDist > max(1, len(name)/3) {
		return ""
	}
	return best
}

// distance is the optimal string alignment distance between a and b: the
// edits of Levenshtein plus swapping two neighbours, the commonest typo.
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// OrString returns s, or def when s is blank.
func OrString(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
