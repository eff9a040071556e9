// Package memlimit sets the Go runtime's soft memory limit for a
// long-lived helpsite process, so that it collects garbage harder before
// it reaches the memory its machine or container gives it, instead of
// being killed.
package memlimit

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/helpsite/helpsite/internal/config"
)

// containerShare is the part of a container's memory limit the Go heap may
// use: the rest is for the stacks, Hugo's caches outside the heap and the
// page cache of the files the server writes.
const containerShare = 0.9

// Limit is the memory limit in force and where it came from.
type Limit struct {
	Bytes  int64 // 0 for none
	Source string
}

// Set applies the memory limit: flag (a size like 1536MiB, "" for none
// given), else GOMEMLIMIT (which the runtime applied already), else 90% of
// the container's memory limit read below cgroupRoot (/sys/fs/cgroup),
// else none.
func Set(flag string, getenv func(string) string, cgroupRoot string) (Limit, error) {
	if flag != "" {
		n, err := config.ParseByteSize(flag)
		if err != nil {
			return Limit{}, fmt.Errorf("--memory-limit: %w", err)
		}
		debug.SetMemoryLimit(n)
		return Limit{n, "--memory-limit"}, nil
	}
	if v := getenv("GOMEMLIMIT"); v != "" {
		return Limit{debug.SetMemoryLimit(-1), "GOMEMLIMIT"}, nil
	}
	if n := containerLimit(cgroupRoot); n > 0 {
		n = int64(float64(n) * containerShare)
		debug.SetMemoryLimit(n)
		return Limit{n, "90% of the container's memory limit"}, nil
	}
	return Limit{}, nil
}

// containerLimit reads the memory limit of the cgroup (v2, else v1) below
// root, 0 if there is none.
func containerLimit(root string) int64 {
	for _, name := range []string{"memory.max", "memory/memory.limit_in_bytes"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		// "max", or v1's "no limit" of nearly 2^63, means none.
		if err == nil && n > 0 && n < 1<<50 {
			return n
		}
	}
	return 0
}
