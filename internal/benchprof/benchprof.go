// Package benchprof profiles the part of a benchmark that its figure is
// about (the changes after a first build, say), which go test's
// -cpuprofile, covering the whole run, buries under the setup.
package benchprof

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// Allocs writes a heap profile to the file the environment variable env
// names, if it names one, now as name.base and again when the returned
// function is called: go tool pprof -sample_index=alloc_space -base
// name.base name shows what was allocated in between.
func Allocs(b testing.TB, env string) (stop func()) {
	name := os.Getenv(env)
	if name == "" {
		return func() {}
	}
	write := func(file string) {
		runtime.GC() // the profile is as of the last collection
		f, err := os.Create(file)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
	}
	write(name + ".base")
	return func() { write(name) }
}

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
