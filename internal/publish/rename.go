package publish

import "os"

// renameTwice swaps a and b through a third name. b is missing between the
// first two renames.
func renameTwice(a, b string) error {
	tmp := a + ".old"
	if err := os.Rename(b, tmp); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		os.Rename(tmp, b) // put the previous site back
		return err
	}
	return os.Rename(tmp, a)
}
