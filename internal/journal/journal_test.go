package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppendPendingApplied(t *testing.T) {
	dir := t.TempDir()
	j, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := j.Append(Record{ID: fmt.Sprint("notif_", i), Topic: "article.updated", Item: json.RawMessage(`{"id":"1"}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := j.Append(Record{ID: "notif_2", Topic: "article.updated"}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second append of notif_2: %v, want ErrDuplicate", err)
	}
	if err := j.MarkApplied(3); err != nil {
		t.Fatal(err)
	}
	if p := j.Pending(); len(p) != 2 || p[0].Seq != 4 {
		t.Fatalf("pending %+v, want seq 4 and 5", p)
	}
	j.Close()

	// Reopened, as after a crash: the same records pending, ids remembered.
	j, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if p := j.Pending(); len(p) != 2 || p[0].ID != "notif_3" || string(p[0].Item) != `{"id":"1"}` {
		t.Fatalf("pending after reopen %+v", p)
	}
	if _, err := j.Append(Record{ID: "notif_0", Topic: "article.updated"}); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("append of an id recorded before the restart: %v", err)
	}
	rec, err := j.Append(Record{Topic: "ping"})
	if err != nil || rec.Seq != 6 {
		t.Fatalf("append after reopen: %+v, %v", rec, err)
	}
}

func TestTornRecordIsDropped(t *testing.T) {
	dir := t.TempDir()
	j, _ := Open(dir)
	j.Append(Record{ID: "notif_a", Topic: "article.created"})
	j.Close()
	f, _ := os.OpenFile(filepath.Join(dir, logName), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"seq":2,"id":"notif_b","top`) // a crash mid-write
	f.Close()

	j, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if p := j.Pending(); len(p) != 1 || p[0].ID != "notif_a" {
		t.Fatalf("pending %+v, want only notif_a", p)
	}
	if _, err := j.Append(Record{ID: "notif_b", Topic: "article.created"}); err != nil {
		t.Fatalf("the torn notification could not be recorded again: %v", err)
	}
	j.Close()
	j2, _ := Open(dir)
	defer j2.Close()
	if p := j2.Pending(); len(p) != 2 || p[1].ID != "notif_b" || p[1].Seq != 2 {
		t.Fatalf("pending %+v", p)
	}
}

func TestConcurrentAppendsKeepOrderAndCount(t *testing.T) {
	j, _ := Open(t.TempDir())
	defer j.Close()
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			if _, err := j.Append(Record{ID: fmt.Sprint("n", i), Topic: "article.updated"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p := j.Pending()
	if len(p) != 200 {
		t.Fatalf("%d pending, want 200", len(p))
	}
	for i, r := range p {
		if r.Seq != uint64(i+1) {
			t.Fatalf("pending[%d].Seq = %d", i, r.Seq)
		}
	}
}

func BenchmarkAppend(b *testing.B) {
	j, _ := Open(b.TempDir())
	defer j.Close()
	item := json.RawMessage(`{"type":"article","id":"123"}`)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			j.Append(Record{Topic: "article.updated", Item: item})
		}
	})
}

// Compaction keeps the pending records whole, the ids of recently applied
// ones for deduplication, and the sequence: a reopened journal goes on
// where it was, and the file shrinks.
func TestCompaction(t *testing.T) {
	dir := t.TempDir()
	j, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	j.compactAt = 3
	item := json.RawMessage(`{"id":"1","body":"` + strings.Repeat("x", 500) + `"}`)
	for i := range 6 {
		if _, err := j.Append(Record{ID: fmt.Sprint("notif_", i), Topic: "article.updated", Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(dir, logName)
	before, _ := os.Stat(log)
	if err := j.MarkApplied(4); err != nil { // compacts, now or after the sync in flight
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		after, _ := os.Stat(log)
		if after.Size() < before.Size()/2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log is still %d bytes, from %d", after.Size(), before.Size())
		}
	}
	if _, err := j.Append(Record{ID: "notif_1", Topic: "article.updated"}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("an applied id was forgotten: %v", err)
	}
	rec, err := j.Append(Record{ID: "notif_new", Topic: "article.updated", Item: item})
	if err != nil || rec.Seq != 7 {
		t.Fatalf("append after compaction: seq %d, %v; want 7", rec.Seq, err)
	}
	j.Close()

	j, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for _, r := range j.Pending() {
		seqs = append(seqs, r.Seq)
		if len(r.Item) == 0 {
			t.Errorf("pending record %d lost its item", r.Seq)
		}
	}
	if !slices.Equal(seqs, []uint64{5, 6, 7}) {
		t.Errorf("pending after reopening: %v, want [5 6 7]", seqs)
	}

	// Past the dedupe window, applied ids go, but not the sequence.
	if err := j.MarkApplied(7); err != nil {
		t.Fatal(err)
	}
	j.mu.Lock()
	err = j.compact(time.Now().Add(2 * dedupeWindow))
	j.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(Record{ID: "notif_1", Topic: "article.updated"}); err != nil {
		t.Errorf("an id older than the window is still deduplicated: %v", err)
	}
	j.Close()
	j, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if rec, err := j.Append(Record{ID: "notif_x", Topic: "article.updated"}); err != nil || rec.Seq != 9 {
		t.Errorf("after compacting everything away: seq %d, %v; want 9", rec.Seq, err)
	}
}
