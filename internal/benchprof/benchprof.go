// Package benchprof profiles the part of a benchmark that its figure is
// about (the changes after a first build, say), which go test's
// -cpuprofile, covering the whole run, buries under the setup.
package benchprof

import (
	"os"
	"runtime/pprof"
	"testing"
)

// CPU starts a CPU profile written to the file the environment variable
// env names, if it names one, and returns what stops it.
func CPU(b testing.TB, env string) (stop func()) {
	name := os.Getenv(env)
	if name == "" {
		return func() {}
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Error(err)
		}
	}
}
