package render

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/content"
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

// An ArticleReader reads an article from the API again. *fetch.Client is
// one.
type ArticleReader interface {
	Article(ctx context.Context, id string) (content.Article, error)
}

// imagesDir is where in the site images are published.
const imagesDir = "images"

// fetchImages downloads the images of every page in the plan. An image
// whose signed URL expired is downloaded again from a fresh URL, read with
// the article from the API (Options.Reread). What still fails is recorded
// in b.imageFailures, for writeContent to warn about on each page that
// shows it.
func (b *build) fetchImages(ctx context.Context) error {
	if b.opts.Images == nil {
		return nil
	}
	var names, bodies, ids []string
	for _, l := range b.plan.locales {
		for _, ap := range b.plan.byLocale[l].articles {
			names = append(names, ap.file)
			bodies = append(bodies, ap.text.Body)
			ids = append(ids, ap.article.ID)
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
	shownBy := map[string][]string{} // article ids by URL
	b.bodyImages = make(map[string][]string, len(names))
	for i, name := range names {
		b.bodyImages[name] = found[i]
		for _, u := range found[i] {
			if _, ok := shownBy[u]; !ok {
				urls = append(urls, u)
			}
			if !slices.Contains(shownBy[u], ids[i]) {
				shownBy[u] = append(shownBy[u], ids[i])
			}
		}
	}
	b.opts.progress("images", 0, len(urls))
	fetched, errs := b.opts.Images.Fetch(ctx, urls)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("render: fetching images: %w", err)
	}
	b.opts.progress("images", len(urls), len(urls))
	b.imageFailures = map[string]error{}
	for _, err := range errs {
		var ie *images.Error
		if !errors.As(err, &ie) {
			b.warn(Warning{Kind: WarnImage, Message: err.Error()}, true)
			continue
		}
		b.imageFailures[ie.URL] = err
	}
	if b.opts.Reread != nil {
		var expired []string
		for _, u := range urls {
			if errors.Is(b.imageFailures[u], images.ErrExpired) {
				expired = append(expired, u)
			}
		}
		if len(expired) > 0 {
			refreshed, err := b.refreshImages(ctx, expired, shownBy)
			if err != nil {
				return err
			}
			for u, img := range refreshed {
				fetched[u] = img
				delete(b.imageFailures, u)
			}
		}
	}
	b.images = map[string]images.Image{}
	for u, img := range fetched {
		if !validName(img.Name) {
			b.imageFailures[u] = fmt.Errorf("image %s: unsafe file name %q", u, img.Name)
			continue
		}
		b.images[u] = img
	}
	for _, err := range b.imageFailures {
		if !errors.Is(err, images.ErrRefused) {
			b.res.LostImages++
		}
	}
	return nil
}

// refreshImages reads the articles that show the images at urls, whose
// signed URLs expired, again from the API, and downloads the images from
// the fresh URLs they now give, matched by cache key. It returns the
// images it got, by expired URL, and records why it failed for the others
// in b.imageFailures. Only a canceled ctx is an error.
func (b *build) refreshImages(ctx context.Context, urls []string, shownBy map[string][]string) (map[string]images.Image, error) {
	stale := map[string][]string{} // expired URLs by cache key
	var ids []string
	seen := map[string]bool{}
	for _, u := range urls {
		key, err := images.Key(u)
		if err != nil {
			continue
		}
		stale[key] = append(stale[key], u)
		for _, id := range shownBy[u] {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	b.opts.logger().Info("render: image URLs expired; reading their articles again for fresh ones",
		"images", len(urls), "articles", len(ids))
	articles := make([]content.Article, len(ids))
	readErrs := make([]error, len(ids))
	err := b.parallel(ctx, "rereading", len(ids), func(i int) error {
		articles[i], readErrs[i] = b.opts.Reread.Article(ctx, ids[i])
		return nil
	})
	if err != nil {
		return nil, err
	}
	fresh := map[string][]string{} // fresh URLs by cache key
	var freshURLs []string
	readErr := map[string]error{} // by article id
	for i, a := range articles {
		if readErrs[i] != nil {
			readErr[ids[i]] = readErrs[i]
			continue
		}
		for _, t := range a.Translations {
			for _, u := range articlehtml.ImageURLs(t.Body) {
				key, err := images.Key(u)
				if err != nil || stale[key] == nil || slices.Contains(stale[key], u) || slices.Contains(fresh[key], u) {
					continue
				}
				fresh[key] = append(fresh[key], u)
				freshURLs = append(freshURLs, u)
			}
		}
	}
	got, errs := b.opts.Images.Fetch(ctx, freshURLs)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("render: fetching images: %w", err)
	}
	freshErr := map[string]error{}
	for _, err := range errs {
		var ie *images.Error
		if errors.As(err, &ie) {
			freshErr[ie.URL] = err
		}
	}
	refreshed := map[string]images.Image{}
	for key, old := range stale {
		var failed []error
		for _, u := range fresh[key] {
			if img, ok := got[u]; ok {
				for _, o := range old {
					refreshed[o] = img
				}
				break
			}
			if err := freshErr[u]; err != nil {
				failed = append(failed, err)
			}
		}
		if _, ok := refreshed[old[0]]; ok {
			continue
		}
		for _, o := range old {
			reason := fmt.Errorf("its fresh URL failed too: %w", errors.Join(failed...))
			if len(failed) == 0 {
				reason = rereadFailure(shownBy[o], readErr)
			}
			b.imageFailures[o] = fmt.Errorf("%w; %w", b.imageFailures[o], reason)
		}
	}
	b.opts.logger().Info("render: images fetched from fresh URLs", "images", len(refreshed), "of", len(urls))
	return refreshed, nil
}

// rereadFailure says why reading the articles ids again gave no fresh URL
// for an image they showed.
func rereadFailure(ids []string, readErr map[string]error) error {
	var errs []error
	for _, id := range ids {
		if err := readErr[id]; err != nil {
			errs = append(errs, fmt.Errorf("reading article %s again: %w", id, err))
		}
	}
	if len(errs) == 0 {
		return fmt.Errorf("article %s, read again, no longer shows it", strings.Join(ids, ", "))
	}
	return errors.Join(errs...)
}

// imageWarnings returns the warnings about the images the body of the
// content file name shows nowhere, and the articlehtml warnings they
// replace, which say less.
func (b *build) imageWarnings(name, locale, id string) (warnings []Warning, replaced map[string]bool) {
	if len(b.imageFailures) == 0 {
		return nil, nil
	}
	for _, u := range b.bodyImages[name] {
		err, failed := b.imageFailures[u]
		if !failed {
			continue
		}
		w := Warning{Kind: WarnImageLost, Locale: locale, Article: id, Message: err.Error() + "; the page shows its alt text in its place"}
		if errors.Is(err, images.ErrRefused) {
			w.Kind, w.Message = WarnImage, err.Error()+"; not downloaded, the page shows its alt text in its place"
		}
		warnings = append(warnings, w)
		if replaced == nil {
			replaced = map[string]bool{}
		}
		replaced[articlehtml.UnavailableImage(u)] = true
	}
	return warnings, replaced
}

// imageURLs returns articlehtml.ImageURLs of the body of the content file
// name: from the last build's record when the body is the one it saw.
func (b *build) imageURLs(name, body string) []string {
	if b.prevRecords != nil {
		if rec := b.prevRecords.articles[name]; rec != nil && rec.body.source == body {
			return rec.body.imageURLs
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
