package fakeintercom

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

// view renders objects for one request: in its API version's shape, with
// image URLs signed for its host.
type view struct {
	s      *Server
	v      version
	quirks bool
	// base is the scheme and host the client reached, for pages.next URLs
	// and image URLs.
	base    string
	expires int64 // of the image URLs
}

func (s *Server) view(r *http.Request, v version) *view {
	return &view{
		s:       s,
		v:       v,
		quirks:  s.opts.Quirks,
		base:    origin(r),
		expires: s.opts.Now().Add(s.opts.ImageTTL).Unix(),
	}
}

// writer returns a writer for the answer to request key (its path and
// query), on a recycled buffer; with Quirks some answers escape HTML
// characters.
func (vw *view) writer(key string) *jsonWriter {
	w := &jsonWriter{escapeHTML: vw.quirk("escape", key)}
	if b, ok := vw.s.buffers.Get().(*[]byte); ok {
		w.b = (*b)[:0]
	}
	return w
}

// quirk reports whether a Quirks variation applies to this object: a
// deterministic third of the time.
func (vw *view) quirk(kind, id string) bool {
	return vw.quirks && hash(kind, id)%3 == 0
}

// hash is FNV-1a over the parts, each followed by a zero byte.
func hash(parts ...string) uint32 {
	h := uint32(2166136261)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h = (h ^ uint32(p[i])) * 16777619
		}
		h *= 16777619
	}
	return h
}

// id writes an object id, a string (or, as a quirk, a number).
func (vw *view) id(w *jsonWriter, id string) {
	if vw.quirk("id", id) && isNumber(id) {
		w.raw(id)
		return
	}
	w.str(id)
}

// intRef writes a reference the spec types as an integer (or, as a quirk, a
// string); an empty one is null.
func (vw *view) intRef(w *jsonWriter, field, id string) {
	switch {
	case id == "":
		w.null()
	case isNumber(id) && !vw.quirk(field, id):
		w.raw(id)
	default:
		w.str(id)
	}
}

