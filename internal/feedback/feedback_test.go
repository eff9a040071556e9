package feedback

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// catalog is a Catalog of a fixed set of pages.
type catalog map[Key]string

func (c catalog) Article(locale, id string) (string, string, bool) {
	title, ok := c[Key{id, locale}]
	return title, "/" + locale + "/articles/" + id + "-x/", ok
}

type counter struct{ n atomic.Int64 }

func (c *counter) Inc() { c.n.Add(1) }

type fixture struct {
	h                           *Handler
	store                       *Store
	accepted, rejected, limited *counter
}

func newFixture(t *testing.T, limiter *Limiter) *fixture {
	t.Helper()
	store, err := Open(context.Background(), filepath.Join(t.TempDir(), "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if limiter == nil {
		limiter = &Limiter{Burst: 1000, Every: time.Millisecond}
	}
	f := &fixture{store: store, accepted: &counter{}, rejected: &counter{}, limited: &counter{}}
	pages := catalog{{"100", "en"}: "Welcome", {"100", "fr"}: "Bienvenue", {"101", "en"}: "Reset your password"}
	f.h = &Handler{Store: store, Catalog: func() Catalog { return pages }, Limiter: limiter, Log: slog.New(slog.DiscardHandler),
		Accepted: f.accepted, Rejected: f.rejected, Limited: f.limited}
	return f
}

// post sends body from client and returns the status and decoded answer.
func (f *fixture) post(t *testing.T, client, body string) (int, map[string]any) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(body))
	r.RemoteAddr = client + ":4321"
	w := httptest.NewRecorder()
	f.h.Post(w, r)
	var out map[string]any
	json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

func TestValidation(t *testing.T) {
	f := newFixture(t, nil)
	long := strings.Repeat("é", MaxComment+1)
	for name, c := range map[string]struct {
		body string
		want int
	}{
		"unknown article":           {`{"article":"999","locale":"en","reaction":1}`, 400},
		"article in another locale": {`{"article":"101","locale":"fr","reaction":1}`, 400},
		"reaction 0":                {`{"article":"100","locale":"en","reaction":0}`, 400},
		"reaction 4":                {`{"article":"100","locale":"en","reaction":4}`, 400},
		"reaction as a string":      {`{"article":"100","locale":"en","reaction":"3"}`, 400},
		"unknown field":             {`{"article":"100","locale":"en","reaction":3,"email":"a@b"}`, 400},
		"not JSON":                  {`reaction=3`, 400},
		"two objects":               {`{"article":"100","locale":"en","reaction":3}{}`, 400},
		"comment too long":          {`{"article":"100","locale":"en","reaction":1,"comment":"` + long + `"}`, 400},
		"body too large":            {`{"article":"100","locale":"en","reaction":1,"comment":"` + strings.Repeat("a", maxBody) + `"}`, 413},
		"forged record":             {`{"article":"100","locale":"en","reaction":1,"id":1,"token":"00"}`, 400},
		"id without token":          {`{"article":"100","locale":"en","reaction":1,"id":1}`, 400},
	} {
		if got, out := f.post(t, "203.0.113.9", c.body); got != c.want || out["error"] == nil {
			t.Errorf("%s: %d %v, want %d with an error", name, got, out, c.want)
		}
	}
	if n := f.store.Counts(); len(n) != 0 || f.accepted.n.Load() != 0 {
		t.Errorf("refused requests stored %v", n)
	}
	// The longest comment is accepted.
	ok := strings.Repeat("é", MaxComment)
	if got, out := f.post(t, "203.0.113.9", `{"article":"100","locale":"en","reaction":1,"comment":"`+ok+`"}`); got != 201 {
		t.Errorf("a comment of %d characters: %d %v", MaxComment, got, out)
	}
}

