package render

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/helpsite/helpsite/internal/articlehtml"
	"github.com/helpsite/helpsite/internal/images"
)

// An Update of a Live Renderer makes front matter only for the article
// pages it may change: those whose article changed, the other pages of
// the collections that list one (prev, next and related articles show
// their siblings), the translations of one (each page lists where its
// translations are) and the articles below a collection that changed
// (breadcrumbs). What the last build did for the others is carried over
// whole (carry), without making their front matter: the cost of a change
// follows the change, not the site. The front matter's key (see
// frontMatter.key) stays the check of what is made.

// articleState is what an article page is made of that comes from the
// article itself in its locale, and the part of it that other pages show
// (title, URL, description).
type articleState struct {
	title, description, slug, author string
	created, updated                 time.Time
	summarized                       bool
	collection                       string // the primary collection's id
	formerSlugs                      []string
	headings                         []articlehtml.Heading
	// intercomPath is the path of its Intercom URL, which the redirect
	// files lead to its page.
	intercomPath string
}

func (s *articleState) equal(o *articleState) bool {
	// Unchanged strings are the snapshot's own, shared from one version to
	// the next: most comparisons are of pointers.
	return s.title == o.title && s.description == o.description && s.slug == o.slug && s.author == o.author &&
		s.created.Equal(o.created) && s.updated.Equal(o.updated) && s.summarized == o.summarized &&
		s.collection == o.collection && slices.Equal(s.formerSlugs, o.formerSlugs) && slices.Equal(s.headings, o.headings) &&
		s.intercomPath == o.intercomPath
}

// collectionState is what the pages below a collection show of it, and
// its place: its name, description, URL, parent, and the articles it
// lists, which show one another; and the rest of what its own page and
// the cards of it on other pages show.
type collectionState struct {
	name, about, slug, parent string
	articles                  []string // ids, in order
	icon                      string
	count                     int
	children                  []string // ids, in order
	formerSlugs               []string
}

// shown reports whether the pages below the collection show it as they
// showed o: in their breadcrumbs.
func (s *collectionState) shown(o *collectionState) bool {
	return s.name == o.name && s.about == o.about && s.slug == o.slug && s.parent == o.parent
}

// equal reports whether every page that shows the collection shows it as
// it showed o, as far as the collection itself goes.
func (s *collectionState) equal(o *collectionState) bool {
	return s.shown(o) && slices.Equal(s.articles, o.articles) && s.icon == o.icon && s.count == o.count &&
		slices.Equal(s.children, o.children) && slices.Equal(s.formerSlugs, o.formerSlugs)
}

// collectionRecord is what a build did for a collection's page in a
// locale: its state, and as for an article (articleRecord) the key of its
// front matter, its URL, its redirect pages and its section of llms.txt
// (localeLLMs), once made.
type collectionRecord struct {
	state     collectionState
	made      uint64
	url       string
	redirects redirectPage
	llms      string
}

// collectionKey is the key of the page of cp in pageRecords.collections.
func collectionKey(cp *collectionPage) pageKey {
	return pageKey{"collection", cp.collection.ID, cp.locale}
}

// collection returns the record of the page of cp, nil if r (nil if the
// Renderer is not Live) has none.
func (r *pageRecords) collection(cp *collectionPage) *collectionRecord {
	if r == nil {
		return nil
	}
	return r.collections[collectionKey(cp)]
}

// articleRecord is what a build did for an article page: its state, the
// key of its front matter, and its redirect pages.
type articleRecord struct {
	state articleState
	made  uint64
	url   string
	// redirects are its redirect pages (addRedirectPages).
	redirects redirectPage
	// llms is its line in its locale's llms.txt (llmsLine).
	llms string
	// body is what the rewriting of its body found (rewrite).
	body rewriteEntry
}

// pageRecords are what a build of a Live Renderer did, for the next.
type pageRecords struct {
	locales []string
	// hosts are those of the help center that links name (intercomHosts).
	hosts       string
	mu          sync.Mutex
	articles    map[string]*articleRecord // by content file; a record is not changed once made
	collections map[pageKey]*collectionRecord
	// linking are the content files of the article pages whose bodies
	// link to each page, by id (linkTarget), and showing those whose
	// bodies show each image, by URL: the pages to look at again when
	// one moves or resolves otherwise (changedJobs).
	linking, showing reverseIndex
	// images and imageFailures are the build's (build.images, and the
	// messages of build.imageFailures), to tell which images resolve
	// otherwise in the next (changedImages).
	images        map[string]images.Image
	imageFailures map[string]string
}

