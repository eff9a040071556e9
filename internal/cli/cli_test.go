package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// testRoot is a program with one command, "build", that fails as told.
func testRoot(fail error) *cobra.Command {
	root := NewRoot("prog", "test", "")
	build := &cobra.Command{Use: "build", Args: NoArgs, RunE: func(*cobra.Command, []string) error { return fail }}
	build.Flags().String("out", "", "")
	build.Flags().String("snapshot", "", "")
	root.AddCommand(build)
	return root
}

func TestExecuteExitCodesAndMessages(t *testing.T) {
	for _, c := range []struct {
		fail   error
		args   []string
		code   int
		stderr string
	}{
		{nil, []string{"build"}, ExitOK, ""},
		{nil, []string{"build", "--help"}, ExitOK, ""},
		{errors.New("disk full"), []string{"build"}, ExitError, "prog build: disk full\n"},
		{WithHint(errors.New("disk full"), "Free some space."), []string{"build"}, ExitError, "prog build: disk full\nFree some space.\n"},
		{errors.New("cannot connect\nCheck the network."), []string{"build"}, ExitError, "prog build: cannot connect\nCheck the network.\n"},
		{Usagef("--out is required"), []string{"build"}, ExitUsage, "prog build: --out is required\nRun 'prog build --help' for usage.\n"},
		{UsageError{Err: errors.New("bad token"), Hint: "Check the token."}, []string{"build"}, ExitUsage, "prog build: bad token\nCheck the token.\n"},
		{nil, []string{"biuld"}, ExitUsage, "prog: unknown command \"biuld\"\nDid you mean 'prog build'? Run 'prog --help' for the commands.\n"},
		{nil, []string{"build", "--snap", "x"}, ExitUsage, "prog build: unknown flag: --snap\nDid you mean --snapshot? Run 'prog build --help' for its flags.\n"},
		{nil, []string{"build", "--zzz"}, ExitUsage, "prog build: unknown flag: --zzz\nRun 'prog build --help' for its flags.\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := Execute(context.Background(), testRoot(c.fail), c.args, &stdout, &stderr)
		if code != c.code || stderr.String() != c.stderr {
			t.Errorf("%v with %v: exit %d, stderr %q; want %d, %q", c.args, c.fail, code, stderr.String(), c.code, c.stderr)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"out", "out", 0}, {"ot", "out", 1}, {"dri", "dir", 1}, {"snapshto", "snapshot", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}} {
		if got := distance(c.a, c.b); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestWithoutDropsOnlyThatMessage(t *testing.T) {
	var b strings.Builder
	log := Without(slog.New(slog.NewTextHandler(&b, nil)), "render").With("cmd", "build")
	log.Warn("render", "warning", "dropped")
	log.Warn("image not downloaded")
	if strings.Contains(b.String(), "dropped") || !strings.Contains(b.String(), "image not downloaded") || !strings.Contains(b.String(), "cmd=build") {
		t.Errorf("logged %q", b.String())
	}
}
