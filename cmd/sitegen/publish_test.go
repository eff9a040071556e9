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

	"github.com/helpsite/helpsite/internal/deploy"
)

// openBucket opens the bucket at target for the test.
func openBucket(t *testing.T, target string) *blob.Bucket {
	t.Helper()
	b, err := blob.OpenBucket(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

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
	b := openBucket(t, target)
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

// The configuration file's publish section sets the objects' Cache-Control
// by kind, and --publish-gzip stores them gzipped; a kind the file leaves
// out keeps its default.
func TestBuildPublishCachePolicy(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "helpsite.yaml")
	err := os.WriteFile(cfg, []byte(`publish:
  gzip: "off"
  cache_control:
    pages: public, max-age=5
    fingerprinted: public, max-age=600
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	target := "file://" + filepath.ToSlash(t.TempDir()) + "?no_tmp_dir=true"
	out := filepath.Join(dir, "site")
	code, stdout, stderr := sitegen(t, "build", "--demo", "--config", cfg, "--out", out, "--publish-to", target, "--publish-gzip", "on")
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, stdout, stderr)
	}
	ctx := context.Background()
	b := openBucket(t, target)
	css, _ := filepath.Glob(filepath.Join(out, "css", "site.min.*.css"))
	png, _ := filepath.Glob(filepath.Join(out, "images", "*.png"))
	if len(css) != 1 || len(png) == 0 {
		t.Fatalf("stylesheets %v, images %v", css, png)
	}
	for key, want := range map[string]struct{ cache, encoding string }{
		"en/index.html":                   {"public, max-age=5", "gzip"},
		"en/sitemap.xml":                  {"public, max-age=5", "gzip"},
		"css/" + filepath.Base(css[0]):    {"public, max-age=600", "gzip"},
		"images/" + filepath.Base(png[0]): {"public, max-age=600", ""}, // not compressible
		"en/llms.txt":                     {deploy.DefaultCachePolicy.Other, "gzip"},
	} {
		a, err := b.Attributes(ctx, key)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if a.CacheControl != want.cache || a.ContentEncoding != want.encoding {
			t.Errorf("%s: Cache-Control %q, Content-Encoding %q; want %q, %q", key, a.CacheControl, a.ContentEncoding, want.cache, want.encoding)
		}
	}
}