// TestHostileComment checks that markup is stripped from comments before
// they are stored, script content included, and that the report and its
// CSV hold the text only.
func TestHostileComment(t *testing.T) {
	f := newFixture(t, nil)
	body := `{"article":"100","locale":"en","reaction":1,"comment":"<script>alert(1)</script><img src=x onerror=alert(2)>Too <b>short</b>\u0000\u001b[31m =cmd|' /C calc'!A0"}`
	code, out := f.post(t, "203.0.113.9", body)
	if code != 201 || out["id"] == nil || out["token"] == nil {
		t.Fatalf("post: %d %v", code, out)
	}
	comments, err := f.store.Comments(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	got := comments[Key{"100", "en"}]
	if len(got) != 1 || got[0].Text != "Too short  [31m =cmd|' /C calc'!A0" {
		t.Fatalf("stored comment %+v", got)
	}
	for _, s := range []string{"<", ">", "alert", "\x00", "\x1b"} {
		if strings.Contains(got[0].Text, s) {
			t.Errorf("the stored comment %q holds %q", got[0].Text, s)
		}
	}
}

// TestChangeAndComment checks that a page changes its reaction and adds a
// comment to the record it made, and only with its token.
func TestChangeAndComment(t *testing.T) {
	f := newFixture(t, nil)
	_, out := f.post(t, "203.0.113.9", `{"article":"100","locale":"en","reaction":3}`)
	id, token := int64(out["id"].(float64)), out["token"].(string)
	if code, out := f.post(t, "203.0.113.9", fmt.Sprintf(`{"article":"100","locale":"en","reaction":1,"comment":"Outdated","id":%d,"token":%q}`, id, token)); code != 200 {
		t.Fatalf("change: %d %v", code, out)
	}
	if c := f.store.Counts()[Key{"100", "en"}]; c != (Counts{1, 0, 0}) {
		t.Errorf("counts after a change %v, want one sad", c)
	}
	// Another page's token, or another article, does not reach it.
	if code, _ := f.post(t, "203.0.113.9", fmt.Sprintf(`{"article":"101","locale":"en","reaction":2,"id":%d,"token":%q}`, id, token)); code != 400 {
		t.Errorf("a token used on another article: %d", code)
	}
	if code, _ := f.post(t, "203.0.113.9", fmt.Sprintf(`{"article":"100","locale":"en","reaction":2,"id":%d,"token":%q}`, id+1, token)); code != 400 {
		t.Errorf("a token used for another id: %d", code)
	}
}

func TestRateLimit(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	f := newFixture(t, &Limiter{Burst: 5, Every: 10 * time.Second, Now: func() time.Time { return now }})
	body := `{"article":"100","locale":"en","reaction":3}`
	for i := range 5 {
		if code, out := f.post(t, "198.51.100.7", body); code != 201 {
			t.Fatalf("request %d of the burst: %d %v", i+1, code, out)
		}
	}
	r := httptest.NewRequest(http.MethodPost, Path, strings.NewReader(body))
	r.RemoteAddr = "198.51.100.7:1"
	w := httptest.NewRecorder()
	f.h.Post(w, r)
	if w.Code != 429 || w.Header().Get("Retry-After") != "10" {
		t.Errorf("past the burst: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	// Bad requests count too, and other clients are not affected.
	if code, _ := f.post(t, "198.51.100.7", `{"reaction":9}`); code != 429 {
		t.Errorf("an invalid request past the burst: %d", code)
	}
	if code, _ := f.post(t, "198.51.100.8", body); code != 201 {
		t.Errorf("another client: %d", code)
	}
	now = now.Add(10 * time.Second)
	if code, _ := f.post(t, "198.51.100.7", body); code != 201 {
		t.Errorf("after a token refilled: %d", code)
	}
	if code, _ := f.post(t, "198.51.100.7", body); code != 429 {
		t.Errorf("one token only refilled: %d", code)
	}
	if f.store.Counts()[Key{"100", "en"}][2] != 7 || f.limited.n.Load() != 3 {
		t.Errorf("counts %v, limited %d", f.store.Counts(), f.limited.n.Load())
	}
}

func TestClientAddr(t *testing.T) {
	for _, c := range []struct{ remote, xff, want string }{
		{"203.0.113.5:1", "", "203.0.113.5"},
		{"203.0.113.5:1", "198.51.100.1", "203.0.113.5"}, // a public peer cannot claim another address
		{"127.0.0.1:1", "10.9.9.9, 198.51.100.1", "198.51.100.1"},
		{"10.0.0.2:1", "garbage", "10.0.0.2"},
		{"[::ffff:192.168.1.1]:1", "2001:db8::1", "2001:db8::1"},
	} {
		r := httptest.NewRequest(http.MethodPost, Path, nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := ClientAddr(r); got != c.want {
			t.Errorf("%s with X-Forwarded-For %q: %q, want %q", c.remote, c.xff, got, c.want)
		}
	}
}

func TestReport(t *testing.T) {
	f := newFixture(t, nil)
	for _, b := range []string{
		`{"article":"100","locale":"en","reaction":3}`, `{"article":"100","locale":"en","reaction":3}`, `{"article":"100","locale":"en","reaction":1}`,
		`{"article":"101","locale":"en","reaction":1,"comment":"It did not work"}`, `{"article":"101","locale":"en","reaction":2}`,
		`{"article":"100","locale":"fr","reaction":3}`,
	} {
		if code, out := f.post(t, "203.0.113.9", b); code != 201 {
			t.Fatalf("%s: %d %v", b, code, out)
		}
	}
	w := httptest.NewRecorder()
	f.h.Report(w, httptest.NewRequest(http.MethodGet, "/admin/feedback", nil))
	var report struct{ Articles []Row }
	if err := json.Unmarshal(w.Body.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range report.Articles {
		order = append(order, fmt.Sprintf("%s/%s %.3f %d", r.Article, r.Locale, r.SadShare, r.Total))
	}
	if got := strings.Join(order, ", "); got != "101/en 0.500 2, 100/en 0.333 3, 100/fr 0.000 1" {
		t.Errorf("report order %s", got)
	}
	if r := report.Articles[0]; r.Title != "Reset your password" || len(r.Comments) != 1 || r.Comments[0].Text != "It did not work" || r.NeutralShare != 0.5 {
		t.Errorf("first row %+v", r)
	}
	w = httptest.NewRecorder()
	f.h.Report(w, httptest.NewRequest(http.MethodGet, "/admin/feedback?format=csv", nil))
	records, err := csv.NewReader(w.Body).ReadAll()
	if err != nil || len(records) != 4 || records[0][9] != "sad_share" || records[2][0] != "100" || records[2][9] != "0.333" || records[2][8] != "2" {
		t.Errorf("CSV %v, %v", records, err)
	}
}

// TestKilledBetweenReactions records a reaction in a child process that is
// then killed with SIGKILL, without closing the database, does it again
// with a second reaction, and checks that both were kept.
func TestKilledBetweenReactions(t *testing.T) {
	if dir := os.Getenv("HELPSITE_FEEDBACK_CHILD"); dir != "" {
		childRecord(dir)
		return
	}
	dir := t.TempDir()
	for _, reaction := range []string{"1", "3"} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledBetweenReactions$")
		cmd.Env = append(os.Environ(), "HELPSITE_FEEDBACK_CHILD="+dir, "HELPSITE_FEEDBACK_REACTION="+reaction)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if !strings.HasPrefix(line, "recorded") {
			cmd.Process.Kill()
			t.Fatalf("child: %q, %v", line, err)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		go io.Copy(io.Discard, stdout)
		cmd.Wait()
	}
	store, err := Open(context.Background(), filepath.Join(dir, "feedback.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if c := store.Counts()[Key{"100", "en"}]; c != (Counts{1, 0, 1}) {
		t.Errorf("after two SIGKILLs, counts %v, want one sad and one happy", c)
	}
	var check string
	if err := store.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity check: %q %v", check, err)
	}
}

// childRecord records one reaction, says so, and waits to be killed.
func childRecord(dir string) {
	store, err := Open(context.Background(), filepath.Join(dir, "feedback.db"))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	reaction := 1
	fmt.Sscan(os.Getenv("HELPSITE_FEEDBACK_REACTION"), &reaction)
	if _, _, err := store.Add(context.Background(), Entry{Key: Key{"100", "en"}, Reaction: reaction, Client: "192.0.2.1"}); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("recorded")
	time.Sleep(time.Minute)
	os.Exit(1)
}

// TestNoAddressStored checks that the database holds no client address.
func TestNoAddressStored(t *testing.T) {
	f := newFixture(t, nil)
	f.post(t, "203.0.113.77", `{"article":"100","locale":"en","reaction":2}`)
	var client string
	if err := f.store.db.QueryRow("SELECT client FROM feedback").Scan(&client); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(client, "203.0.113.77") || len(client) != 32 {
		t.Errorf("stored client %q", client)
	}
}

// A store opens at a path relative to the working directory, as
// `webhook --data demo-data` gives it, and at one with characters a URL
// escapes; each lands where it was named.
func TestOpenPaths(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, path := range []string{filepath.Join("demo-data", "feedback.db"), filepath.Join("a b?c#d%20", "feedback.db")} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		store, err := Open(context.Background(), path)
		if err != nil {
			t.Errorf("Open(%q): %v", path, err)
			continue
		}
		store.Close()
		if _, err := os.Stat(path); err != nil {
			t.Errorf("Open(%q) made no file there: %v", path, err)
		}
	}
}
