package render

import (
	"slices"
	"strings"
)

// siteOutputs are the pages a build lays out in its output.
type siteOutputs struct {
	// dirs are the page directories (addOutputDirs), slash paths below
	// the output; otherDirs are those of no article page nor of its
	// redirect pages.
	dirs      map[string]bool
	otherDirs []string
	// urls maps each content file of a page to its URL; otherURLs are the
	// content files of pages that are not articles.
	urls      map[string]string
	otherURLs []string
	// redirectPages are the pages that redirect to articles and
	// collections that the build laid out: in an Update, those of the
	// pages it made; the records of the others have theirs.
	redirectPages []redirectPage
	// redirects are the redirects of the article pages, sorted
	// (build.redirects).
	redirects []redirectEntry
	// sitemaps are the sitemaps of each locale, as the root sitemap
	// lists them (writeSitemaps).
	sitemaps map[string][]sitemapPointer
	// warnings are those about the article pages, by content file, and
	// warned the content files that have some, in the plan's order
	// (articleWarnings).
	warnings map[string][]Warning
	warned   []string
	// llms are the parts of each locale's llms.txt (localeLLMs).
	llms map[string][]string
}

// newSiteOutputs returns siteOutputs sized like last, unless the build
// carries last over (carry), which takes over its maps.
func newSiteOutputs(last *siteOutputs, carries bool) siteOutputs {
	if carries {
		return siteOutputs{dirs: map[string]bool{}, urls: map[string]string{}}
	}
	return siteOutputs{dirs: make(map[string]bool, len(last.dirs)), urls: make(map[string]string, len(last.urls)),
		redirectPages: make([]redirectPage, 0, len(last.redirectPages))}
}

// carry takes over from the last build, in an Update of a Live Renderer,
// what it did for the article pages this build does not make: their
// records (with what rewriting their bodies found and their redirect
// pages), content files, output directories, URLs and redirects, without
// going over them one by one; and the sitemaps of the locales, which
// writeSitemaps makes again where a page changed. What the last build did
// for the pages made is dropped, as is what it did for pages no longer
// built (gone) and for pages that are not articles', which this build
// does again; the directories dropped are the candidates for removal
// (listRemoved). It runs before the build lays out any page.
//
// The last build's maps are taken over, not copied: after a failed build,
// which leaves them changed, the next renders the whole site
// (Renderer.forget).
func (b *build) carry(made []*articleJob, gone []string) {
	prev, last := b.prevRecords, b.prev
	dropped := make(map[string]*articleRecord, len(made)+len(gone)) // by content file
	for _, j := range made {
		if j.prev != nil {
			dropped[j.name] = j.prev
		}
	}
	for _, name := range gone {
		dropped[name] = prev.articles[name]
	}
	b.records.articles, prev.articles = prev.articles, nil
	for name := range dropped {
		delete(b.records.articles, name)
	}
	b.tree.carry(isArticleGroup, gone)

	b.out.dirs = last.dirs
	b.dropped = slices.Clone(last.otherDirs)
	for _, rec := range dropped {
		b.dropped = append(b.dropped, strings.Trim(rec.url, "/"))
		b.dropped = append(b.dropped, rec.redirects.dirs...)
	}
	for _, dir := range b.dropped {
		delete(b.out.dirs, dir)
	}
	b.out.urls = last.urls
	for _, name := range last.otherURLs {
		delete(b.out.urls, name)
	}
	for name := range dropped {
		delete(b.out.urls, name)
	}
	b.out.sitemaps = last.sitemaps
	b.out.redirects = slices.DeleteFunc(last.redirects, func(e redirectEntry) bool {
		_, ok := dropped[e.source]
		return ok
	})
	*last = siteOutputs{}
}

// isArticleFile reports whether name is the content file of an article
// page (contentFile).
func isArticleFile(name string) bool {
	rest, ok := strings.CutPrefix(name, contentDir+"/")
	if !ok {
		return false
	}
	_, rest, ok = strings.Cut(rest, "/") // the locale
	rest, isArticle := strings.CutPrefix(rest, "articles/")
	id, isPage := strings.CutSuffix(rest, "/"+pageFile)
	return ok && isArticle && isPage && id != "" && !strings.Contains(id, "/")
}

// isArticleGroup reports whether the tree's group (fileGroup) is that of
// the article pages of a locale, content/{locale}/articles.
func isArticleGroup(group string) bool {
	rest, ok := strings.CutPrefix(group, contentDir+"/")
	locale, section, _ := strings.Cut(rest, "/")
	return ok && locale != "" && section == "articles"
}

// isArticleRedirectPage reports whether rp is one of a published article's.
func isArticleRedirectPage(rp redirectPage) bool {
	return !rp.retired && isArticleFile(rp.source)
}
