// Package snapshot stores a content.Site on disk so that a rebuild, an
// offline build or an incremental change never has to fetch everything
// again.
//
// A snapshot directory holds a manifest and one content-addressed object per
// article:
//
//	DIR/manifest.json          format version, help centers, collections,
//	                           and per article its object and per-locale updated_at
//	DIR/objects/ab/abcdef….json  one article, named by the SHA-256 of its bytes
//
// Save writes new objects first and then replaces the manifest with a rename,
// so a crash at any point leaves the previous snapshot whole; objects no
// longer referenced are removed afterwards. Saving after a change to one
// article writes one object and the manifest.
package snapshot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/helpsite/helpsite/internal/content"
)

// Format is the version of the on-disk layout this package reads and writes.
const Format = 1

const manifestName = "manifest.json"

// ErrNotExist is returned by Load when the directory holds no snapshot.
var ErrNotExist = errors.New("no snapshot")

// manifest is the root of a snapshot.
type manifest struct {
	Format      int                  `json:"format"`
	APIVersion  string               `json:"api_version"`
	SyncedAt    time.Time            `json:"synced_at"`
	HelpCenters []content.HelpCenter `json:"help_centers"`
	Collections []content.Collection `json:"collections"`
	Articles    []articleEntry       `json:"articles"`
	Refused     []content.Skipped    `json:"refused,omitempty"`
	// Deleted are the deleted articles whose URLs the site keeps.
	Deleted []content.DeletedArticle `json:"deleted_articles,omitempty"`
}

// articleEntry locates an article's object and records what a delta sync
// compares without reading it.
type articleEntry struct {
	ID        string               `json:"id"`
	Object    string               `json:"object"`
	UpdatedAt time.Time            `json:"updated_at"`
	Locales   map[string]time.Time `json:"locales"`
}

// Store is a snapshot directory.
type Store struct {
	dir string
	// writeFile writes a whole file durably; tests replace it to simulate
	// a full disk or a crash.
	writeFile func(name string, data []byte) error
	// saved are the article entries of the last Load or Save, by ID, for
	// SaveChanges; nil before either.
	saved map[string]articleEntry
}

// Open returns the store in dir, which need not exist yet.
func Open(dir string) *Store {
	return &Store{dir: dir, writeFile: writeFileSync}
}

// Dir is the snapshot's directory.
func (s *Store) Dir() string { return s.dir }

