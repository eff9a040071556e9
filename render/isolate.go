package render

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/helpsite/helpsite/internal/content"
)

// One article or collection that cannot be rendered must not take the site
// down with it. When the pages of one item fail (a template that trips on
// its data, a panic in rewriting its body), the build is run again
// without that item, which the Result lists as skipped. A Renderer
// remembers the content that failed and leaves it out of later plans
// until it changes, so a broken item costs one failed build, not one per
// later change. An Update keeps serving the live pages of an item it
// leaves out.

// maxExcluded is how many items one build leaves out before it gives up:
// more failures than that are the theme's, not the content's.
const maxExcluded = 16

// An ItemError is a failure to render the pages of one item.
type ItemError struct {
	key pageKey
	Err error
}

func (e *ItemError) Error() string {
	return fmt.Sprintf("render: %s %s (%s): %v", e.key.kind, e.key.id, e.key.locale, e.Err)
}

func (e *ItemError) Unwrap() error { return e.Err }

// hugoPageError matches the content file a Hugo error names, like
// `render of "/helpsite/content/en/articles/123/index.html" failed`.
var hugoPageError = regexp.MustCompile(`/` + contentDir + `/([A-Za-z0-9-]{2,20})/(articles|collections|print)/([0-9]{1,20})/` + regexp.QuoteMeta(pageFile))

// itemError returns the ItemError for err if err names the content file of
// one page of plan, else nil.
func itemError(plan *Plan, err error) *ItemError {
	m := hugoPageError.FindStringSubmatch(err.Error())
	if m == nil {
		return nil
	}
	locale := ""
	for _, l := range plan.locales {
		if strings.EqualFold(l, m[1]) {
			locale = l
		}
	}
	if locale == "" {
		return nil
	}
	kind := "article"
	if m[2] != "articles" {
		kind = "collection"
	}
	return &ItemError{key: pageKey{kind, m[3], locale}, Err: err}
}

// brokenPage is content that failed to render: its hash and why.
type brokenPage struct {
	hash   [32]byte
	reason string
}

// itemHash is the hash of what the pages of k are made from in site, or
// false if site has no such item.
func itemHash(site *content.Site, k pageKey) ([32]byte, bool) {
	var v any
	switch k.kind {
	case "article":
		a := site.Article(k.id)
		if a == nil {
			return [32]byte{}, false
		}
		v = []any{a.ParentIDs, a.Translations[k.locale]}
	default:
		c := site.Collection(k.id)
		if c == nil {
			return [32]byte{}, false
		}
		v = []any{c.ParentID, c.Translations[k.locale]}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return [32]byte{}, false
	}
	return sha256.Sum256(data), true
}

// stillBroken returns the items of site that failed before with the same
// content, with the reasons, and forgets those that changed or are gone.
func (r *Renderer) stillBroken(site *content.Site) map[pageKey]string {
	excluded := map[pageKey]string{}
	for k, bp := range r.broken {
		h, ok := itemHash(site, k)
		if ok && h == bp.hash {
			excluded[k] = bp.reason
		}
	}
	return excluded
}

// exclude leaves the pages of k out of p, for the reason given.
func (p *Plan) exclude(k pageKey, reason string) {
	p.excluded[k] = true
	p.base = 0 // the locale's pages are compared with themselves
	p.skip(k.kind, k.id, k.locale, reason)
	if p.byLocale[k.locale] != nil {
		p.byLocale[k.locale] = p.planLocale(k.locale, p.byLocale[k.locale])
	}
}

// excludedPage reports whether dir, a page directory name in section of
// locale's output, is a page of an item the plan leaves out.
func (p *Plan) excludedPage(locale, section, dir string) bool {
	kind := "article"
	if section != "articles" {
		kind = "collection"
	}
	id, _, _ := strings.Cut(dir, "-")
	return p.excluded[pageKey{kind, id, locale}]
}

// keepLivePages copies into outDir the live pages of the articles and
// collections plan leaves out, so that a full build made after a failed
// update still serves their last good pages, and returns their
// directories, slash paths below outDir.
func keepLivePages(plan *Plan, live, outDir string) ([]string, error) {
	var kept []string
	for k := range plan.excluded {
		sections := []string{"articles"}
		if k.kind == "collection" {
			sections = []string{"collections", "print"}
		}
		for _, section := range sections {
			dir := filepath.Join(live, URLLocale(k.locale), section)
			names, err := readDirNames(dir)
			if err != nil {
				return nil, err
			}
			for _, name := range names {
				if !plan.excludedPage(k.locale, section, name) {
					continue
				}
				dst := filepath.Join(outDir, URLLocale(k.locale), section, name)
				if _, err := os.Stat(dst); err == nil {
					continue
				}
				if err := os.CopyFS(dst, os.DirFS(filepath.Join(dir, name))); err != nil {
					return nil, fmt.Errorf("render: keeping the last good page of %s %s: %w", k.kind, k.id, err)
				}
				kept = append(kept, URLLocale(k.locale)+"/"+section+"/"+name)
			}
		}
	}
	return kept, nil
}

// recoverItem turns a panic while preparing the pages of k into an
// ItemError in *err.
func recoverItem(k pageKey, err *error) {
	if v := recover(); v != nil {
		*err = &ItemError{key: k, Err: fmt.Errorf("panic: %v", v)}
	}
}

// asItemError returns err's ItemError, if it has one.
func asItemError(plan *Plan, err error) *ItemError {
	if ie, ok := errors.AsType[*ItemError](err); ok {
		return ie
	}
	return itemError(plan, err)
}

// emptyDir removes everything in dir, leaving it empty.
func emptyDir(dir string) error {
	names, err := readDirNames(dir)
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	return nil
}