func isNumber(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (vw *view) time(w *jsonWriter, key string, t time.Time) {
	w.key(key)
	w.int(t.Unix())
}

func (vw *view) helpCenter(w *jsonWriter, hc *content.HelpCenter) {
	w.beginObject()
	w.key("id")
	vw.id(w, hc.ID)
	w.key("workspace_id")
	w.str(hc.WorkspaceID)
	vw.time(w, "created_at", hc.CreatedAt)
	vw.time(w, "updated_at", hc.UpdatedAt)
	w.key("identifier")
	w.str(hc.Identifier)
	w.key("website_turned_on")
	w.bool(hc.WebsiteTurnedOn)
	w.key("display_name")
	w.str(hc.DisplayName)
	w.key("url")
	w.str(vw.s.store.helpCenterURL(hc))
	w.key("custom_domain")
	w.strOrNull(hc.CustomDomain)
	if vw.v.helpCenterLocales() {
		w.key("default")
		w.bool(hc.Default)
		w.key("locales")
		w.beginArray()
		for _, l := range hc.Locales {
			w.str(l)
		}
		w.endArray()
	}
	w.endObject()
}

// collection writes a collection: in 2.7–2.9 a top-level one, from 2.10 any.
func (vw *view) collection(w *jsonWriter, c *content.Collection) {
	w.beginObject()
	vw.groupHead(w, c)
	w.key("description")
	w.str(c.Translations[c.DefaultLocale].Description)
	w.key("icon")
	w.strOrNull(c.Icon)
	if !vw.v.sections() {
		w.key("parent_id")
		if c.ParentID == "" {
			w.null()
		} else {
			vw.id(w, c.ParentID)
		}
	}
	w.key("help_center_id")
	if c.ParentID != "" && vw.quirk("nested_help_center", c.ID) {
		w.null()
	} else {
		vw.intRef(w, "help_center_id", c.HelpCenterID)
	}
	if vw.v.collectionType() {
		w.key("type")
		w.str("collection")
	}
	vw.groupTail(w, c)
	w.endObject()
}

// section writes a nested collection as API 2.7–2.9 serves it.
func (vw *view) section(w *jsonWriter, c *content.Collection) {
	w.beginObject()
	vw.groupHead(w, c)
	w.key("type")
	w.str("section")
	w.key("parent_id")
	vw.intRef(w, "parent_id", c.ParentID)
	w.key("icon")
	w.strOrNull(c.Icon)
	vw.groupTail(w, c)
	w.endObject()
}

// groupHead writes the fields collections and sections open with.
func (vw *view) groupHead(w *jsonWriter, c *content.Collection) {
	w.key("id")
	vw.id(w, c.ID)
	w.key("workspace_id")
	w.str(vw.s.store.workspaceID)
	w.key("name")
	w.str(c.Translations[c.DefaultLocale].Name)
	w.key("url")
	w.strOrNull(c.URL)
	w.key("order")
	w.int(int64(c.Order))
	vw.time(w, "created_at", c.CreatedAt)
	vw.time(w, "updated_at", c.UpdatedAt)
}

// groupTail writes the fields collections and sections close with.
func (vw *view) groupTail(w *jsonWriter, c *content.Collection) {
	translated(w, c.DefaultLocale, "group_translated_content", c.Translations, func(g content.GroupText) {
		w.beginObject()
		w.key("type")
		w.str("group_content")
		w.key("name")
		w.str(g.Name)
		w.key("description")
		w.str(g.Description)
		w.endObject()
	})
}

// translated writes default_locale and translated_content: an object of
// type typ with one entry per locale.
func translated[T any](w *jsonWriter, defaultLocale, typ string, byLocale map[string]T, entry func(T)) {
	w.key("default_locale")
	w.str(defaultLocale)
	w.key("translated_content")
	w.beginObject()
	w.key("type")
	w.str(typ)
	for _, l := range sortedKeys(byLocale) {
		w.key(l)
		entry(byLocale[l])
	}
	w.endObject()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// article writes an article; single adds the statistics that GET
// /articles/{id} and search return.
func (vw *view) article(w *jsonWriter, a *content.Article, single bool) {
	st := vw.s.store
	d := a.Translations[a.DefaultLocale]
	w.beginObject()
	w.key("id")
	vw.id(w, a.ID)
	w.key("type")
	w.str("article")
	w.key("workspace_id")
	w.str(a.WorkspaceID)
	if vw.v.parentIDs() {
		w.key("parent_ids")
		w.beginArray()
		for _, p := range a.ParentIDs {
			vw.intRef(w, "parent_ids", p)
		}
		w.endArray()
		w.key("tags")
		w.raw(`{"type":"tag.list","tags":[]}`)
	} else {
		first, parentType := "", ""
		if len(a.ParentIDs) > 0 {
			first, parentType = a.ParentIDs[0], "collection"
			if vw.v.sections() && st.collections[first].ParentID != "" {
				parentType = "section"
			}
		}
		w.key("parent_id")
		vw.intRef(w, "parent_id", first)
		w.key("parent_type")
		w.strOrNull(parentType)
		if vw.quirk("parent_ids", a.ID) {
			w.key("parent_ids")
			w.raw("[]")
		}
	}
	if single {
		vw.statistics(w, a.ID)
	}
	// The top level is the default locale's, timestamps included.
	vw.contentFields(w, d)
	w.key("url")
	w.strOrNull(d.URL)
	translated(w, a.DefaultLocale, "article_translated_content", a.Translations, func(t content.Translation) {
		vw.articleContent(w, a.ID, t)
	})
	w.endObject()
}

func (vw *view) articleContent(w *jsonWriter, id string, t content.Translation) {
	w.beginObject()
	w.key("type")
	w.str("article_content")
	vw.contentFields(w, t)
	// The spec types a translation's url as a string: a draft's is left out,
	// though Intercom is seen to send null.
	switch {
	case t.URL != "":
		w.key("url")
		w.str(t.URL)
	case vw.quirk("draft_url", id):
		w.key("url")
		w.null()
	}
	w.endObject()
}

// contentFields writes the fields an article shares with its translations.
func (vw *view) contentFields(w *jsonWriter, t content.Translation) {
	w.key("title")
	w.str(t.Title)
	w.key("description")
	w.str(t.Description)
	w.key("body")
	w.str(vw.body(t.Body))
	w.key("author_id")
	vw.intRef(w, "author_id", t.AuthorID)
	w.key("state")
	w.str(string(t.State))
	vw.time(w, "created_at", t.CreatedAt)
	vw.time(w, "updated_at", t.UpdatedAt)
}

// statistics writes made-up but stable article statistics.
func (vw *view) statistics(w *jsonWriter, id string) {
	h := hash("statistics", id)
	views := int64(h % 5000)
	reactions := views / 10
	happy := float64(h%61) + 20
	neutral := float64(h%(100-uint32(happy))) / 2
	w.key("statistics")
	w.beginObject()
	w.key("type")
	w.str("article_statistics")
	w.key("views")
	w.int(views)
	w.key("conversions")
	w.int(views / 50)
	w.key("reactions")
	w.int(reactions)
	w.key("happy_reaction_percentage")
	w.float(happy)
	w.key("neutral_reaction_percentage")
	w.float(neutral)
	w.key("sad_reaction_percentage")
	w.float(100 - happy - neutral)
	w.endObject()
}

// paging is one page of a list.
type paging struct {
	page, perPage, total int
}

func (p paging) totalPages() int { return (p.total + p.perPage - 1) / p.perPage }

// bounds are the indexes of the page's items in the whole list.
func (p paging) bounds() (int, int) {
	lo := min((p.page-1)*p.perPage, p.total)
	return lo, min(lo+p.perPage, p.total)
}

// pages writes the pages object. next, the cursor of a following page, is
// in the spec's starting_after form; with Quirks it is also a URL string,
// carries the page number, is null or is left out.
func (vw *view) pages(w *jsonWriter, p paging, path string, lastUpdated int64, lastID string) {
	w.key("pages")
	w.beginObject()
	w.key("type")
	w.str("pages")
	w.key("page")
	w.int(int64(p.page))
	w.key("per_page")
	w.int(int64(p.perPage))
	w.key("total_pages")
	w.int(int64(p.totalPages()))
	form := 0
	if vw.quirks {
		form = 1 + int(hash(path, strconv.Itoa(p.page))%4)
	}
	if p.page >= p.totalPages() {
		if form%2 == 1 {
			w.key("next")
			w.null()
		}
		w.endObject()
		return
	}
	cursor := base64.StdEncoding.EncodeToString([]byte("[" + strconv.FormatInt(lastUpdated, 10) + ".0, \"" + lastID + "\"]"))
	switch form {
	case 0, 3:
		w.key("next")
		w.beginObject()
		w.key("per_page")
		w.int(int64(p.perPage))
		w.key("starting_after")
		w.str(cursor)
		w.endObject()
	case 1:
		w.key("next")
		w.str(vw.base + path + "?page=" + strconv.Itoa(p.page+1) + "&per_page=" + strconv.Itoa(p.perPage))
	case 2:
		w.key("next")
		w.beginObject()
		w.key("page")
		w.int(int64(p.page + 1))
		w.key("per_page")
		w.int(int64(p.perPage))
		w.key("starting_after")
		w.str(cursor)
		w.endObject()
	}
	w.endObject()
}
