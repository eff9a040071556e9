package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Replacing a file that is hard-linked elsewhere leaves the other link's
// bytes alone.
func TestWriteFileKeepsHardLinks(t *testing.T) {
	dir := t.TempDir()
	old, next := filepath.Join(dir, "old"), filepath.Join(dir, "next")
	if err := os.WriteFile(old, []byte("v1"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(old, next); err != nil {
		t.Skip("no hard links here:", err)
	}
	if err := WriteFile(next, []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if err := Append(next, []byte("+")); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{old: "v1", next: "v2+"} {
		if got, _ := os.ReadFile(name); string(got) != want {
			t.Errorf("%s holds %q, want %q", filepath.Base(name), got, want)
		}
	}
	if info, _ := os.Stat(next); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
}

// A failed write leaves the old file and no temporary file.
func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	if err := os.WriteFile(name, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(name, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "old" {
		t.Errorf("after a failed write the file holds %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed write left %d files", len(entries))
	}
}
