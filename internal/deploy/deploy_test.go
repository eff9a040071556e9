package deploy

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gocloud.dev/blob"
)

// writeSite writes files (slash path → content) below dir.
func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// redirectPage is a page as render writes one for an article's other URLs.
const redirectPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Refunds</title>
<meta http-equiv="refresh" content="0; url=/en/articles/1-refunds/">
</head>
<body><a href="/en/articles/1-refunds/">Refunds</a></body>
</html>
`

func testSite() map[string]string {
	return map[string]string{
		"index.html":                                        "<html>home</html>",
		"en/articles/1-refunds/index.html":                  "<html>refunds</html>",
		"en/articles/1/index.html":                          redirectPage,
		"css/site.min.0123456789abcdef0123456789abcdef.css": "body{}",
		"images/logo.png":                                   "\x89PNG",
		"search/en.json":                                    `{"docs":[]}`,
		"sitemap.xml":                                       "<urlset/>",
		"_redirects":                                        "/en/articles/1 /en/articles/1-refunds/ 301\n",
	}
}

func fileTarget(t *testing.T, opts Options) (*Target, string) {
	t.Helper()
	root := t.TempDir()
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	tg, err := Open(context.Background(), "file://"+filepath.ToSlash(root)+"?no_tmp_dir=true", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg, root
}

// bucketKeys lists the keys of b other than the manifest.
func bucketKeys(t *testing.T, b *blob.Bucket) []string {
	t.Helper()
	var keys []string
	it := b.List(nil)
	for {
		o, err := it.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if o.Key != ManifestKey {
			keys = append(keys, o.Key)
		}
	}
	slices.Sort(keys)
	return keys
}

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestPublishFileIncremental(t *testing.T) {
	ctx := context.Background()
	tg, _ := fileTarget(t, Options{})
	site := t.TempDir()
	files := testSite()
	writeSite(t, site, files)

	rep, err := tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Uploaded, sortedKeys(files)) || len(rep.Deleted) != 0 {
		t.Fatalf("first publish: uploaded %v, deleted %v", rep.Uploaded, rep.Deleted)
	}
	if got := bucketKeys(t, tg.bucket); !slices.Equal(got, sortedKeys(files)) {
		t.Fatalf("bucket has %v, want %v", got, sortedKeys(files))
	}
	for key, body := range files {
		data, err := tg.bucket.ReadAll(ctx, key)
		if err != nil || string(data) != body {
			t.Errorf("%s: %q, %v; want %q", key, data, err, body)
		}
	}
	for key, want := range map[string][2]string{
		"index.html": {"text/html; charset=utf-8", DefaultCachePolicy.Revalidate},
		"css/site.min.0123456789abcdef0123456789abcdef.css": {"text/css; charset=utf-8", DefaultCachePolicy.Immutable},
		"images/logo.png": {"image/png", DefaultCachePolicy.Other},
		"search/en.json":  {"application/json", DefaultCachePolicy.Revalidate},
		"sitemap.xml":     {"application/xml", DefaultCachePolicy.Revalidate},
		"_redirects":      {"text/plain; charset=utf-8", DefaultCachePolicy.Revalidate},
	} {
		a, err := tg.bucket.Attributes(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if a.ContentType != want[0] || a.CacheControl != want[1] {
			t.Errorf("%s: Content-Type %q, Cache-Control %q; want %q", key, a.ContentType, a.CacheControl, want)
		}
	}

	// Nothing changed: nothing is uploaded.
	rep, err = tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Uploaded)+len(rep.Deleted) != 0 || rep.Unchanged != len(files) {
		t.Fatalf("unchanged publish: %+v", rep)
	}

	// One page changes, one is added, one goes.
	writeSite(t, site, map[string]string{"index.html": "<html>home 2</html>", "en/articles/2-new/index.html": "<html>new</html>"})
	os.Remove(filepath.Join(site, "images", "logo.png"))
	rep, err = tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"en/articles/2-new/index.html", "index.html"}; !slices.Equal(rep.Uploaded, want) {
		t.Errorf("uploaded %v, want %v", rep.Uploaded, want)
	}
	if want := []string{"images/logo.png"}; !slices.Equal(rep.Deleted, want) {
		t.Errorf("deleted %v, want %v", rep.Deleted, want)
	}
	if ok, _ := tg.bucket.Exists(ctx, "images/logo.png"); ok {
		t.Error("images/logo.png is still in the bucket")
	}

	// A changed cache policy re-uploads what it changes, bytes unchanged.
	tg.opts.Cache.Other = "public, max-age=5"
	writeSite(t, site, map[string]string{"images/logo.png": "\x89PNG"})
	rep, err = tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"images/logo.png"}; !slices.Equal(rep.Uploaded, want) {
		t.Errorf("after a policy change: uploaded %v, want %v", rep.Uploaded, want)
	}
}

// A publish that stopped before writing its manifest (the process killed)
// is completed by the next: everything since the last manifest goes up.
func TestPublishFileResumes(t *testing.T) {
	ctx := context.Background()
	tg, _ := fileTarget(t, Options{})
	site := t.TempDir()
	writeSite(t, site, testSite())
	if _, err := tg.Publish(ctx, site); err != nil {
		t.Fatal(err)
	}
	// Half a publish: one object uploaded, the manifest not written.
	writeSite(t, site, map[string]string{"index.html": "<html>v2</html>", "sitemap.xml": "<urlset>2</urlset>"})
	if err := tg.bucket.WriteAll(ctx, "index.html", []byte("<html>v2</html>"), nil); err != nil {
		t.Fatal(err)
	}
	rep, err := tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"index.html", "sitemap.xml"}; !slices.Equal(rep.Uploaded, want) {
		t.Errorf("uploaded %v, want %v", rep.Uploaded, want)
	}
	data, _ := tg.bucket.ReadAll(ctx, "sitemap.xml")
	if string(data) != "<urlset>2</urlset>" {
		t.Errorf("sitemap.xml: %q", data)
	}
}

// A publish canceled part way writes a manifest naming only what went
// up, and the next one uploads the rest.
func TestPublishFileCanceled(t *testing.T) {
	tg, _ := fileTarget(t, Options{Concurrency: 1})
	site := t.TempDir()
	writeSite(t, site, testSite())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tg.Publish(ctx, site); err == nil {
		t.Fatal("a canceled publish succeeded")
	}
	rep, err := tg.Publish(context.Background(), site)
	if err != nil {
		t.Fatal(err)
	}
	if got := bucketKeys(t, tg.bucket); !slices.Equal(got, sortedKeys(testSite())) {
		t.Fatalf("bucket has %v after the second publish (%v)", got, rep.Uploaded)
	}
}

// PublishFiles reads, compares and uploads only the files it is told
// changed, deletes what was removed (a file, or all below a directory),
// and leaves a manifest that a full Publish finds nothing to add to.
func TestPublishFiles(t *testing.T) {
	ctx := context.Background()
	tg, _ := fileTarget(t, Options{})
	site := t.TempDir()
	files := testSite()
	files["en/articles/3-old/index.html"] = "<html>old</html>"
	files["en/articles/3-old/index.md"] = "# old"
	writeSite(t, site, files)

	// Before a publish of site, PublishFiles is a full one.
	rep, err := tg.PublishFiles(ctx, site, []string{"index.html"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Hashed != len(files) || len(rep.Uploaded) != len(files) {
		t.Fatalf("the first PublishFiles hashed %d and uploaded %d files, want all %d", rep.Hashed, len(rep.Uploaded), len(files))
	}

	// One page edited, one rewritten as it was, one added with its .gz;
	// a file and a directory removed.
	writeSite(t, site, map[string]string{
		"index.html":                      "<html>home 2</html>",
		"sitemap.xml":                     files["sitemap.xml"],
		"en/articles/2-new/index.html":    "<html>new</html>",
		"en/articles/2-new/index.html.gz": "gzip bytes",
	})
	os.Remove(filepath.Join(site, "images", "logo.png"))
	os.RemoveAll(filepath.Join(site, "en", "articles", "3-old"))
	written := []string{"index.html", "sitemap.xml", "en/articles/2-new/index.html", "en/articles/2-new/index.html.gz"}
	removed := []string{"images/logo.png", "en/articles/3-old"}
	rep, err = tg.PublishFiles(ctx, site, written, removed)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Hashed != 3 || rep.Unchanged != 1 {
		t.Errorf("hashed %d files, %d unchanged; want the 3 written, 1 unchanged", rep.Hashed, rep.Unchanged)
	}
	if want := []string{"en/articles/2-new/index.html", "index.html"}; !slices.Equal(rep.Uploaded, want) {
		t.Errorf("uploaded %v, want %v", rep.Uploaded, want)
	}
	if want := []string{"en/articles/3-old/index.html", "en/articles/3-old/index.md", "images/logo.png"}; !slices.Equal(rep.Deleted, want) {
		t.Errorf("deleted %v, want %v", rep.Deleted, want)
	}
	delete(files, "images/logo.png")
	delete(files, "en/articles/3-old/index.html")
	delete(files, "en/articles/3-old/index.md")
	files["index.html"] = "<html>home 2</html>"
	files["en/articles/2-new/index.html"] = "<html>new</html>"
	if got := bucketKeys(t, tg.bucket); !slices.Equal(got, sortedKeys(files)) {
		t.Fatalf("bucket has %v, want %v", got, sortedKeys(files))
	}
	// The manifest is the site's: a full publish finds nothing to do.
	rep, err = tg.Publish(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Uploaded)+len(rep.Deleted) != 0 || rep.Unchanged != len(files) {
		t.Errorf("a full publish after PublishFiles: uploaded %v, deleted %v, %d unchanged of %d", rep.Uploaded, rep.Deleted, rep.Unchanged, len(files))
	}

	// A path out of the site is refused.
	if _, err := tg.PublishFiles(ctx, site, nil, []string{"../etc"}); err == nil {
		t.Error("PublishFiles removed ../etc")
	}
}

func TestGzipObjects(t *testing.T) {
	ctx := context.Background()
	tg, _ := fileTarget(t, Options{Gzip: GzipOn})
	site := t.TempDir()
	page := "<html>" + strings.Repeat("helpsite ", 400) + "</html>"
	writeSite(t, site, map[string]string{"big/index.html": page, "small/index.html": "<html></html>"})
	if _, err := tg.Publish(ctx, site); err != nil {
		t.Fatal(err)
	}
	a, err := tg.bucket.Attributes(ctx, "big/index.html")
	if err != nil || a.ContentEncoding != "gzip" {
		t.Fatalf("big page: %+v, %v; want Content-Encoding gzip", a, err)
	}
	if a.Size >= int64(len(page)) {
		t.Errorf("big page stored in %d bytes, not compressed from %d", a.Size, len(page))
	}
	if a, _ := tg.bucket.Attributes(ctx, "small/index.html"); a.ContentEncoding != "" {
		t.Errorf("small page has Content-Encoding %q", a.ContentEncoding)
	}
}

func TestClassify(t *testing.T) {
	for key, want := range map[string]phase{
		"css/site.min.0123456789abcdef.css": phaseAssets,
		"images/ab12.webp":                  phaseAssets,
		"en/index.html":                     phasePages,
		"sitemap.xml":                       phaseIndexes,
		"en/sitemap.xml":                    phaseIndexes,
		"search/en/index.json":              phaseIndexes,
		"_redirects":                        phaseIndexes,
	} {
		if got := classify(key, false); got != want {
			t.Errorf("classify(%q) = %v, want %v", key, got, want)
		}
	}
	if got := classify("en/articles/9/index.html", true); got != phaseNewPages {
		t.Errorf("a new page is in phase %v", got)
	}
}

func TestRedirectTarget(t *testing.T) {
	if got := redirectTarget([]byte(redirectPage)); got != "/en/articles/1-refunds/" {
		t.Errorf("redirectTarget = %q", got)
	}
	if got := redirectTarget([]byte("<html>an article</html>")); got != "" {
		t.Errorf("an article redirects to %q", got)
	}
}

func TestRedact(t *testing.T) {
	got := Redact("azblob://c?sas_token=secret&domain=x&prefix=p/")
	if strings.Contains(got, "secret") || !strings.Contains(got, "prefix=p") {
		t.Errorf("Redact = %q", got)
	}
}
