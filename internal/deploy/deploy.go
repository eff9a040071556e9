// Package deploy publishes a built site to object storage (S3 and
// S3-compatible stores, Google Cloud Storage, Azure Blob, a local
// directory) through gocloud.dev/blob, for a CDN to serve.
//
// A publish is incremental and ordered. The target keeps a manifest that
// helpsite owns (ManifestKey): each object's content hash and metadata.
// Only files whose hash or metadata differ are uploaded, and objects the
// build no longer has are deleted; a caller that knows which files
// changed (the webhook server, after an incremental build) names them
// (PublishFiles), and only those are read. Uploads go in phases — assets, new
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
	"maps"
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

// A Target is a bucket URL to publish to, one publish at a time.
type Target struct {
	bucket *blob.Bucket
	name   string
	opts   Options
	gzip   bool
	// last is the manifest the last publish wrote, of the site in
	// lastDir; nil until one succeeds and after one fails. The target
	// holds what it says, as helpsite alone writes the site's objects.
	last    *manifest
	lastDir string
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
	Uploaded []string
	Deleted  []string
	// Hashed counts the files read and hashed to compare them with the
	// manifest; Unchanged those of them that were the same.
	Hashed, Unchanged int
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
	old, err := t.readManifest(ctx)
	if err != nil {
		return nil, err
	}
	files, err := t.scan(dir, old)
	if err != nil {
		return nil, fmt.Errorf("publishing %s to %s: %w", dir, t.name, err)
	}
	local := map[string]bool{}
	for _, f := range files {
		local[f.key] = true
	}
	var gone []string
	for k := range old.Objects {
		if !local[k] {
			gone = append(gone, k)
		}
	}
	return t.publish(ctx, dir, old, files, gone)
}

// PublishFiles is Publish when only some files of dir changed since the
// last publish of dir, written and removed (slash paths below dir; a
// removed one may be a directory): it reads and compares only those.
// After a failed publish, before the first, or after one of another
// directory, it does what Publish does, as the target may then lack files
// that changed before.
func (t *Target) PublishFiles(ctx context.Context, dir string, written, removed []string) (*Report, error) {
	if t.last == nil || t.lastDir != dir {
		return t.Publish(ctx, dir)
	}
	files, gone, err := t.changedFiles(dir, t.last, written, removed)
	if err != nil {
		return nil, fmt.Errorf("publishing %s to %s: %w", dir, t.name, err)
	}
	return t.publish(ctx, dir, t.last, files, gone)
}

// readManifest reads the target's manifest, with retries.
func (t *Target) readManifest(ctx context.Context) (*manifest, error) {
	var m *manifest
	err := do(ctx, t.opts.Attempts, t.opts.Backoff, func(ctx context.Context) (err error) {
		m, err = readManifest(ctx, t.bucket)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("publishing to %s: %w", t.name, err)
	}
	return m, nil
}

// publish uploads those of files, of the site in dir, that differ from
// old, deletes the keys gone, and writes the manifest.
func (t *Target) publish(ctx context.Context, dir string, old *manifest, files []file, gone []string) (*Report, error) {
	start := time.Now()
	t.last = nil // until this publish is complete
	next := &manifest{Version: manifestVersion, Objects: maps.Clone(old.Objects)}
	rep := &Report{Initial: len(old.Objects) == 0, Hashed: len(files)}
	var phases [phaseCount][]file
	for _, f := range files {
		if o, ok := old.Objects[f.key]; ok && o == f.obj {
			rep.Unchanged++
			continue
		}
		phases[f.phase] = append(phases[f.phase], f)
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
	t.last, t.lastDir = next, dir
	t.opts.Logger.Info("deploy: published", "target", t.name, "uploaded", len(rep.Uploaded),
		"deleted", len(rep.Deleted), "hashed", rep.Hashed, "unchanged", rep.Unchanged, "took", time.Since(start))
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

// scan lists the files of dir with the objects they make.
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
		if !d.Type().IsRegular() || !siteFile(dir, key) {
			return nil
		}
		f, err := t.file(dir, key, old)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	return files, err
}

// changedFiles lists the files of dir among written and removed, and those
// below a removed directory, with the objects they make, and the keys of
// old that dir no longer has among them.
func (t *Target) changedFiles(dir string, old *manifest, written, removed []string) ([]file, []string, error) {
	keys := map[string]bool{}
	for _, k := range written {
		keys[k] = true
	}
	if len(removed) > 0 {
		known := slices.Sorted(maps.Keys(old.Objects))
		for _, r := range removed {
			r = strings.TrimSuffix(r, "/")
			if !fs.ValidPath(r) || r == "." {
				return nil, nil, fmt.Errorf("%q is not a path below the site", r)
			}
			keys[r] = true
			// The keys below r, if it was a directory: a range of known.
			i, _ := slices.BinarySearch(known, r+"/")
			for ; i < len(known) && strings.HasPrefix(known[i], r+"/"); i++ {
				keys[known[i]] = true
			}
		}
	}
	var files []file
	var gone []string
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		if !fs.ValidPath(key) || key == "." {
			return nil, nil, fmt.Errorf("%q is not a path below the site", key)
		}
		info, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(key)))
		switch {
		case err == nil && info.IsDir():
			continue // its files are named one by one
		case err == nil && info.Mode().IsRegular() && siteFile(dir, key):
			f, err := t.file(dir, key, old)
			if err != nil {
				return nil, nil, err
			}
			files = append(files, f)
		case err == nil || errors.Is(err, fs.ErrNotExist):
			if _, ok := old.Objects[key]; ok {
				gone = append(gone, key)
			}
		default:
			return nil, nil, err
		}
	}
	return files, gone, nil
}

// siteFile reports whether the file at key (a slash path) below dir is an
// object of the site: not hidden (.helpsite, the manifest's directory,
// and the like), and not the precompressed name.gz of a file name beside
// it (sitehttp.Precompress's), which is name's body where the target
// stores gzip.
func siteFile(dir, key string) bool {
	for el := range strings.SplitSeq(key, "/") {
		if strings.HasPrefix(el, ".") {
			return false
		}
	}
	if base, ok := strings.CutSuffix(key, ".gz"); ok {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(base))); err == nil {
			return false
		}
	}
	return true
}

// file returns the file of the site at key below dir, with its object
// and phase.
func (t *Target) file(dir, key string, old *manifest) (file, error) {
	f, err := t.describe(key, filepath.Join(dir, filepath.FromSlash(key)))
	if err != nil {
		return file{}, err
	}
	_, known := old.Objects[key]
	f.phase = classify(key, !known)
	return f, nil
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
