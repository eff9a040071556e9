package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
)

// CheckWritable makes sure that path, the value of --flag, can be created
// or replaced: its nearest existing ancestor is a directory this process
// can write in. Commands check their outputs so before any work, rather
// than failing after a long fetch.
func CheckWritable(flag, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Usagef("--%s %s: %v", flag, path, err)
	}
	dir := filepath.Dir(abs)
	for {
		info, err := os.Stat(dir)
		if err == nil {
			if !info.IsDir() {
				return UsageError{Err: fmt.Errorf("--%s %s: %s is not a directory", flag, path, dir),
					Hint: fmt.Sprintf("Choose a --%s inside a directory.", flag)}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(dir) == dir {
			return UsageError{Err: fmt.Errorf("--%s %s: %w", flag, path, err)}
		}
		dir = filepath.Dir(dir)
	}
	f, err := os.CreateTemp(dir, ".helpsite-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return UsageError{Err: fmt.Errorf("--%s %s: cannot create files in %s (%w)", flag, path, dir, err),
			Hint: fmt.Sprintf("Choose a --%s in a directory you can write to.", flag)}
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// CheckDir makes sure that path, the value of --flag, is an existing
// directory.
func CheckDir(flag, path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Usagef("--%s %s: no such directory", flag, path)
	case err != nil:
		return Usagef("--%s %s: %v", flag, path, err)
	case !info.IsDir():
		return Usagef("--%s %s: not a directory", flag, path)
	}
	return nil
}

// Listen listens on addr, explaining an address in use.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, UsageError{Err: fmt.Errorf("cannot listen on %s: %w", addr, err),
			Hint: "Another program may be using the port: choose another with --listen 127.0.0.1:PORT (or HELPSITE_LISTEN)."}
	}
	return ln, nil
}
