package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
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
