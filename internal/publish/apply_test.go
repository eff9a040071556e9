package publish

import (
	"os"
	"path/filepath"
	"testing"
)

func TestApply(t *testing.T) {
	live, staged := t.TempDir(), t.TempDir()
	write := func(dir, name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(live, "en/index.html", "home v1")
	write(live, "en/articles/1-a/index.html", "a v1")
	write(live, "en/articles/2-b/index.html", "b")
	write(live, "en/articles/2-b/index.html.gz", "gz")
	write(live, "sitemap.xml", "v1")
	write(staged, "en/articles/1-a/index.html", "a v2")
	write(staged, "en/articles/3-c/index.html", "c")
	write(staged, "sitemap.xml", "v2")
	if err := Apply(live, staged, []string{"en/articles/2-b", "gone/never-there"}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"en/index.html": "home v1", "en/articles/1-a/index.html": "a v2", "en/articles/3-c/index.html": "c",
		"sitemap.xml": "v2", "en/articles/2-b/index.html": "", "en/articles/2-b": "",
	} {
		data, err := os.ReadFile(filepath.Join(live, filepath.FromSlash(name)))
		if want == "" {
			if _, err := os.Stat(filepath.Join(live, filepath.FromSlash(name))); !os.IsNotExist(err) {
				t.Errorf("%s is still there", name)
			}
			continue
		}
		if err != nil || string(data) != want {
			t.Errorf("%s holds %q (%v), want %q", name, data, err, want)
		}
	}
	if _, err := os.Stat(staged); !os.IsNotExist(err) {
		t.Error("the staging directory is still there")
	}
}
