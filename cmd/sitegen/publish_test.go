package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob"
)

// sitegen build --publish-to pushes the built site: the bucket then holds
// every file of --out, byte for byte; a second build of the same site
// uploads nothing.
func TestBuildPublishTo(t *testing.T) {
	out := filepath.Join(t.TempDir(), "site")
	bucketDir := t.TempDir()
	target := "file://" + filepath.ToSlash(bucketDir) + "?no_tmp_dir=true"
	code, stdout, stderr := sitegenEnv(t, map[string]string{"HELPSITE_PUBLISH_TO": target}, "build", "--demo", "--out", out)
	if code != 0 || !strings.Contains(stdout, "pushed to file://") {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	ctx := context.Background()
	b, err := blob.OpenBucket(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		want, _ := os.ReadFile(p)
		got, err := b.ReadAll(ctx, filepath.ToSlash(rel))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: %d bytes in the bucket (%v), %d in the site", rel, len(got), err, len(want))
		}
		n++
		return nil
	})
	if n < 100 {
		t.Fatalf("only %d files built", n)
	}
	code, stdout, stderr = sitegen(t, "build", "--demo", "--out", out, "--publish-to", target)
	if code != 0 || !strings.Contains(stdout, ": 0 objects uploaded, 0 deleted") {
		t.Errorf("a second build of the same site: exit %d\n%s%s", code, stdout, stderr)
	}
}
