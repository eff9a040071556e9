package testenv

import (
	"runtime"
	"testing"
)

// fakeTB records how a test ended.
type fakeTB struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true; runtime.Goexit() }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true; runtime.Goexit() }

func TestMissingToolFailsOnlyInCI(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, ci := range []string{"", "true"} {
		t.Setenv("CI", ci)
		f := &fakeTB{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			LookPath(f, "node")
		}()
		<-done
		if want := ci != ""; f.failed != want || f.skipped == want {
			t.Errorf("CI=%q: failed=%v skipped=%v, want failed=%v", ci, f.failed, f.skipped, want)
		}
	}
}
