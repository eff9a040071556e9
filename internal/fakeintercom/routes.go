package fakeintercom

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/helpsite/helpsite/internal/content"
)

// handler answers one route; it runs with the store read-locked.
type handler func(vw *view, st *store, id string, q url.Values) ([]byte, *apiError)

// route is a matched API path.
type route struct {
	pattern string // for CallsByRoute
	handle  handler
	id      string
	// since and until are the minor versions (2.x) that serve the route.
	since, until int
}

const maxPerPage = 250

// routes are the API's paths; {id} matches a decimal id.
var routes = []route{
	{pattern: "/help_center/help_centers", handle: listHelpCenters, since: oldestMinor, until: newestMinor},
	{pattern: "/help_center/help_centers/{id}", handle: getHelpCenter, since: oldestMinor, until: newestMinor},
	{pattern: "/help_center/collections", handle: listCollections, since: oldestMinor, until: newestMinor},
	{pattern: "/help_center/collections/{id}", handle: getCollection, since: oldestMinor, until: newestMinor},
	{pattern: "/help_center/sections", handle: listSections, since: oldestMinor, until: 9},
	{pattern: "/help_center/sections/{id}", handle: getSection, since: oldestMinor, until: 9},
	{pattern: "/articles", handle: listArticles, since: oldestMinor, until: newestMinor},
	{pattern: "/articles/search", handle: searchArticles, since: 10, until: newestMinor},
	{pattern: "/articles/{id}", handle: getArticle, since: oldestMinor, until: newestMinor},
}

// match routes an API path; an unknown path has a nil handler.
func match(path string) route {
	for _, r := range routes {
		prefix, hasID := strings.CutSuffix(r.pattern, "/{id}")
		if !hasID && path == r.pattern {
			return r
		}
		if id, ok := strings.CutPrefix(path, prefix+"/"); hasID && ok && isNumber(id) {
			r.id = id
			return r
		}
	}
	return route{pattern: "(no route)"}
}

// parsePaging reads page and per_page. Intercom caps per_page at 250.
func parsePaging(q url.Values, defaultPerPage int) (paging, *apiError) {
	p := paging{page: 1, perPage: defaultPerPage}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"page", &p.page}, {"per_page", &p.perPage}} {
		s := q.Get(f.name)
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, &apiError{status: http.StatusBadRequest, code: "parameter_invalid", field: f.name,
				message: f.name + " must be a positive integer"}
		}
		*f.dst = n
	}
	p.perPage = min(p.perPage, maxPerPage)
	return p, nil
}

// list writes a paged list of items in API order.
func list[T any](vw *view, q url.Values, path string, defaultPerPage int, items []*T,
	write func(*jsonWriter, *T), key func(*T) (int64, string)) ([]byte, *apiError) {
	p, err := parsePaging(q, defaultPerPage)
	if err != nil {
		return nil, err
	}
	p.total = len(items)
	lo, hi := p.bounds()
	w := vw.writer(path + "?" + q.Encode())
	w.beginObject()
	w.key("type")
	w.str("list")
	w.key("data")
	w.beginArray()
	for _, it := range items[lo:hi] {
		write(w, it)
	}
	w.endArray()
	w.key("total_count")
	w.int(int64(p.total))
	var lastUpdated int64
	var lastID string
	if hi > lo {
		lastUpdated, lastID = key(items[hi-1])
	}
	vw.pages(w, p, path, lastUpdated, lastID)
	w.endObject()
	return w.b, nil
}

func articleKey(a *content.Article) (int64, string)       { return a.UpdatedAt.Unix(), a.ID }
func collectionKey(c *content.Collection) (int64, string) { return c.UpdatedAt.Unix(), c.ID }

func listArticles(vw *view, st *store, _ string, q url.Values) ([]byte, *apiError) {
	return list(vw, q, "/articles", 25, st.articlesByUpdated,
		func(w *jsonWriter, a *content.Article) { vw.article(w, a, false) }, articleKey)
}

func getArticle(vw *view, st *store, id string, q url.Values) ([]byte, *apiError) {
	a := st.site.Article(id)
	if a == nil {
		return nil, errNotFound
	}
	w := vw.writer("/articles/" + id)
	vw.article(w, a, true)
	return w.b, nil
}

func listCollections(vw *view, st *store, _ string, q url.Values) ([]byte, *apiError) {
	items := st.collectionsByUpdated
	if vw.v.sections() {
		items = st.topByUpdated
	}
	return list(vw, q, "/help_center/collections", 20, items, vw.collection, collectionKey)
}

func getCollection(vw *view, st *store, id string, q url.Values) ([]byte, *apiError) {
	c := st.collections[id]
	if c == nil || (vw.v.sections() && c.ParentID != "") {
		return nil, errNotFound
	}
	w := vw.writer("/help_center/collections/" + id)
	vw.collection(w, c)
	return w.b, nil
}

func listSections(vw *view, st *store, _ string, q url.Values) ([]byte, *apiError) {
	return list(vw, q, "/help_center/sections", 20, st.nestedByUpdated, vw.section, collectionKey)
}

func getSection(vw *view, st *store, id string, q url.Values) ([]byte, *apiError) {
	c := st.collections[id]
	if c == nil || c.ParentID == "" {
		return nil, errNotFound
	}
	w := vw.writer("/help_center/sections/" + id)
	vw.section(w, c)
	return w.b, nil
}

// listHelpCenters pages like the other lists, but its answer has no pages
// object or total_count, as the spec describes it.
func listHelpCenters(vw *view, st *store, _ string, q url.Values) ([]byte, *apiError) {
	p, err := parsePaging(q, 20)
	if err != nil {
		return nil, err
	}
	p.total = len(st.site.HelpCenters)
	lo, hi := p.bounds()
	w := vw.writer("/help_center/help_centers?" + q.Encode())
	w.beginObject()
	w.key("type")
	w.str("list")
	w.key("data")
	w.beginArray()
	for i := lo; i < hi; i++ {
		vw.helpCenter(w, &st.site.HelpCenters[i])
	}
	w.endArray()
	w.endObject()
	return w.b, nil
}

func getHelpCenter(vw *view, st *store, id string, q url.Values) ([]byte, *apiError) {
	hc := st.helpCenters[id]
	if hc == nil {
		return nil, errNotFound
	}
	w := vw.writer("/help_center/help_centers/" + id)
	vw.helpCenter(w, hc)
	return w.b, nil
}
