package updater

import (
	"maps"
	"slices"
	"time"
)

// searchDebt is what the search indexes lack of the published site. An
// incremental publish makes the pages live first and leaves the search
// indexes to catch up (catchUpSearch) once notifications stop coming, so
// that the next change's pages do not wait for them.
type searchDebt struct {
	// articles are to index again in the server's index; locales are
	// those whose static indexes the live release lacks.
	articles, locales map[string]bool
	// since is when the oldest of it was published.
	since time.Time
}

// add records a publish at now that changed the articles ids and the
// static indexes of locales; full says it was a whole new release, whose
// static indexes are all current.
func (d *searchDebt) add(ids, locales []string, full bool, now time.Time) {
	if full {
		d.locales, locales = nil, nil
	}
	if len(ids) == 0 && len(locales) == 0 {
		return
	}
	if d.empty() {
		d.since = now
	}
	d.articles = with(d.articles, ids)
	d.locales = with(d.locales, locales)
}

// with adds keys to the set m, made if nil.
func with(m map[string]bool, keys []string) map[string]bool {
	if m == nil {
		m = map[string]bool{}
	}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func (d *searchDebt) empty() bool { return len(d.articles) == 0 && len(d.locales) == 0 }

func (d *searchDebt) articleIDs() []string { return slices.Sorted(maps.Keys(d.articles)) }

func (d *searchDebt) localeList() []string { return slices.Sorted(maps.Keys(d.locales)) }

// wait is how long from now the indexes are to catch up: after quiet,
// unless that takes them past maxDelay behind the site.
func (d *searchDebt) wait(now time.Time, quiet, maxDelay time.Duration) time.Duration {
	return max(0, min(quiet, d.since.Add(maxDelay).Sub(now)))
}

// overdue says the indexes have been behind the site for maxDelay.
func (d *searchDebt) overdue(now time.Time, maxDelay time.Duration) bool {
	return !d.empty() && now.Sub(d.since) >= maxDelay
}