// A reverseIndex maps a key to the content files of the article pages
// whose bodies name it.
type reverseIndex map[string]map[string]bool

func (x reverseIndex) add(key, name string) {
	if x[key] == nil {
		x[key] = map[string]bool{}
	}
	x[key][name] = true
}

func (x reverseIndex) remove(key, name string) {
	if delete(x[key], name); len(x[key]) == 0 {
		delete(x, key)
	}
}

// indexBody adds (or with add false, removes) the content file name,
// whose body's rewriting found e, to the reverse indexes of r.
func (r *pageRecords) indexBody(name string, e *rewriteEntry, add bool) {
	link, show := r.linking.remove, r.showing.remove
	if add {
		link, show = r.linking.add, r.showing.add
	}
	for _, l := range e.links {
		if l.target.page.kind != "" {
			link(l.target.page.id, name)
		}
	}
	for _, img := range e.images {
		show(img.src, name)
	}
	for _, u := range e.imageURLs {
		show(u, name)
	}
}

// indexBodies brings the reverse indexes of the records up to date with
// the bodies of jobs and the pages gone. A build that carries over the
// last changes the last build's indexes where a body was rewritten;
// another, whose jobs are all the pages, makes them anew.
func (b *build) indexBodies(jobs []*articleJob, gone []string) {
	r, prev := b.records, b.prevRecords
	if !b.carries || prev.linking == nil {
		r.linking, r.showing = reverseIndex{}, reverseIndex{}
		for _, j := range jobs {
			r.indexBody(j.name, &j.body, true)
		}
		return
	}
	r.linking, r.showing, prev.linking, prev.showing = prev.linking, prev.showing, nil, nil
	for _, name := range gone {
		if rec := prev.articles[name]; rec != nil {
			r.indexBody(name, &rec.body, false)
		}
	}
	for _, j := range jobs {
		if !j.fresh {
			continue // the last build's entry, indexed
		}
		if j.prev != nil {
			r.indexBody(j.name, &j.prev.body, false)
		}
		r.indexBody(j.name, &j.body, true)
	}
}

// tellsChanges reports whether this build can tell the article pages that
// may differ from the last build's without looking at the others: it
// carries over the last build, of the plan this one's was compared with
// (Plan.base), links name the same hosts, and the last build indexed its
// bodies.
func (b *build) tellsChanges() bool {
	prev := b.prevRecords
	return b.carries && b.based && prev.hosts == b.records.hosts && prev.linking != nil
}

// changedJobs returns, in a build that tellsChanges, the jobs of the
// article pages that may differ from the last build's: those the plan
// does not have the same as that build's (localePlan.changed), and those
// whose bodies link to a page that moved (movedPages, which it sets) or
// show an image that resolves otherwise; and the content files of the
// pages gone.
func (b *build) changedJobs() (jobs []*articleJob, gone []string) {
	prev := b.prevRecords
	has := map[string]bool{}
	add := func(lp *localePlan, ap *articlePage) {
		if !has[ap.file] {
			has[ap.file] = true
			jobs = append(jobs, &articleJob{lp: lp, ap: ap, name: ap.file, prev: prev.articles[ap.file]})
		}
	}
	for _, l := range b.plan.locales {
		lp := b.plan.byLocale[l]
		for _, ap := range lp.changed {
			add(lp, ap)
		}
		gone = append(gone, lp.gone...)
	}
	b.moved = b.movedPages(prev, jobs, gone)
	addNamed := func(names map[string]bool) {
		for name := range names {
			locale, _, id, _ := contentPage(name)
			if lp := b.plan.byLocale[locale]; lp != nil {
				if ap := lp.byArticle[id]; ap != nil && ap.file == name {
					add(lp, ap)
				}
			}
		}
	}
	for id := range b.moved {
		addNamed(prev.linking[id])
	}
	for _, u := range b.changedImages() {
		addNamed(prev.showing[u])
	}
	return jobs, gone
}

// changedImages returns the URLs of the images that resolve otherwise
// than in the last build, or fail otherwise.
func (b *build) changedImages() []string {
	now, prev := b.records, b.prevRecords
	return changedKeys(changedKeys(nil, now.images, prev.images), now.imageFailures, prev.imageFailures)
}

