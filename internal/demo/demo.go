// Package demo holds the demo help center that `sitegen --demo` mirrors: the
// help center of "Northwind Pay", a fictional invoicing and payments service,
// in five locales (en, fr, de, ja, ar).
//
// The content is embedded as data files so that a writer can edit it without
// touching Go code:
//
//	data/helpcenter.json            {"help_centers": [...], "collections": [...]}
//	data/articles/<id>/article.json the article, every translation without its body
//	data/articles/<id>/<locale>.html that translation's body, Intercom editor HTML
//
// Besides the usual content it holds the awkward cases a real help center
// has, so that every stage of the pipeline meets them: one article that is a
// draft in every locale, translations that are drafts under published
// articles, an article in two collections, a three-level collection tree, and
// links to a draft and to an article that no longer exists.
package demo

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/helpsite/helpsite/internal/content"
)

//go:embed data
var data embed.FS

const (
	helpCenterFile = "helpcenter.json"
	articlesDir    = "articles"
	articleFile    = "article.json"
	bodyExt        = ".html"
)

// Site returns the demo help center, sorted. Each call returns a fresh copy
// that the caller may modify.
func Site() (*content.Site, error) {
	fsys, err := fs.Sub(data, "data")
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	return load(fsys)
}

// load reads a help center laid out as described in the package comment and
// checks that it hangs together.
func load(fsys fs.FS) (*content.Site, error) {
	var tree struct {
		HelpCenters []content.HelpCenter `json:"help_centers"`
		Collections []content.Collection `json:"collections"`
	}
	if err := decodeFile(fsys, helpCenterFile, &tree); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	entries, err := fs.ReadDir(fsys, articlesDir)
	if err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	site := &content.Site{HelpCenters: tree.HelpCenters, Collections: tree.Collections}
	for _, e := range entries {
		if !e.IsDir() {
			return nil, fmt.Errorf("demo data: %s is not an article directory", path.Join(articlesDir, e.Name()))
		}
		a, err := loadArticle(fsys, path.Join(articlesDir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
		site.Articles = append(site.Articles, a)
	}
	site.Sort()
	if err := validate(site); err != nil {
		return nil, fmt.Errorf("demo data: %w", err)
	}
	return site, nil
}

// loadArticle reads one article directory: article.json and one body file
// per translation, no more and no less.
func loadArticle(fsys fs.FS, dir string) (content.Article, error) {
	var a content.Article
	if err := decodeFile(fsys, path.Join(dir, articleFile), &a); err != nil {
		return a, err
	}
	if a.ID != path.Base(dir) {
		return a, fmt.Errorf("%s: id %q does not match its directory", dir, a.ID)
	}
	for locale, t := range a.Translations {
		if t.Body != "" {
			return a, fmt.Errorf("article %s: translation %q has a body in %s; it belongs in %s%s", a.ID, locale, articleFile, locale, bodyExt)
		}
	}
	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return a, err
	}
	for _, f := range files {
		name := f.Name()
		if name == articleFile {
			continue
		}
		locale, ok := strings.CutSuffix(name, bodyExt)
		t, known := a.Translations[locale]
		if !ok || !known {
			return a, fmt.Errorf("article %s: %s is not the body of one of its translations", a.ID, name)
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return a, err
		}
		t.Body = strings.TrimSuffix(string(body), "\n")
		a.Translations[locale] = t
	}
	for locale, t := range a.Translations {
		if t.Body == "" {
			return a, fmt.Errorf("article %s: translation %q has no body (%s%s missing or empty)", a.ID, locale, locale, bodyExt)
		}
	}
	def, ok := a.Translations[a.DefaultLocale]
	if !ok {
		return a, fmt.Errorf("article %s: no translation in its default locale %q", a.ID, a.DefaultLocale)
	}
	a.CreatedAt, a.UpdatedAt = def.CreatedAt, def.UpdatedAt
	return a, nil
}

// decodeFile decodes a JSON file, rejecting fields the content model does not
// have so that a misspelt key is not silently dropped.
func decodeFile(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// validate checks the references between help centers, collections and
// articles of a sorted site, and reports every problem it finds.
func validate(s *content.Site) error {
	var errs []error
	report := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	locales := make(map[string][]string) // help center id → its locales
	for i, hc := range s.HelpCenters {
		if i > 0 && s.HelpCenters[i-1].ID == hc.ID {
			report("help center %s: duplicate id", hc.ID)
		}
		if len(hc.Locales) == 0 {
			report("help center %s: no locales", hc.ID)
		}
		locales[hc.ID] = hc.Locales
	}
	for i, c := range s.Collections {
		if i > 0 && s.Collections[i-1].ID == c.ID {
			report("collection %s: duplicate id", c.ID)
		}
		hcLocales, ok := locales[c.HelpCenterID]
		if !ok {
			report("collection %s: help center %q does not exist", c.ID, c.HelpCenterID)
		}
		for _, l := range hcLocales {
			if g := c.Translations[l]; g.Name == "" || g.Description == "" {
				report("collection %s: no name or description in locale %q", c.ID, l)
			}
		}
		if c.ParentID != "" && s.Collection(c.ParentID) == nil {
			report("collection %s: parent %s does not exist", c.ID, c.ParentID)
		} else if inCycle(s, c) {
			report("collection %s: its parents form a cycle", c.ID)
		}
	}
	for i, a := range s.Articles {
		if i > 0 && s.Articles[i-1].ID == a.ID {
			report("article %s: duplicate id", a.ID)
		}
		if len(a.ParentIDs) == 0 {
			report("article %s: in no collection", a.ID)
			continue
		}
		for _, p := range a.ParentIDs {
			if s.Collection(p) == nil {
				report("article %s: parent collection %s does not exist", a.ID, p)
			}
		}
		if primary := s.Collection(a.ParentIDs[0]); primary != nil {
			for l := range a.Translations {
				if !slices.Contains(locales[primary.HelpCenterID], l) {
					report("article %s: locale %q is not one of its help center's", a.ID, l)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// inCycle reports whether following c's parents leads back to c.
func inCycle(s *content.Site, c content.Collection) bool {
	for range len(s.Collections) {
		p := s.Collection(c.ParentID)
		if p == nil {
			return false
		}
		c = *p
	}
	return true
}
