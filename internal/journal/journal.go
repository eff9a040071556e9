// Package journal records webhook notifications durably before they are
// acknowledged, so that none is lost to a crash, and remembers which have
// been applied.
//
// The journal is an append-only file of JSON lines, one per notification,
// each synced to disk before Append returns. Appends that arrive together
// share one sync (group commit), so a burst is acknowledged quickly. A
// separate checkpoint file holds the sequence number of the last applied
// record; on open, everything after it is pending again. A line torn by a
// crash is cut off.
//
// Every few thousand applied records the file is compacted: rewritten
// with the pending records, and of the applied ones only the ids received
// within the dedupe window (Intercom retries once, a minute later), so it
// stays small however long the server runs.
package journal

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Record is one notification as received.
type Record struct {
	Seq        uint64          `json:"seq"`
	ID         string          `json:"id,omitempty"` // Intercom's notification id; empty for none
	Topic      string          `json:"topic"`
	CreatedAt  int64           `json:"created_at,omitempty"` // when Intercom created the event, Unix seconds
	ReceivedAt time.Time       `json:"received_at"`
	Item       json.RawMessage `json:"item,omitempty"`
}

// Journal is an open journal directory. It is safe for concurrent use.
type Journal struct {
	dir string

	mu      sync.Mutex
	f       *os.File
	next    uint64
	applied uint64
	seen    map[string]bool
	pending []Record // after applied, in order
	// uncompacted counts the records applied since the last compaction,
	// which starts at compactAt, or once the sync in flight is done if
	// compactSoon; compactErr is the error of one run that way.
	uncompacted, compactAt uint64
	compactSoon            bool
	compactErr             error
	batch                  *batch // appends waiting for the next sync
	syncing                bool
	notify                 chan struct{}
	closeErr               error
}

// batch is a group of appends synced together.
type batch struct {
	done chan struct{}
	err  error
}

const (
	logName        = "journal.log"
	checkpointName = "applied"
	// compactEvery is how many applied records trigger a compaction, and
	// dedupeWindow how long an applied notification's id is remembered.
	compactEvery = 4096
	dedupeWindow = 24 * time.Hour
)

// ErrDuplicate is returned by Append for a notification id already recorded.
var ErrDuplicate = errors.New("duplicate notification")

