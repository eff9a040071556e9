// Package deploy publishes a built site to object storage (S3 and
// S3-compatible stores, Google Cloud Storage, Azure Blob, a local
// directory) through gocloud.dev/blob, for a CDN to serve.
//
// A publish is incremental and ordered. The target keeps a manifest that
// helpsite owns (ManifestKey): each object's content hash and metadata.
// Only files whose hash or metadata differ are uploaded, and objects the
// build no longer has are deleted. Uploads go in phases — assets, new
// pages, changed pages, then sitemaps and search indexes — and deletions
// come last, so a visitor never follows a link or loads an asset that is
// not there yet. The manifest is written after everything else and names
// only what was uploaded, so a publish that fails part way (the store
// down, the process killed) is completed by the next one.
package deploy

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"golang.org/x/sync/errgroup"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	// The stores a target URL may name. Each takes its credentials from
	// its cloud's standard environment and files.
	_ "gocloud.dev/blob/azureblob"
	_ "gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/gcsblob"
	_ "gocloud.dev/blob/s3blob"
)

// Gzip says whether compressible objects are stored gzipped, with
// Content-Encoding: gzip.
type Gzip int

const (
	// GzipAuto gzips on Google Cloud Storage, which decompresses for the
	// clients that do not accept gzip, and nowhere else: S3 and R2 would
	// send gzip to every client, and their CDNs compress by themselves.
	GzipAuto Gzip = iota
	GzipOn
	GzipOff
)

var gzipNames = []string{GzipAuto: "auto", GzipOn: "on", GzipOff: "off"}

// String is the setting's name: auto, on or off.
func (g Gzip) String() string { return gzipNames[g] }

// Set sets g from its name, so that a Gzip is a command-line flag.
func (g *Gzip) Set(s string) error {
	i := slices.Index(gzipNames, s)
	if i < 0 {
		return fmt.Errorf("%q: use auto, on or off", s)
	}
	*g = Gzip(i)
	return nil
}

// Type names a Gzip's values in a flag's help.
func (g *Gzip) Type() string { return "auto|on|off" }

// Options tune a Target. The zero value is ready to use.
type Options struct {
	// Concurrency bounds the uploads and deletions in flight (8 if zero).
	Concurrency int
	// Attempts is how often a request is tried before the publish fails
	// (5 if zero); Backoff is the wait before the first retry, doubled
	// for each next one (200ms if zero).
	Attempts int
	Backoff  time.Duration
	// Cache is the Cache-Control of each kind of object; its unset fields
	// are DefaultCachePolicy's.
	Cache CachePolicy
	Gzip  Gzip
	// Logger logs each phase; slog.Default() if nil.
	Logger *slog.Logger
}

// A Target is a bucket URL to publish to.
type Target struct {
	bucket *blob.Bucket
	name   string
	opts   Options
	gzip   bool
}

// Open opens the target at rawURL, in gocloud.dev's URL forms:
// s3://bucket?region=…&endpoint=…&use_path_style=true, gs://bucket,
// azblob://container, file:///dir, each with an optional prefix=path/ to
// share a bucket with other sites.
func Open(ctx context.Context, rawURL string, opts Options) (*Target, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		return nil, fmt.Errorf("publish target %q: not a URL like s3://bucket or file:///dir", Redact(rawURL))
	}
	b, err := blob.OpenBucket(ctx, rawURL)
	if err != nil {
		return nil, fmt.Errorf("opening publish target %s: %w", Redact(rawURL), err)
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 8
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 200 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	opts.Cache = opts.Cache.withDefaults()
	t := &Target{bucket: b, name: Redact(rawURL), opts: opts}
	t.gzip = opts.Gzip == GzipOn || opts.Gzip == GzipAuto && u.Scheme == "gs"
	return t, nil
}

