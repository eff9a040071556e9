// Package testenv decides what a test does when a tool it needs (Chromium,
// Node) is missing: it skips on a developer's machine, and fails in CI
// (the environment variable CI set), so that CI never silently skips it.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// Missing skips t, or fails it when CI is set, because of err, the reason
// a tool is missing.
func Missing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%v (CI is set, so this test must not be skipped)", err)
	}
	t.Skipf("%v", err)
}

// LookPath returns the path of the program name, or ends t through
// Missing when it is not installed.
func LookPath(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, err)
	}
	return p
}