// Load reads the snapshot. It returns an error wrapping ErrNotExist when
// there is none.
func (s *Store) Load(ctx context.Context) (*content.Site, error) {
	data, err := os.ReadFile(filepath.Join(s.dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", s.dir, ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("reading snapshot: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("snapshot %s: manifest is corrupt: %w", s.dir, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("snapshot %s has format %d, this helpsite reads format %d: fetch again with --full into a new directory", s.dir, m.Format, Format)
	}
	site := &content.Site{
		APIVersion:  m.APIVersion,
		SyncedAt:    m.SyncedAt,
		HelpCenters: m.HelpCenters,
		Collections: m.Collections,
		Articles:    make([]content.Article, len(m.Articles)),
		Refused:     m.Refused,
		Deleted:     m.Deleted,
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0) * 2)
	for i, e := range m.Articles {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			data, err := os.ReadFile(s.objectPath(e.Object))
			if err != nil {
				return fmt.Errorf("snapshot %s: article %s: %w", s.dir, e.ID, err)
			}
			if sum := hash(data); sum != e.Object {
				return fmt.Errorf("snapshot %s: article %s: object %s is corrupt (its hash is %s)", s.dir, e.ID, e.Object, sum)
			}
			return json.Unmarshal(data, &site.Articles[i])
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	s.remember(&m)
	site.Sort()
	return site, nil
}

// Save replaces the snapshot with site, atomically.
func (s *Store) Save(ctx context.Context, site *content.Site) error {
	return s.saveWith(ctx, site, false, nil)
}

// SaveChanges is Save for a site whose articles are, except those changed
// names (by ID: changed, added or removed), as this Store last loaded or
// saved them: it encodes only those. A server saving its snapshot after
// every change to one article of 10,000 spends milliseconds, not a second.
func (s *Store) SaveChanges(ctx context.Context, site *content.Site, changed []string) error {
	if s.saved == nil {
		return s.Save(ctx, site)
	}
	return s.saveWith(ctx, site, true, changed)
}

func (s *Store) saveWith(ctx context.Context, site *content.Site, reuse bool, changed []string) error {
	if err := s.save(ctx, site, reuse, changed); err != nil {
		s.saved = nil // the objects on disk are no longer known
		return fmt.Errorf("saving snapshot to %s (the previous snapshot is unchanged): %w%s", s.dir, err, hint(err))
	}
	return nil
}

// save writes site; with reuse, it keeps the saved entries of the articles
// not named in changed.
func (s *Store) save(ctx context.Context, site *content.Site, reuse bool, changed []string) error {
	if err := os.MkdirAll(filepath.Join(s.dir, "objects"), 0o755); err != nil {
		return err
	}
	m := manifest{
		Format:      Format,
		APIVersion:  site.APIVersion,
		SyncedAt:    site.SyncedAt,
		HelpCenters: site.HelpCenters,
		Collections: site.Collections,
		Refused:     site.Refused,
		Articles:    make([]articleEntry, len(site.Articles)),
		Deleted:     site.Deleted,
	}
	reencode := make(map[string]bool, len(changed))
	for _, id := range changed {
		reencode[id] = true
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0) * 2)
	for i := range site.Articles {
		a := &site.Articles[i]
		if e, ok := s.saved[a.ID]; ok && reuse && !reencode[a.ID] {
			m.Articles[i] = e
			continue
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			data, err := json.Marshal(a)
			if err != nil {
				return fmt.Errorf("article %s: %w", a.ID, err)
			}
			sum := hash(data)
			m.Articles[i] = articleEntry{ID: a.ID, Object: sum, UpdatedAt: a.UpdatedAt, Locales: localeTimes(a)}
			path := s.objectPath(sum)
			if _, err := os.Stat(path); err == nil {
				return nil // content-addressed: already there
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			return s.writeFile(path, data)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(&m, "", "\t")
	if err != nil {
		return err
	}
	if err := s.writeFile(filepath.Join(s.dir, manifestName), data); err != nil {
		return err
	}
	old := s.saved
	s.remember(&m)
	if !reuse {
		return s.removeUnreferenced(&m)
	}
	for _, id := range changed {
		if e, ok := old[id]; ok && s.saved[id].Object != e.Object {
			os.Remove(s.objectPath(e.Object))
		}
	}
	return nil
}

// remember keeps m's article entries for SaveChanges.
func (s *Store) remember(m *manifest) {
	s.saved = make(map[string]articleEntry, len(m.Articles))
	for _, e := range m.Articles {
		s.saved[e.ID] = e
	}
}

// removeUnreferenced deletes objects the manifest does not name and
// temporary files, left by earlier saves or by a save that crashed.
func (s *Store) removeUnreferenced(m *manifest) error {
	temps, _ := filepath.Glob(filepath.Join(s.dir, ".tmp-*"))
	for _, t := range temps {
		os.Remove(t)
	}
	keep := make(map[string]bool, len(m.Articles))
	for _, e := range m.Articles {
		keep[e.Object+".json"] = true
	}
	return filepath.WalkDir(filepath.Join(s.dir, "objects"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || keep[d.Name()] {
			return err
		}
		return os.Remove(path)
	})
}

func (s *Store) objectPath(sum string) string {
	return filepath.Join(s.dir, "objects", sum[:2], sum+".json")
}

func hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func localeTimes(a *content.Article) map[string]time.Time {
	out := make(map[string]time.Time, len(a.Translations))
	for l, t := range a.Translations {
		out[l] = t.UpdatedAt
	}
	return out
}

// writeFileSync writes data to name through a temporary file in the same
// directory, synced and renamed into place, then syncs the directory, so
// name holds either its old bytes or all of data.
func writeFileSync(name string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(name), ".tmp-"+filepath.Base(name)+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), name); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(name))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

// hint says what to do about the errors a user can fix.
func hint(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "; the disk is full: free some space and run again"
	case errors.Is(err, fs.ErrPermission):
		return "; check the directory's permissions"
	}
	return ""
}
