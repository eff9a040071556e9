package fetch_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
)

const token = "test-token"

// serve starts the fake API over site and returns it with its base URL and a
// counter of the 429 answers it gave.
func serve(t testing.TB, site *content.Site, opts fakeintercom.Options) (*fakeintercom.Server, string, *atomic.Int64) {
	t.Helper()
	api := fakeintercom.New(site, opts)
	var throttled atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		api.ServeHTTP(rec, r)
		if rec.status == http.StatusTooManyRequests {
			throttled.Add(1)
		}
	}))
	t.Cleanup(srv.Close)
	return api, srv.URL, &throttled
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Hijack lets the fake close connections to simulate resets.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(r.ResponseWriter).Hijack()
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func newClient(t testing.TB, base, version string) *fetch.Client {
	t.Helper()
	c, err := fetch.New(fetch.Config{BaseURL: base, Token: token, Version: version, RetryBase: time.Millisecond, RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// normalize makes a fetched site comparable with the fake's expectation:
// image URLs lose their signatures and the sync time is dropped.
func normalize(s *content.Site) *content.Site {
	out := *s
	out.SyncedAt = time.Time{}
	out.Articles = make([]content.Article, len(s.Articles))
	for i, a := range s.Articles {
		tr := make(map[string]content.Translation, len(a.Translations))
		for l, t := range a.Translations {
			t.Body = fakeintercom.Unsign(t.Body)
			tr[l] = t
		}
		a.Translations = tr
		out.Articles[i] = a
	}
	return &out
}

func generated(articles int, locales ...string) *content.Site {
	return fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: articles, Locales: locales, HelpCenters: 1, Seed: 7})
}

func sync(t *testing.T, c *fetch.Client, prev *content.Site, opts fetch.SyncOptions) (*content.Site, *fetch.Report) {
	t.Helper()
	site, report, err := c.Sync(context.Background(), prev, opts)
	if err != nil {
		t.Fatal(err)
	}
	return site, report
}

func assertSame(t *testing.T, got, want *content.Site) {
	t.Helper()
	got, want = normalize(got), normalize(want)
	if reflect.DeepEqual(got, want) {
		return
	}
	if len(got.Articles) != len(want.Articles) || len(got.Collections) != len(want.Collections) {
		t.Fatalf("got %d articles and %d collections, want %d and %d",
			len(got.Articles), len(got.Collections), len(want.Articles), len(want.Collections))
	}
	for i := range want.Articles {
		if !reflect.DeepEqual(got.Articles[i], want.Articles[i]) {
			t.Fatalf("article %s differs:\n got %+v\nwant %+v", want.Articles[i].ID, got.Articles[i], want.Articles[i])
		}
	}
	for i := range want.Collections {
		if !reflect.DeepEqual(got.Collections[i], want.Collections[i]) {
			t.Fatalf("collection %s differs:\n got %+v\nwant %+v", want.Collections[i].ID, got.Collections[i], want.Collections[i])
		}
	}
	t.Fatalf("sites differ:\n got %+v\nwant %+v", got.HelpCenters, want.HelpCenters)
}

func TestFullSyncHoldsExactlyTheDataset(t *testing.T) {
	for _, version := range []string{"2.7", "2.9", "2.11", "2.16"} {
		t.Run(version, func(t *testing.T) {
			api, base, throttled := serve(t, generated(400, "en", "fr", "de", "ja", "ar"), fakeintercom.Options{Quirks: true})
			got, report := sync(t, newClient(t, base, version), nil, fetch.SyncOptions{})
			assertSame(t, got, api.Expected(version))
			if got.APIVersion != version {
				t.Errorf("APIVersion = %q", got.APIVersion)
			}
			if len(report.Articles.Added) != 400 || !report.Full {
				t.Errorf("report %v, want a full sync adding 400 articles", report)
			}
			if throttled.Load() != 0 {
				t.Errorf("%d answers were 429", throttled.Load())
			}
		})
	}
}

func TestFaultsDoNotChangeTheSnapshot(t *testing.T) {
	site := generated(600, "en", "fr", "de")
	api, base, _ := serve(t, site, fakeintercom.Options{Seed: 3, Window: time.Second})
	want, _ := sync(t, newClient(t, base, "2.11"), nil, fetch.SyncOptions{})

	api.SetFaults(fakeintercom.Faults{ServerErrorRate: 0.10, ResetRate: 0.03, TruncateRate: 0.03, Storm429: 20})
	got, _ := sync(t, newClient(t, base, "2.11"), nil, fetch.SyncOptions{})
	assertSame(t, got, want)
}

func TestFullSyncTakesTheFewestCalls(t *testing.T) {
	for _, version := range []string{"2.9", "2.11"} {
		t.Run(version, func(t *testing.T) {
			api, base, _ := serve(t, generated(1000, "en", "fr"), fakeintercom.Options{})
			c := newClient(t, base, version)
			got, report := sync(t, c, nil, fetch.SyncOptions{})
			sections := 0
			if version == "2.9" {
				for _, col := range got.Collections {
					if col.ParentID != "" {
						sections++
					}
				}
			}
			topLevel := len(got.Collections) - sections
			pages := func(n int) int64 { return int64(max(1, (n+fetch.PerPage-1)/fetch.PerPage)) }
			limit := pages(1000) + pages(topLevel) + 1 // articles, collections, help centers
			if version == "2.9" {
				limit += pages(sections)
			}
			if report.Calls > limit || c.Calls() != api.Calls() {
				t.Errorf("full sync took %d calls (the API saw %d), want at most %d", report.Calls, api.Calls(), limit)
			}
		})
	}
}

func TestDeltaSyncFetchesOnlyTheChange(t *testing.T) {
	api, base, _ := serve(t, generated(1000, "en", "fr", "de"), fakeintercom.Options{})
	c := newClient(t, base, "2.11")
	first, _ := sync(t, c, nil, fetch.SyncOptions{})

	target := first.Articles[500].ID
	time.Sleep(time.Second) // updated_at has a resolution of one second
	if err := api.UpdateArticle(target, func(a *content.Article) {
		tr := a.Translations[a.DefaultLocale]
		tr.Title = "A brand new title"
		a.Translations[a.DefaultLocale] = tr
	}); err != nil {
		t.Fatal(err)
	}
	second, report := sync(t, c, first, fetch.SyncOptions{})
	if report.Calls > 3 || report.Full {
		t.Errorf("delta sync took %d calls (full=%v), want at most 3", report.Calls, report.Full)
	}
	if !reflect.DeepEqual(report.Articles.Updated, []string{target}) || len(report.Articles.Added)+len(report.Articles.Removed) != 0 {
		t.Errorf("report %v, want only article %s updated", report.Articles, target)
	}
	changed := second.Article(target)
	if former := changed.FormerSlugs[changed.DefaultLocale]; len(former) != 1 {
		t.Errorf("the retitled article's former slugs are %v, want its first", former)
	}
	changed.FormerSlugs = nil // helpsite's own record: the API knows only current slugs
	assertSame(t, second, api.Expected("2.11"))
}

func TestFullSyncCatchesDeletionsUnpublishingAndMoves(t *testing.T) {
	api, base, _ := serve(t, generated(300, "en", "fr"), fakeintercom.Options{})
	c := newClient(t, base, "2.11")
	first, _ := sync(t, c, nil, fetch.SyncOptions{})

	gone := first.Articles[10].ID
	if err := api.DeleteArticle(gone); err != nil {
		t.Fatal(err)
	}
	var moved string
	for _, col := range first.Collections {
		if col.ParentID != "" {
			moved = col.ID
			break
		}
	}
	if err := api.UpdateCollection(moved, func(col *content.Collection) { col.ParentID = "" }); err != nil {
		t.Fatal(err)
	}
	second, report := sync(t, c, first, fetch.SyncOptions{Full: true})
	if !reflect.DeepEqual(report.Articles.Removed, []string{gone}) {
		t.Errorf("removed %v, want [%s]", report.Articles.Removed, gone)
	}
	if !reflect.DeepEqual(report.Collections.Updated, []string{moved}) {
		t.Errorf("collections updated %v, want [%s]", report.Collections.Updated, moved)
	}
	if published := first.Article(gone).PublishedLocales(); len(published) > 0 && (len(second.Deleted) != 1 || second.Deleted[0].ID != gone) {
		t.Errorf("deleted articles %+v, want %s with its slugs in %v", second.Deleted, gone, published)
	}
	second.Deleted = nil // helpsite's own record: the API knows only what exists
	assertSame(t, second, api.Expected("2.11"))
}

func TestPacingAvoidsRateLimit(t *testing.T) {
	// 600 calls a minute in one-second windows: ten calls a second. A sync
	// of 12 article pages plus the rest must wait for a window, never get a
	// 429.
	api, base, throttled := serve(t, generated(3000, "en"), fakeintercom.Options{RatePerMinute: 600, Window: time.Second})
	got, _ := sync(t, newClient(t, base, "2.11"), nil, fetch.SyncOptions{})
	assertSame(t, got, api.Expected("2.11"))
	if throttled.Load() != 0 {
		t.Errorf("%d answers were 429", throttled.Load())
	}
}

func TestHelpCenterFilter(t *testing.T) {
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 100, Locales: []string{"en"}, HelpCenters: 2, Seed: 1})
	_, base, _ := serve(t, site, fakeintercom.Options{})
	c := newClient(t, base, "2.11")
	hc := site.HelpCenters[1].ID
	got, _ := sync(t, c, nil, fetch.SyncOptions{HelpCenterID: hc})
	if len(got.HelpCenters) != 1 || got.HelpCenters[0].ID != hc || len(got.Articles) == 0 {
		t.Fatalf("got %d help centers, %d articles", len(got.HelpCenters), len(got.Articles))
	}
	for _, col := range got.Collections {
		if col.HelpCenterID != hc {
			t.Errorf("collection %s of help center %s kept", col.ID, col.HelpCenterID)
		}
	}
	_, _, err := c.Sync(context.Background(), nil, fetch.SyncOptions{HelpCenterID: "999999"})
	var nf *fetch.HelpCenterNotFoundError
	if !errorsAs(err, &nf) {
		t.Fatalf("unknown help center: %v", err)
	}
}