// changedKeys appends to keys those of now and prev that only one has or
// whose values differ.
func changedKeys[V comparable](keys []string, now, prev map[string]V) []string {
	for k, v := range now {
		if old, ok := prev[k]; !ok || old != v {
			keys = append(keys, k)
		}
	}
	for k := range prev {
		if _, ok := now[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// errorMessages returns the message of each error of errs.
func errorMessages(errs map[string]error) map[string]string {
	msgs := make(map[string]string, len(errs))
	for k, err := range errs {
		msgs[k] = err.Error()
	}
	return msgs
}

// addDirtyJobs adds to jobs, of a build that tellsChanges, jobs for the
// pages of dirty that it has none for: their bodies, links and images
// are as the last build saw them.
func (b *build) addDirtyJobs(jobs []*articleJob, dirty map[string]bool) []*articleJob {
	has := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		has[j.name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(dirty)) {
		if has[name] {
			continue
		}
		locale, _, id, _ := contentPage(name)
		lp := b.plan.byLocale[locale]
		prev := b.prevRecords.articles[name]
		if lp == nil || prev == nil || lp.byArticle[id] == nil {
			continue
		}
		jobs = append(jobs, &articleJob{lp: lp, ap: lp.byArticle[id], name: name, prev: prev, body: prev.body})
	}
	return jobs
}

// newPageRecords returns the records of a build of the locales, sized for
// those of the last build, prev, if any, unless the build carries them
// over from prev (see carries).
func newPageRecords(locales []string, prev *pageRecords) *pageRecords {
	r := &pageRecords{locales: locales}
	var articles, collections int
	if prev != nil {
		articles, collections = len(prev.articles), len(prev.collections)
	}
	if !r.carries(prev) {
		r.articles = make(map[string]*articleRecord, articles)
	}
	r.collections = make(map[pageKey]*collectionRecord, collections)
	return r
}

// carries reports whether a build with the records r (nil if the
// Renderer is not Live) carries over what the last build, prev, did for
// the pages it does not make (carry): the last build is known and of the
// same locales.
func (r *pageRecords) carries(prev *pageRecords) bool {
	return r != nil && prev != nil && slices.Equal(prev.locales, r.locales)
}

// findPrev sets the prev of each job, from the last build's records, and
// returns the content files of the pages that build made and this one
// does not.
func (b *build) findPrev(jobs []*articleJob) (gone []string) {
	prev := b.prevRecords
	if prev == nil {
		return nil
	}
	found := 0
	for _, j := range jobs {
		if j.prev = prev.articles[j.name]; j.prev != nil {
			found++
		}
	}
	if found == len(prev.articles) {
		return nil
	}
	for name := range prev.articles {
		locale, _, id, _ := contentPage(name)
		if ap := b.plan.byLocale[locale].article(id); ap == nil || ap.file != name {
			gone = append(gone, name)
		}
	}
	return gone
}

// movedPages returns the ids of the articles and collections whose page
// in some locale has another URL than in the last build, prev, or
// appeared or went (gone, see findPrev): the targets of links that may
// resolve differently. An article and a collection of the same id count
// as one, which at worst has a build look again at a page that did not
// move. Nil when it cannot tell: no last build, other locales or other
// help center hosts.
func (b *build) movedPages(prev *pageRecords, jobs []*articleJob, gone []string) map[string]bool {
	if !b.carries || prev.hosts != b.records.hosts {
		return nil
	}
	moved := map[string]bool{}
	for _, j := range jobs {
		if j.prev == nil || j.prev.state.slug != j.ap.slug {
			moved[j.ap.article.ID] = true
		}
	}
	for _, name := range gone {
		_, _, id, _ := contentPage(name)
		moved[id] = true
	}
	for _, l := range b.plan.locales {
		for _, cp := range b.plan.byLocale[l].collections {
			if old := prev.collection(cp); old == nil || old.state.slug != cp.slug {
				moved[cp.collection.ID] = true
			}
		}
	}
	for k := range prev.collections {
		if lp := b.plan.byLocale[k.locale]; lp == nil || lp.byCollection[k.id] == nil {
			moved[k.id] = true
		}
	}
	return moved
}

func (r *pageRecords) record(name string, rec *articleRecord) {
	r.mu.Lock()
	r.articles[name] = rec
	r.mu.Unlock()
}

// recorded returns what this build did for the article page of the
// content file name, if it is Live.
func (b *build) recorded(name string) (*articleRecord, bool) {
	if b.records == nil {
		return nil, false
	}
	b.records.mu.Lock()
	defer b.records.mu.Unlock()
	rec, ok := b.records.articles[name]
	return rec, ok
}

// articleState returns the state of ap, whose body's cache entry is body.
func (b *build) articleState(ap *articlePage, body rewriteEntry) articleState {
	s := articleState{title: ap.text.Title, description: ap.description, slug: ap.slug, author: ap.text.AuthorID,
		created: ap.text.CreatedAt, updated: ap.text.UpdatedAt, summarized: ap.text.Description == "",
		formerSlugs: ap.formerSlugs, headings: body.headings, intercomPath: ap.intercomPath.escaped}
	if ap.collection != nil {
		s.collection = ap.collection.collection.ID
	}
	return s
}

func collectionStateOf(cp *collectionPage) collectionState {
	s := collectionState{name: cp.name, about: cp.about, slug: cp.slug, icon: cp.collection.Icon, count: cp.count,
		formerSlugs: cp.collection.FormerSlugs[cp.locale]}
	if cp.parent != nil {
		s.parent = cp.parent.collection.ID
	}
	for _, ap := range cp.articles {
		s.articles = append(s.articles, ap.article.ID)
	}
	for _, child := range cp.children {
		s.children = append(s.children, child.collection.ID)
	}
	return s
}

// dirtyArticles records the states of this build's collections in
// b.records and returns the content files of the article pages whose
// front matter may differ from the last build's, prev; nil, for all of
// them, when the build does not carry over the last (build.carries). gone are
// the pages of prev no longer built (findPrev).
func (b *build) dirtyArticles(prev *pageRecords, jobs []*articleJob, gone []string) map[string]bool {
	for _, l := range b.plan.locales {
		for _, cp := range b.plan.byLocale[l].collections {
			b.records.collections[collectionKey(cp)] = &collectionRecord{state: collectionStateOf(cp)}
		}
	}
	if !b.carries {
		return nil
	}
	// The articles that changed, were added or went, in any locale.
	changed := map[*articlePage]bool{}
	changedIDs := map[string]bool{}
	for _, j := range jobs {
		if j.changed {
			changed[j.ap] = true
			changedIDs[j.ap.article.ID] = true
		}
	}
	for _, name := range gone {
		if _, _, id, ok := contentPage(name); ok {
			changedIDs[id] = true
		}
	}
	b.changed, b.changedIDs = changed, changedIDs
	dirty := map[string]bool{}
	for _, l := range b.plan.locales {
		lp := b.plan.byLocale[l]
		// The changed articles, and their translations, which list one
		// another.
		for id := range changedIDs {
			if ap := lp.byArticle[id]; ap != nil {
				dirty[ap.file] = true
			}
		}
		for _, cp := range lp.collections {
			now, old := b.records.collection(cp), prev.collection(cp)
			if old == nil || !now.state.shown(&old.state) {
				for _, ap := range cp.allArticles() { // breadcrumbs
					dirty[ap.file] = true
				}
				continue
			}
			if !slices.Equal(now.state.articles, old.state.articles) || slices.ContainsFunc(cp.articles, func(ap *articlePage) bool { return changed[ap] }) {
				for _, ap := range cp.articles { // siblings
					dirty[ap.file] = true
				}
			}
		}
	}
	return dirty
}

// cleanCollections returns the collection pages of lp whose front matter
// is as the last build made it, in an Update that carries over that
// build (carry): the collection, its children (whose cards it shows) and
// the articles they list are as they were, its ancestors show as they did
// (breadcrumbs), and its URL in every locale is the same (translations).
// Nil when it cannot tell.
func (b *build) cleanCollections(lp *localePlan) map[*collectionPage]bool {
	if !b.carries || b.moved == nil {
		return nil
	}
	record := func(cp *collectionPage) (now, old *collectionRecord) {
		return b.records.collection(cp), b.prevRecords.collection(cp)
	}
	changed := map[*collectionPage]bool{}
	for _, cp := range lp.collections {
		now, old := record(cp)
		if old == nil || !now.state.equal(&old.state) || slices.ContainsFunc(cp.articles, func(ap *articlePage) bool { return b.changed[ap] }) {
			changed[cp] = true
		}
	}
	clean := map[*collectionPage]bool{}
	for _, cp := range lp.collections {
		if changed[cp] || b.moved[cp.collection.ID] ||
			slices.ContainsFunc(cp.children, func(c *collectionPage) bool { return changed[c] }) ||
			slices.ContainsFunc(cp.ancestry(), func(c *collectionPage) bool {
				now, old := record(c)
				return old == nil || !now.state.shown(&old.state)
			}) {
			continue
		}
		clean[cp] = true
	}
	return clean
}
