package render

import (
	"encoding/binary"
	"encoding/json"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"
)

// key hashes what front matter holds, so that a Live Renderer tells that
// a content file is as the last build wrote it without marshalling its
// front matter (see tree.keepMade): most of a change's preparation would
// otherwise be JSON of pages it does not touch. Every field is written
// with its length, so that no two values hash alike but by collision.
func (fm *frontMatter) key() uint64 {
	h := keyHashes.Get().(*keyHash)
	defer keyHashes.Put(h)
	h.buf = h.buf[:0]
	h.str(fm.Title)
	h.str(fm.Description)
	h.time(fm.Date)
	h.time(fm.Lastmod)
	h.time(fm.ExpiryDate)
	h.str(fm.URL)
	h.str(fm.TranslationKey)
	h.str(fm.Layout)
	h.bool(fm.Build != nil)
	if fm.Build != nil {
		h.str(fm.Build.Render)
		h.str(fm.Build.List)
	}
	h.bool(fm.Sitemap != nil && fm.Sitemap.Disable)
	h.bool(fm.Sitemap != nil)
	h.params(fm.Params)
	return xxhash.Sum64(h.buf)
}

// A keyHash collects what it hashes: one xxhash of it all costs less than
// many small writes.
type keyHash struct{ buf []byte }

var keyHashes = sync.Pool{New: func() any { return new(keyHash) }}

func (h *keyHash) int(n int) { h.buf = binary.AppendUvarint(h.buf, uint64(n)) }

func (h *keyHash) str(s string) {
	h.int(len(s))
	h.buf = append(h.buf, s...)
}

func (h *keyHash) bool(v bool) {
	if v {
		h.int(1)
	} else {
		h.int(0)
	}
}

func (h *keyHash) strs(ss []string) {
	h.int(len(ss))
	for _, s := range ss {
		h.str(s)
	}
}

func (h *keyHash) time(t *time.Time) {
	h.bool(t != nil)
	if t != nil {
		h.int(int(t.UnixNano()))
		h.str(t.Location().String())
	}
}

func (h *keyHash) link(l pageLink) {
	h.str(l.Title)
	h.str(l.URL)
	h.str(l.Description)
}

func (h *keyHash) links(ls []pageLink) {
	h.int(len(ls))
	for _, l := range ls {
		h.link(l)
	}
}

func (h *keyHash) optLink(l *pageLink) {
	h.bool(l != nil)
	if l != nil {
		h.link(*l)
	}
}

func (h *keyHash) cards(cs []collectionLink) {
	h.int(len(cs))
	for _, c := range cs {
		h.link(c.pageLink)
		h.str(c.ID)
		h.str(c.Icon)
		h.int(c.Count)
		h.links(c.Articles)
		h.bool(c.Nested)
	}
}

func (h *keyHash) translations(ts []translationLink) {
	h.int(len(ts))
	for _, t := range ts {
		h.str(t.Lang)
		h.str(t.Locale)
		h.str(t.URL)
	}
}

// params hashes the params of every kind of page, each with a kind of its
// own; any other value by its JSON.
func (h *keyHash) params(params any) {
	switch p := params.(type) {
	case nil:
		h.int(0)
	case articleParams:
		h.int(1)
		h.str(p.ID)
		h.str(p.Author)
		h.links(p.Breadcrumbs)
		h.bool(p.Summarized)
		h.int(len(p.TOC))
		for _, e := range p.TOC {
			h.int(e.Level)
			h.str(e.ID)
			h.str(e.Text)
		}
		h.links(p.Related)
		h.optLink(p.Prev)
		h.optLink(p.Next)
		h.translations(p.Translations)
		h.strs(p.Redirects)
	case collectionParams:
		h.int(2)
		h.str(p.ID)
		h.str(p.Icon)
		h.int(p.Count)
		h.links(p.Breadcrumbs)
		h.cards(p.Collections)
		h.links(p.Articles)
		h.translations(p.Translations)
		h.str(p.Print)
		h.strs(p.Redirects)
	case printParams:
		h.int(3)
		h.str(p.ID)
		h.str(p.Collection)
		h.strs(p.Articles)
	case homeParams:
		h.int(4)
		h.cards(p.Collections)
		h.links(p.Articles)
		h.translations(p.Translations)
	case otherParams:
		h.int(5)
		h.translations(p.Translations)
	default:
		data, err := json.Marshal(p)
		h.int(6)
		h.str(string(data))
		h.bool(err != nil)
	}
}
