package snapshot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
)

func testSite(n int) *content.Site {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := &content.Site{
		APIVersion:  "2.11",
		SyncedAt:    t0.Add(time.Hour),
		HelpCenters: []content.HelpCenter{{ID: "7", Identifier: "acme", DisplayName: "Acme", WebsiteTurnedOn: true, CreatedAt: t0, UpdatedAt: t0}},
		Collections: []content.Collection{{ID: "10", HelpCenterID: "7", Translations: map[string]content.GroupText{"en": {Name: "Start"}}, CreatedAt: t0, UpdatedAt: t0}},
	}
	for i := range n {
		s.Articles = append(s.Articles, content.Article{
			ID:            fmt.Sprint(100 + i),
			ParentIDs:     []string{"10"},
			DefaultLocale: "en",
			Translations: map[string]content.Translation{
				"en": {Title: fmt.Sprintf("Article %d", i), Body: "<p>hello</p>", State: content.Published, CreatedAt: t0, UpdatedAt: t0.Add(time.Duration(i) * time.Minute)},
				"fr": {Title: fmt.Sprintf("Article %d", i), State: content.Draft, CreatedAt: t0, UpdatedAt: t0},
			},
			CreatedAt: t0,
			UpdatedAt: t0.Add(time.Duration(i) * time.Minute),
		})
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := Open(t.TempDir())
	want := testSite(5)
	if err := st.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("loaded snapshot differs:\n got %+v\nwant %+v", got, want)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Open(t.TempDir()).Load(context.Background())
	if !errors.Is(err, ErrNotExist) {
		t.Fatalf("Load of an empty dir: %v, want ErrNotExist", err)
	}
}

func TestSaveWritesOnlyChangedObjects(t *testing.T) {
	ctx := context.Background()
	st := Open(t.TempDir())
	site := testSite(20)
	if err := st.Save(ctx, site); err != nil {
		t.Fatal(err)
	}
	written := recordWrites(st)
	site.Articles[3].Translations["en"] = content.Translation{Title: "Changed", State: content.Published}
	if err := st.Save(ctx, site); err != nil {
		t.Fatal(err)
	}
	if w := written(); len(w) != 2 || w[1] != manifestName {
		t.Fatalf("second save wrote %v, want one object and the manifest", w)
	}
	if n := countObjects(t, st.dir); n != 20 {
		t.Fatalf("%d objects after the second save, want 20 (the replaced one removed)", n)
	}
}

// SaveChanges encodes the articles it is told changed, and only those,
// after a Load as after a Save.
func TestSaveChangesEncodesOnlyTheNamedArticles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if err := Open(dir).Save(ctx, testSite(20)); err != nil {
		t.Fatal(err)
	}
	st := Open(dir)
	site, err := st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	written := recordWrites(st)
	site.Articles[3].Translations["en"] = content.Translation{Title: "Changed", State: content.Published}
	removed := site.Articles[5].ID
	site.RemoveArticle(removed)
	added := site.Articles[0]
	added.ID = "999"
	site.PutArticle(added)
	// Not named as changed: SaveChanges keeps what the snapshot has.
	unnamed := site.Articles[7].ID
	site.Articles[7].Translations = map[string]content.Translation{"en": {Title: "Unnamed change"}}
	if err := st.SaveChanges(ctx, site, []string{site.Articles[3].ID, removed, "999"}); err != nil {
		t.Fatal(err)
	}
	if w := written(); len(w) != 3 || w[2] != manifestName {
		t.Fatalf("SaveChanges wrote %v, want two objects and the manifest", w)
	}
	if n := countObjects(t, dir); n != 20 {
		t.Errorf("%d objects, want 20: the changed article's and the removed one's old objects deleted", n)
	}
	got, err := Open(dir).Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Article(removed) != nil || got.Article("999") == nil || got.Article(site.Articles[3].ID).Translations["en"].Title != "Changed" {
		t.Error("the loaded snapshot lacks the named changes")
	}
	if got.Article(unnamed).Translations["en"].Title == "Unnamed change" {
		t.Error("SaveChanges encoded an article it was not told changed")
	}
}

// A save that fails part-way, as on a full disk or a crash, must leave the
// previous snapshot loadable and unchanged.
func TestFailedSaveKeepsPreviousSnapshot(t *testing.T) {
	ctx := context.Background()
	for _, failAt := range []int{1, 5, 11} { // an object, a later object, the manifest
		t.Run(fmt.Sprint(failAt), func(t *testing.T) {
			st := Open(t.TempDir())
			old := testSite(10)
			if err := st.Save(ctx, old); err != nil {
				t.Fatal(err)
			}
			next := testSite(10)
			for i := range next.Articles {
				next.Articles[i].Translations["en"] = content.Translation{Title: "new", State: content.Published}
			}
			var calls atomic.Int32
			st.writeFile = func(name string, data []byte) error {
				if int(calls.Add(1)) >= failAt {
					// Leave a partial temporary file behind, as a crash would.
					os.WriteFile(filepath.Join(filepath.Dir(name), ".tmp-partial"), data[:len(data)/2], 0o644)
					return &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
				}
				return writeFileSync(name, data)
			}
			err := st.Save(ctx, next)
			if err == nil || !strings.Contains(err.Error(), "disk is full") || !strings.Contains(err.Error(), "previous snapshot is unchanged") {
				t.Fatalf("Save error = %v, want a full-disk message", err)
			}
			got, err := Open(st.dir).Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, old) {
				t.Fatal("the previous snapshot changed after a failed save")
			}
		})
	}
}

func TestCorruptObjectIsReported(t *testing.T) {
	ctx := context.Background()
	st := Open(t.TempDir())
	if err := st.Save(ctx, testSite(3)); err != nil {
		t.Fatal(err)
	}
	objs, _ := filepath.Glob(filepath.Join(st.dir, "objects", "*", "*.json"))
	if err := os.WriteFile(objs[0], []byte(`{"id":"999"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("Load of a corrupt object: %v, want a corruption error", err)
	}
}

func TestUnknownFormat(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, manifestName), []byte(`{"format": 99}`), 0o644)
	if _, err := Open(dir).Load(context.Background()); err == nil || !strings.Contains(err.Error(), "format 99") {
		t.Fatalf("Load of format 99: %v", err)
	}
}

// recordWrites has st record the names of the files it writes, and
// returns them so far.
func recordWrites(st *Store) func() []string {
	var (
		mu      sync.Mutex
		written []string
	)
	st.writeFile = func(name string, data []byte) error {
		mu.Lock()
		written = append(written, filepath.Base(name))
		mu.Unlock()
		return writeFileSync(name, data)
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(written)
	}
}

func countObjects(t *testing.T, dir string) int {
	t.Helper()
	objs, err := filepath.Glob(filepath.Join(dir, "objects", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return len(objs)
}

func BenchmarkSave(b *testing.B) {
	ctx := context.Background()
	site := testSite(10000)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			st := Open(b.TempDir())
			if err := st.Save(ctx, site); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-changed", func(b *testing.B) {
		st := Open(b.TempDir())
		if err := st.Save(ctx, site); err != nil {
			b.Fatal(err)
		}
		a := &site.Articles[len(site.Articles)/2]
		i := 0
		for b.Loop() {
			i++
			a.Translations = map[string]content.Translation{"en": {Title: fmt.Sprint("Changed ", i), State: content.Published}}
			if err := st.SaveChanges(ctx, site, []string{a.ID}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
