// Package atomicfile replaces files whole: it writes a temporary file
// beside the target and renames it into place. A reader sees the old file
// or the new one, never a part; a failure leaves the old one; and a file
// that shares its inode with another (a hard link into an earlier release
// of a site) is replaced, never modified, so the other keeps its bytes.
package atomicfile

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write replaces name with what write writes, with permissions 0644.
func Write(name string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return os.Rename(f.Name(), name)
}

// WriteFile replaces name with data.
func WriteFile(name string, data []byte) error {
	return Write(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Append replaces name with its bytes followed by data; a missing name
// counts as empty.
func Append(name string, data []byte) error {
	old, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return WriteFile(name, bytes.Join([][]byte{old, data}, nil))
}
