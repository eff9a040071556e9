package publish

import (
	"os"
	"path/filepath"
	"testing"
)

func build(t *testing.T, out, page string) string {
	t.Helper()
	staged, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(staged, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return staged
}

func TestSwapReplacesAndCleansUp(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	for _, page := range []string{"first", "second"} {
		if err := Swap(build(t, out, page), out); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, "index.html"))
		if err != nil || string(got) != page {
			t.Fatalf("after publishing %q the site holds %q (%v)", page, got, err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestDiscardKeepsTheGoodSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	if err := Swap(build(t, out, "good"), out); err != nil {
		t.Fatal(err)
	}
	Discard(build(t, out, "half-built"))
	got, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if string(got) != "good" {
		t.Fatalf("site holds %q after a discarded build", got)
	}
}

func TestRenameTwiceFallback(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.Mkdir(a, 0o755)
	os.Mkdir(b, 0o755)
	os.WriteFile(filepath.Join(a, "f"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(b, "f"), []byte("b"), 0o644)
	if err := renameTwice(a, b); err != nil {
		t.Fatal(err)
	}
	ga, _ := os.ReadFile(filepath.Join(a, "f"))
	gb, _ := os.ReadFile(filepath.Join(b, "f"))
	if string(ga) != "b" || string(gb) != "a" {
		t.Fatalf("after the swap a holds %q and b %q", ga, gb)
	}
}

func TestSwapRefusesAFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	os.WriteFile(out, []byte("not a dir"), 0o644)
	if err := Swap(build(t, out, "x"), out); err == nil {
		t.Fatal("Swap over a file succeeded")
	}
}

func TestReleases(t *testing.T) {
	root := t.TempDir()
	r, err := NewReleases(root, 2)
	if err != nil {
		t.Fatal(err)
	}
	if cur, _ := r.Current(); cur != "" {
		t.Fatalf("Current before any publish: %q", cur)
	}
	var dirs []string
	for _, page := range []string{"one", "two", "three"} {
		staged, _ := r.Stage()
		os.WriteFile(filepath.Join(staged, "index.html"), []byte(page), 0o644)
		dir, err := r.Publish(staged)
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
		cur, _ := r.Current()
		got, _ := os.ReadFile(filepath.Join(cur, "index.html"))
		if cur != dir || string(got) != page {
			t.Fatalf("after publishing %q current is %s holding %q", page, cur, got)
		}
	}
	if _, err := os.Stat(dirs[0]); !os.IsNotExist(err) {
		t.Error("the oldest release was kept beyond keep=2")
	}
	if _, err := os.Stat(dirs[1]); err != nil {
		t.Error("the previous release was removed")
	}
	leftover, _ := r.Stage()
	r.RemoveStaging()
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Error("RemoveStaging kept a staging directory")
	}
}
