package render

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/images"
)

// An ImageStore downloads images into local files. *images.Store is one.
type ImageStore interface {
	// Fetch returns the images it could get, keyed by URL, and an error
	// for each it could not.
	Fetch(ctx context.Context, urls []string) (map[string]images.Image, []error)
	// Path returns the local file that holds img. The site gets a hard
	// link or copy of it.
	Path(img images.Image) string
}

// imagesDir is where in the site images are published.
const imagesDir = "images"

// fetchImages downloads the images of every page in the plan and records
// a warning for each that failed.
func (b *build) fetchImages(ctx context.Context) error {
	if b.opts.Images == nil {
		return nil
	}
	var names, bodies []string
	for _, l := range b.plan.locales {
		for _, ap := range b.plan.byLocale[l].articles {
			names = append(names, articleFile(l, ap))
			bodies = append(bodies, ap.text.Body)
		}
	}
	found := make([][]string, len(bodies))
	err := b.parallel(ctx, "scanning", len(bodies), func(i int) error {
		found[i] = b.imageURLs(names[i], bodies[i])
		return nil
	})
	if err != nil {
		return err
	}
	var urls []string
	seen := map[string]bool{}
	b.bodyImages = make(map[string][]string, len(names))
	for i, name := range names {
		b.bodyImages[name] = found[i]
		for _, u := range found[i] {
			if !seen[u] {
				seen[u] = true
				urls = append(urls, u)
			}
		}
	}
	b.opts.progress("images", 0, len(urls))
	fetched, errs := b.opts.Images.Fetch(ctx, urls)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("render: fetching images: %w", err)
	}
	b.opts.progress("images", len(urls), len(urls))
	b.images = map[string]images.Image{}
	for u, img := range fetched {
		if !validName(img.Name) {
			errs = append(errs, fmt.Errorf("image %s: unsafe file name %q", u, img.Name))
			continue
		}
		b.images[u] = img
	}
	for _, err := range errs {
		b.warn(Warning{Kind: WarnImage, Message: err.Error()}, true)
	}
	return nil
}

// imageURLs returns articlehtml.ImageURLs of the body of the content file
// name: from the rewrite cache when the body is the one it saw.
func (b *build) imageURLs(name, body string) []string {
	if b.cache != nil {
		if e, ok := b.cache.lookup(name); ok && e.body == sha256.Sum256([]byte(body)) {
			return e.imageURLs
		}
	}
	return articlehtml.ImageURLs(body)
}

// validName reports whether name is a plain file name.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`)
}

// resolveImage maps an image URL to its local copy.
func (b *build) resolveImage(src string) (articlehtml.Image, bool) {
	img, ok := b.images[src]
	if !ok {
		return articlehtml.Image{}, false
	}
	return articlehtml.Image{Src: "/" + imagesDir + "/" + img.Name, Width: img.Width, Height: img.Height}, true
}

// copyImages puts the downloaded images into the output, each once, in
// a stable order.
func (b *build) copyImages() error {
	files := map[string]string{} // by name
	for _, img := range b.images {
		files[img.Name] = b.opts.Images.Path(img)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if b.live != "" {
			// An image's name is its content's hash: one the live site
			// has is the same.
			if _, err := os.Stat(filepath.Join(b.live, imagesDir, name)); err == nil {
				continue
			}
		}
		if err := copyFile(files[name], b.sitePath(imagesDir, name)); err != nil {
			return fmt.Errorf("render: copying image: %w", err)
		}
	}
	b.res.Images = len(files)
	return nil
}

// copyFile copies src to dst, creating dst's directory. It hard-links
// when it can: images are never modified in place.
func copyFile(src, dst string) (err error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if os.Link(src, dst) == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}
