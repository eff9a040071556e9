package updater

import (
	"slices"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/journal"
)

// A notification that comes alone is applied at once; one that follows
// another within the debounce waits for the rest of its burst.
func TestSettle(t *testing.T) {
	const debounce = 100 * time.Millisecond
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	rec := func(at time.Time) []journal.Record { return []journal.Record{{ReceivedAt: at}} }
	for _, c := range []struct {
		name string
		recs []journal.Record
		last time.Time
		want time.Duration
	}{
		{"first ever", rec(t0), time.Time{}, 0},
		{"alone, a second after the last", rec(t0.Add(time.Second)), t0, 0},
		{"in a burst", rec(t0.Add(10 * time.Millisecond)), t0, debounce},
		{"receipt unknown", rec(time.Time{}), t0, debounce},
		{"none", nil, t0, debounce},
	} {
		if got := settle(c.recs, c.last, debounce); got != c.want {
			t.Errorf("%s: settle = %v, want %v", c.name, got, c.want)
		}
	}
}

// The search indexes catch up after a quiet spell, or sooner when they
// would be more than the maximum delay behind; a full release has every
// static index, so only the server's index is owed after one.
func TestSearchDebt(t *testing.T) {
	const quiet, maxDelay = 100 * time.Millisecond, 5 * time.Second
	t0 := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var d searchDebt
	if !d.empty() || d.overdue(t0, maxDelay) {
		t.Fatal("a new debt is not empty")
	}
	d.add(nil, nil, false, t0)
	if !d.empty() {
		t.Fatal("a publish that changed nothing made a debt")
	}
	d.add([]string{"2"}, []string{"en"}, false, t0)
	d.add([]string{"1", "2"}, []string{"fr", "en"}, false, t0.Add(4900*time.Millisecond))
	if got := d.articleIDs(); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("articles %v", got)
	}
	if got := d.localeList(); !slices.Equal(got, []string{"en", "fr"}) {
		t.Errorf("locales %v", got)
	}
	if got := d.wait(t0.Add(time.Second), quiet, maxDelay); got != quiet {
		t.Errorf("a second in, wait %v, want the quiet spell", got)
	}
	if got := d.wait(t0.Add(4950*time.Millisecond), quiet, maxDelay); got != 50*time.Millisecond {
		t.Errorf("near the maximum delay, wait %v, want 50ms", got)
	}
	if got := d.wait(t0.Add(time.Minute), quiet, maxDelay); got != 0 {
		t.Errorf("past the maximum delay, wait %v", got)
	}
	if d.overdue(t0.Add(4*time.Second), maxDelay) || !d.overdue(t0.Add(maxDelay), maxDelay) {
		t.Error("overdue is not at the maximum delay from the oldest change")
	}
	d.add([]string{"3"}, []string{"de"}, true, t0.Add(6*time.Second))
	if d.localeList() != nil || len(d.articleIDs()) != 3 || !d.overdue(t0.Add(maxDelay), maxDelay) {
		t.Errorf("after a full release: locales %v, articles %v", d.localeList(), d.articleIDs())
	}
}
