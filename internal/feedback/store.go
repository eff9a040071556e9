// Package feedback records article feedback, the "Did this answer your
// question?" of every article page: a reaction (1 sad, 2 neutral, 3
// happy) and an optional comment, per article and locale.
//
// Store keeps them in one SQLite file (modernc.org/sqlite, pure Go), each
// reaction committed before it is acknowledged, in WAL mode with full
// syncs, so that a crash keeps every acknowledged one. It never stores a
// visitor's address, only a hash of it salted with a random key of the
// database (kept in it), which lets reactions from one client be told
// apart without saying who sent them. Handler serves the HTTP side:
// validation, rate limits, the admin report and page; Collector the
// counts in /metrics.
package feedback

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Reactions, as Intercom numbers them.
const (
	Sad     = 1
	Neutral = 2
	Happy   = 3
)

// Key names an article's page in one locale.
type Key struct{ Article, Locale string }

// Counts are the reactions of one article page: Counts[r-1] for reaction r.
type Counts [3]int

// Total is the number of reactions.
func (c Counts) Total() int { return c[0] + c[1] + c[2] }

// Store is the feedback database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	salt []byte

	mu     sync.Mutex
	counts map[Key]Counts
}

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	article TEXT NOT NULL,
	locale TEXT NOT NULL,
	reaction INTEGER NOT NULL CHECK (reaction BETWEEN 1 AND 3),
	comment TEXT NOT NULL DEFAULT '',
	client TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_page ON feedback (article, locale);
`

// Open opens or creates the database file path.
func Open(ctx context.Context, path string) (*Store, error) {
	// A file: URI's path is absolute: a relative one would be read as its
	// authority ("file://demo-data/…").
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("feedback: opening %s: %w", path, err)
	}
	dsn := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: url.Values{
		"_pragma": {"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"},
	}.Encode()}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("feedback: opening %s: %w", path, err)
	}
	// One writer at a time is what SQLite allows; one connection keeps
	// the pragmas on every statement and the writes in order.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, counts: map[Key]Counts{}}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("feedback: opening %s: %w", path, err)
	}
	return s, nil
}

// init creates the schema and the salt, and loads the counts.
func (s *Store) init(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, schema); err != nil {
		return err
	}
	salt := make([]byte, 32)
	rand.Read(salt)
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO meta (key, value) VALUES ('salt', ?)`, salt); err != nil {
		return err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'salt'`).Scan(&s.salt); err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT article, locale, reaction, COUNT(*) FROM feedback GROUP BY article, locale, reaction`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k Key
		var r, n int
		if err := rows.Scan(&k.Article, &k.Locale, &r, &n); err != nil {
			return err
		}
		c := s.counts[k]
		c[r-1] = n
		s.counts[k] = c
	}
	return rows.Err()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Entry is a reaction to record, or the change of one already recorded
// (ID and Token set).
type Entry struct {
	Key
	Reaction int
	Comment  string
	// Client is the sender's address; only a salted hash of it is kept.
	Client string
	// ID and Token name a recorded reaction, as Add returned them.
	ID    int64
	Token string
}

// ErrUnknownRecord is returned when an Entry's ID and Token name no record
// of its article and locale.
var ErrUnknownRecord = errors.New("feedback: no such record")

// Add records e, or with e.ID updates the reaction and comment of that
// record, and returns the record's id and the token that allows changing
// it. The change is committed to disk when Add returns.
func (s *Store) Add(ctx context.Context, e Entry) (id int64, token string, err error) {
	now := time.Now().Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.ID != 0 {
		if !hmac.Equal([]byte(e.Token), []byte(s.token(e.ID))) {
			return 0, "", ErrUnknownRecord
		}
		var old int
		err := s.db.QueryRowContext(ctx, `SELECT reaction FROM feedback WHERE id = ? AND article = ? AND locale = ?`,
			e.ID, e.Article, e.Locale).Scan(&old)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, "", ErrUnknownRecord
		}
		if err == nil {
			_, err = s.db.ExecContext(ctx, `UPDATE feedback SET reaction = ?, comment = CASE WHEN ? = '' THEN comment ELSE ? END,
				updated_at = ? WHERE id = ?`, e.Reaction, e.Comment, e.Comment, now, e.ID)
		}
		if err != nil {
			return 0, "", fmt.Errorf("feedback: updating a reaction: %w", err)
		}
		c := s.counts[e.Key]
		c[old-1]--
		c[e.Reaction-1]++
		s.counts[e.Key] = c
		return e.ID, e.Token, nil
	}
	err = s.db.QueryRowContext(ctx, `INSERT INTO feedback (article, locale, reaction, comment, client, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Article, e.Locale, e.Reaction, e.Comment, s.hash(e.Client), now, now).Scan(&id)
	if err != nil {
		return 0, "", fmt.Errorf("feedback: recording a reaction: %w", err)
	}
	c := s.counts[e.Key]
	c[e.Reaction-1]++
	s.counts[e.Key] = c
	return id, s.token(id), nil
}

// hash is the salted hash of a client's address that the database keeps.
func (s *Store) hash(client string) string {
	m := hmac.New(sha256.New, s.salt)
	m.Write([]byte("client\x00" + client))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// token is what lets the page that recorded reaction id change it.
func (s *Store) token(id int64) string {
	m := hmac.New(sha256.New, s.salt)
	fmt.Fprintf(m, "record\x00%d", id)
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// Counts returns a copy of the reactions per article page.
func (s *Store) Counts() map[Key]Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[Key]Counts, len(s.counts))
	for k, c := range s.counts {
		out[k] = c
	}
	return out
}

// Comment is a comment left with a reaction.
type Comment struct {
	Reaction int       `json:"reaction"`
	Text     string    `json:"text"`
	At       time.Time `json:"at"`
}

// Comments returns the newest comments of each article page, at most
// perPage of each.
func (s *Store) Comments(ctx context.Context, perPage int) (map[Key][]Comment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT article, locale, reaction, comment, updated_at FROM (
		SELECT *, ROW_NUMBER() OVER (PARTITION BY article, locale ORDER BY updated_at DESC, id DESC) AS n
		FROM feedback WHERE comment != '') WHERE n <= ? ORDER BY article, locale, n`, perPage)
	if err != nil {
		return nil, fmt.Errorf("feedback: reading comments: %w", err)
	}
	defer rows.Close()
	out := map[Key][]Comment{}
	for rows.Next() {
		var k Key
		var c Comment
		var at int64
		if err := rows.Scan(&k.Article, &k.Locale, &c.Reaction, &c.Text, &at); err != nil {
			return nil, fmt.Errorf("feedback: reading comments: %w", err)
		}
		c.At = time.Unix(at, 0).UTC()
		out[k] = append(out[k], c)
	}
	return out, rows.Err()
}
