package publish

import (
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps two directories atomically with renameat2(RENAME_EXCHANGE),
// falling back to two renames on file systems that lack it.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if err == unix.EINVAL || err == unix.ENOSYS {
		return renameTwice(a, b)
	}
	if err != nil {
		return &os.LinkError{Op: "exchange", Old: a, New: b, Err: err}
	}
	return nil
}