// Open opens or creates the journal in dir.
func Open(dir string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	j := &Journal{dir: dir, seen: map[string]bool{}, notify: make(chan struct{}, 1), next: 1, compactAt: compactEvery}
	if data, err := os.ReadFile(filepath.Join(dir, checkpointName)); err == nil {
		if j.applied, err = strconv.ParseUint(string(bytes.TrimSpace(data)), 10, 64); err != nil {
			return nil, fmt.Errorf("journal %s: checkpoint is corrupt: %w", dir, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, logName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	good, err := j.replay(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal %s: %w", dir, err)
	}
	// Cut off a record torn by a crash, then append after the good ones.
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	j.f = f
	return j, nil
}

// replay reads every whole record and returns the offset after the last.
func (j *Journal) replay(f *os.File) (int64, error) {
	r := bufio.NewReader(f)
	var good int64
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return good, nil // a trailing partial line is torn: dropped
		}
		if err != nil {
			return 0, err
		}
		var rec Record
		if json.Unmarshal(line, &rec) != nil {
			return good, nil // a torn write followed by nothing valid
		}
		good += int64(len(line))
		j.next = rec.Seq + 1
		if rec.ID != "" {
			j.seen[rec.ID] = true
		}
		if rec.Seq > j.applied {
			j.pending = append(j.pending, rec)
		}
	}
}

// Append records a notification durably and returns it with its sequence
// number and time of receipt set. It returns ErrDuplicate, recording
// nothing, for an id already recorded.
func (j *Journal) Append(rec Record) (Record, error) {
	j.mu.Lock()
	if j.f == nil {
		j.mu.Unlock()
		return Record{}, errors.New("journal is closed")
	}
	if rec.ID != "" && j.seen[rec.ID] {
		j.mu.Unlock()
		return Record{}, ErrDuplicate
	}
	rec.Seq, rec.ReceivedAt = j.next, time.Now().UTC()
	line, err := json.Marshal(rec)
	if err != nil {
		j.mu.Unlock()
		return Record{}, err
	}
	if _, err := j.f.Write(append(line, '\n')); err != nil {
		j.mu.Unlock()
		return Record{}, fmt.Errorf("writing journal: %w", err)
	}
	j.next++
	if rec.ID != "" {
		j.seen[rec.ID] = true
	}
	if j.batch == nil {
		j.batch = &batch{done: make(chan struct{})}
	}
	b := j.batch
	if !j.syncing {
		j.syncing = true
		go j.syncLoop()
	}
	j.mu.Unlock()

	<-b.done
	if b.err != nil {
		return Record{}, fmt.Errorf("syncing journal: %w", b.err)
	}
	j.mu.Lock()
	// Appends of one batch wake in any order; keep pending in sequence.
	i, _ := slices.BinarySearchFunc(j.pending, rec.Seq, func(r Record, seq uint64) int { return cmp.Compare(r.Seq, seq) })
	j.pending = slices.Insert(j.pending, i, rec)
	j.mu.Unlock()
	select {
	case j.notify <- struct{}{}:
	default:
	}
	return rec, nil
}

// syncLoop syncs the file for each batch of appends until none waits.
func (j *Journal) syncLoop() {
	for {
		j.mu.Lock()
		b := j.batch
		j.batch = nil
		if b == nil {
			j.syncing = false
			if j.compactSoon && j.f != nil {
				j.compactSoon = false
				j.compactErr = j.compact(time.Now())
			}
			j.mu.Unlock()
			return
		}
		f := j.f
		j.mu.Unlock()
		b.err = f.Sync()
		close(b.done)
	}
}

// Notify is signalled after records are appended.
func (j *Journal) Notify() <-chan struct{} { return j.notify }

// Pending returns the records not yet marked applied, oldest first.
func (j *Journal) Pending() []Record {
	j.mu.Lock()
	defer j.mu.Unlock()
	return append([]Record(nil), j.pending...)
}

// MarkApplied records durably that every record up to seq is applied.
func (j *Journal) MarkApplied(seq uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if seq <= j.applied {
		return nil
	}
	tmp := filepath.Join(j.dir, checkpointName+".tmp")
	if err := writeSynced(tmp, []byte(strconv.FormatUint(seq, 10)+"\n")); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(j.dir, checkpointName)); err != nil {
		return err
	}
	j.uncompacted += seq - j.applied
	j.applied = seq
	i := 0
	for i < len(j.pending) && j.pending[i].Seq <= seq {
		i++
	}
	j.pending = j.pending[i:]
	if j.uncompacted >= j.compactAt {
		if j.syncing { // the sync in flight uses the file
			j.compactSoon = true
		} else {
			j.compactErr = j.compact(time.Now())
		}
	}
	if err := j.compactErr; err != nil {
		j.compactErr = nil
		return fmt.Errorf("compacting the journal: %w", err)
	}
	return nil
}

// compact rewrites the log with the pending records and, as id-only
// records, the applied ones received after now-dedupeWindow and the last
// one (which tells Open the next sequence number), then appends to it.
// j.mu is held and no sync is in flight. A failure leaves the old log in
// use.
func (j *Journal) compact(now time.Time) error {
	name := filepath.Join(j.dir, logName)
	old, err := os.Open(name)
	if err != nil {
		return err
	}
	defer old.Close()
	var kept bytes.Buffer
	var last Record
	lastKept := false
	seen := map[string]bool{}
	r := bufio.NewReader(old)
	for {
		line, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		var rec Record
		if err := json.Unmarshal(line, &rec); err != nil {
			return err
		}
		last, lastKept = rec, true
		switch {
		case rec.Seq > j.applied:
			kept.Write(line)
		case rec.ID != "" && now.Sub(rec.ReceivedAt) < dedupeWindow:
			writeIDOnly(&kept, rec)
		default:
			lastKept = false
			continue
		}
		if rec.ID != "" {
			seen[rec.ID] = true
		}
	}
	if last.Seq > 0 && !lastKept {
		writeIDOnly(&kept, last)
	}
	if err := writeSynced(name+".tmp", kept.Bytes()); err != nil {
		return err
	}
	if err := os.Rename(name+".tmp", name); err != nil {
		return err
	}
	if err := syncDir(j.dir); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return err
	}
	j.f.Close()
	j.f, j.seen, j.uncompacted = f, seen, 0
	return nil
}

// writeIDOnly writes rec without its item, as compact keeps applied records.
func writeIDOnly(w *bytes.Buffer, rec Record) {
	rec.Item = nil
	data, _ := json.Marshal(rec) // a Record without Item always encodes
	w.Write(append(data, '\n'))
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Close closes the journal file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return j.closeErr
	}
	j.closeErr = j.f.Close()
	j.f = nil
	return j.closeErr
}

func writeSynced(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
