package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/helpsite/helpsite/internal/atomicfile"
	"github.com/helpsite/helpsite/render"
)

// Retired remembers the pages of articles that were unpublished or
// deleted, so that their URLs keep leading somewhere: to the article's
// collection in that locale, or the locale's home. Keys are the pages'
// root-relative URLs.
type Retired map[string]RetiredPage

// RetiredPage is where a retired article page was.
type RetiredPage struct {
	ArticleID   string   `json:"article_id"`
	Locale      string   `json:"locale"`
	Collections []string `json:"collections,omitempty"`
}

// LoadRetired reads the retired pages saved in path; none if it does not
// exist.
func LoadRetired(path string) (Retired, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Retired{}, nil
	}
	if err != nil {
		return nil, err
	}
	r := Retired{}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s is corrupt: %w", path, err)
	}
	return r, nil
}

// Save writes r to path atomically.
func (r Retired) Save(path string) error {
	data, err := json.MarshalIndent(r, "", "\t")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// Track records the URLs of the articles that the site of oldPlan
// published and that of nextPlan no longer publishes in a locale (its page,
// bare id and former slugs), and forgets those that it publishes again.
// An article that is still published keeps its old URLs through its
// former slugs, which redirect to its page (see render).
func (r Retired) Track(oldPlan, nextPlan *render.Plan) {
	old, next := oldPlan.Site(), nextPlan.Site()
	for i := range old.Articles {
		a := &old.Articles[i]
		for _, l := range oldPlan.Locales() {
			page := oldPlan.ArticleURL(a, l)
			if page == "" {
				continue
			}
			if b := next.Article(a.ID); b == nil || nextPlan.ArticleURL(b, l) == "" {
				rp := RetiredPage{ArticleID: a.ID, Locale: l, Collections: a.ParentIDs}
				r[page], r[bareURL(page)] = rp, rp
				for _, s := range a.FormerSlugs[l] {
					r["/"+render.URLLocale(l)+"/"+render.ArticlePath(a.ID, s)+"/"] = rp
				}
			}
		}
	}
	for page, rp := range r {
		if b := next.Article(rp.ArticleID); b != nil && nextPlan.ArticleURL(b, rp.Locale) != "" {
			delete(r, page) // published again: its own page and redirects serve it
		}
	}
}

// bareURL is the id-only URL of an article page: /l/articles/123/.
func bareURL(page string) string {
	dir, last := filepath.Split(strings.TrimSuffix(page, "/"))
	id, _, _ := strings.Cut(last, "-")
	return dir + id + "/"
}

// appendRedirects adds a redirect for each retired page to the site's
// _redirects file.
func (r Retired) appendRedirects(dir string, plan *render.Plan) error {
	if len(r) == 0 {
		return nil
	}
	var b strings.Builder
	for _, page := range slices.Sorted(maps.Keys(r)) {
		rp := r[page]
		if !slices.Contains(plan.Locales(), rp.Locale) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(page), "index.html")); err == nil {
			continue // the page exists again
		}
		to := plan.HomeURL(rp.Locale)
		for _, c := range rp.Collections {
			if u := plan.CollectionURL(c, rp.Locale); u != "" {
				to = u
				break
			}
		}
		fmt.Fprintf(&b, "%s %s 301\n", page, to)
	}
	return insertRedirects(filepath.Join(dir, render.RedirectsFile), b.String())
}

// insertRedirects adds rules, exact ones, to the _redirects file before
// its first rule with a splat: Cloudflare Pages counts every rule after
// that one against its budget of 100 rules with splats.
func insertRedirects(file, rules string) error {
	data, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	text := string(data)
	at := len(text)
	for i := 0; i < len(text); {
		line, _, _ := strings.Cut(text[i:], "\n")
		if from, _, _ := strings.Cut(line, " "); strings.Contains(from, "*") {
			at = i
			break
		}
		i += len(line) + 1
	}
	return atomicfile.WriteFile(file, []byte(text[:at]+rules+text[at:]))
}