// Redact returns rawURL without its query values that could be secret
// (none of gocloud.dev's forms carry credentials, but a SAS token or a
// key could be pasted in), for logs and errors.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	q := u.Query()
	for k := range q {
		switch strings.ToLower(k) {
		case "region", "endpoint", "prefix", "use_path_style", "s3forcepathstyle", "disable_https", "dualstack", "fips", "accelerate", "create_dir", "no_tmp_dir", "metadata", "domain", "protocol", "localemu", "anonymous", "awssdk", "profile", "hostname_immutable", "rate_limiter_capacity", "request_checksum_calculation", "response_checksum_validation":
		default:
			q.Set(k, "REDACTED")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// String is the target's URL, redacted.
func (t *Target) String() string { return t.name }

// Close releases the target's connections.
func (t *Target) Close() error { return t.bucket.Close() }

// Report says what a publish did. Keys are slash paths below the site's
// root (and the target's prefix).
type Report struct {
	Uploaded  []string
	Deleted   []string
	Unchanged int
	// Initial is true when the target had no manifest: nothing of the
	// site was there, so a CDN has nothing of it to purge.
	Initial bool
}

// Changed lists the keys the publish uploaded or deleted, sorted.
func (r *Report) Changed() []string {
	c := slices.Concat(r.Uploaded, r.Deleted)
	slices.Sort(c)
	return slices.Compact(c)
}

// file is one file of the site to publish.
type file struct {
	key, path string // path: where on disk; gz: its precompressed .gz, if any
	gz        string
	obj       Object
	phase     phase
}

// Publish makes the target hold the site built in dir: it uploads what
// differs from the manifest, deletes what the site no longer has, then
// writes the manifest. On an error the target holds a mix of the old and
// new site in which every page's assets and link targets are present, the
// manifest names what was done, and the next Publish completes it.
func (t *Target) Publish(ctx context.Context, dir string) (*Report, error) {
	start := time.Now()
	var old *manifest
	err := do(ctx, t.opts.Attempts, t.opts.Backoff, func(ctx context.Context) (err error) {
		old, err = readManifest(ctx, t.bucket)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("publishing to %s: %w", t.name, err)
	}
	files, err := t.scan(dir, old)
	if err != nil {
		return nil, fmt.Errorf("publishing %s to %s: %w", dir, t.name, err)
	}
	next := &manifest{Version: manifestVersion, Objects: map[string]Object{}}
	for k, o := range old.Objects {
		next.Objects[k] = o
	}
	rep := &Report{Initial: len(old.Objects) == 0}
	var phases [phaseCount][]file
	local := map[string]bool{}
	for _, f := range files {
		local[f.key] = true
		if o, ok := old.Objects[f.key]; ok && o == f.obj {
			rep.Unchanged++
			continue
		}
		phases[f.phase] = append(phases[f.phase], f)
	}
	var gone []string
	for k := range old.Objects {
		if !local[k] {
			gone = append(gone, k)
		}
	}
	slices.Sort(gone)

	var mu sync.Mutex
	var failed error
	for p, batch := range phases {
		if len(batch) == 0 {
			continue
		}
		t.opts.Logger.Debug("deploy: uploading", "phase", phase(p).String(), "objects", len(batch))
		failed = t.each(ctx, len(batch), func(ctx context.Context, i int) error {
			f := batch[i]
			if err := t.upload(ctx, f); err != nil {
				return err
			}
			mu.Lock()
			next.Objects[f.key] = f.obj
			rep.Uploaded = append(rep.Uploaded, f.key)
			mu.Unlock()
			return nil
		})
		if failed != nil {
			break // later phases would name or use what is missing
		}
	}
	if failed == nil {
		failed = t.each(ctx, len(gone), func(ctx context.Context, i int) error {
			err := t.bucket.Delete(ctx, gone[i])
			if err != nil && gcerrors.Code(err) != gcerrors.NotFound {
				return fmt.Errorf("deleting %s: %w", gone[i], err)
			}
			mu.Lock()
			delete(next.Objects, gone[i])
			rep.Deleted = append(rep.Deleted, gone[i])
			mu.Unlock()
			return nil
		})
	}
	slices.Sort(rep.Uploaded)
	slices.Sort(rep.Deleted)
	// The manifest goes last, and even after a failure, so that what did
	// go up is not uploaded again. A fresh context: ctx may be why we failed.
	if len(rep.Uploaded) > 0 || len(rep.Deleted) > 0 {
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		err := do(wctx, t.opts.Attempts, t.opts.Backoff, func(ctx context.Context) error {
			return writeManifest(ctx, t.bucket, next)
		})
		cancel()
		failed = errors.Join(failed, err)
	}
	if failed != nil {
		return rep, fmt.Errorf("publishing to %s: %d uploaded, %d deleted before: %w (the next publish completes it)",
			t.name, len(rep.Uploaded), len(rep.Deleted), failed)
	}
	t.opts.Logger.Info("deploy: published", "target", t.name, "uploaded", len(rep.Uploaded),
		"deleted", len(rep.Deleted), "unchanged", rep.Unchanged, "took", time.Since(start))
	return rep, nil
}

// each runs op for 0..n-1 with at most Concurrency at a time, each retried
// with backoff, and returns the errors of those that failed.
func (t *Target) each(ctx context.Context, n int, op func(context.Context, int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(t.opts.Concurrency)
	for i := range n {
		g.Go(func() error {
			return do(gctx, t.opts.Attempts, t.opts.Backoff, func(ctx context.Context) error { return op(ctx, i) })
		})
	}
	return g.Wait()
}

// scan lists the files of dir with the objects they make. A name.gz
// beside name (sitehttp.Precompress's) is not an object of its own: it is
// name's body where the target stores gzip.
func (t *Target) scan(dir string, old *manifest) ([]file, error) {
	var files []file
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != dir {
				return filepath.SkipDir // .helpsite (the manifest) and the like
			}
			return nil
		}
		if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if strings.HasSuffix(key, ".gz") {
			if _, err := os.Stat(strings.TrimSuffix(p, ".gz")); err == nil {
				return nil
			}
		}
		f, err := t.describe(key, p)
		if err != nil {
			return err
		}
		_, known := old.Objects[key]
		f.phase = classify(key, !known)
		files = append(files, f)
		return nil
	})
	return files, err
}

// describe reads the file at p, the site's key, and works out its object.
func (t *Target) describe(key, p string) (file, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return file{}, err
	}
	sum := sha256.Sum256(data)
	f := file{key: key, path: p, obj: Object{
		Hash:         hex.EncodeToString(sum[:]),
		ContentType:  contentType(key),
		CacheControl: t.opts.Cache.cacheControl(key),
	}}
	if path.Ext(key) == ".html" {
		f.obj.Redirect = redirectTarget(data)
	}
	if t.gzip && compressible(f.obj.ContentType) && len(data) >= 1024 {
		f.obj.ContentEncoding = "gzip"
		if _, err := os.Stat(p + ".gz"); err == nil {
			f.gz = p + ".gz"
		}
	}
	return f, nil
}

// upload writes f's object.
func (t *Target) upload(ctx context.Context, f file) error {
	body, err := t.body(f)
	if err != nil {
		return err
	}
	opts := &blob.WriterOptions{
		ContentType:     f.obj.ContentType,
		CacheControl:    f.obj.CacheControl,
		ContentEncoding: f.obj.ContentEncoding,
		// The manifest holds the hash; this lets anyone check an object.
		Metadata: map[string]string{"helpsite-sha256": f.obj.Hash},
	}
	if f.obj.Redirect != "" {
		redirect := f.obj.Redirect
		opts.BeforeWrite = func(as func(any) bool) error {
			var in *transfermanager.UploadObjectInput
			if as(&in) {
				in.WebsiteRedirectLocation = aws.String(redirect)
			}
			return nil
		}
	}
	if err := t.bucket.WriteAll(ctx, f.key, body, opts); err != nil {
		return fmt.Errorf("uploading %s: %w", f.key, err)
	}
	return nil
}

// body returns the bytes to store for f: the file's, or gzipped.
func (t *Target) body(f file) ([]byte, error) {
	if f.obj.ContentEncoding != "gzip" {
		return os.ReadFile(f.path)
	}
	if f.gz != "" {
		return os.ReadFile(f.gz)
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
