package memlimit

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestSet(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	noEnv := func(string) string { return "" }
	cgroup := func(t *testing.T, name, content string) string {
		root := t.TempDir()
		os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755)
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return root
	}
	for _, c := range []struct {
		name, flag, env, root string
		want                  int64
		source                string
	}{
		{"flag", "1536MiB", "", t.TempDir(), 1536 << 20, "--memory-limit"},
		{"flag beats the container", "1GiB", "", cgroup(t, "memory.max", "4294967296\n"), 1 << 30, "--memory-limit"},
		{"cgroup v2", "", "", cgroup(t, "memory.max", "2147483648\n"), 2147483648 * 9 / 10, "90% of the container's memory limit"},
		{"cgroup v1", "", "", cgroup(t, "memory/memory.limit_in_bytes", "1073741824"), 1073741824 * 9 / 10, "90% of the container's memory limit"},
		{"no container limit", "", "", cgroup(t, "memory.max", "max\n"), 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Set(c.flag, noEnv, c.root)
			if err != nil || got.Bytes != c.want || got.Source != c.source {
				t.Fatalf("Set = %+v, %v; want %d from %q", got, err, c.want, c.source)
			}
			if c.want > 0 && debug.SetMemoryLimit(-1) != c.want {
				t.Errorf("the runtime's limit is %d, want %d", debug.SetMemoryLimit(-1), c.want)
			}
		})
	}
	if _, err := Set("lots", noEnv, t.TempDir()); err == nil {
		t.Error("a malformed --memory-limit was accepted")
	}
	env := func(k string) string {
		if k == "GOMEMLIMIT" {
			return "3GiB"
		}
		return ""
	}
	if got, err := Set("", env, cgroup(t, "memory.max", "1073741824")); err != nil || got.Source != "GOMEMLIMIT" {
		t.Errorf("with GOMEMLIMIT set: %+v, %v", got, err)
	}
}
