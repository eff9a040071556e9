package purge

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestURLs(t *testing.T) {
	got := URLs("https://help.example.com/", []string{"index.html", "en/articles/1-a/index.html", "sitemap.xml", "en/index.html"})
	want := []string{"https://help.example.com/", "https://help.example.com/en/", "https://help.example.com/en/articles/1-a/", "https://help.example.com/sitemap.xml"}
	if !slices.Equal(got, want) {
		t.Errorf("URLs = %q, want %q", got, want)
	}
}

func manyURLs(n int) []string {
	var urls []string
	for i := range n {
		urls = append(urls, "https://help.example.com/en/articles/"+string(rune('a'+i%26))+"/"+time.Duration(i).String())
	}
	return urls
}

func TestCloudflareBatchesAndRetries(t *testing.T) {
	var mu sync.Mutex
	var got [][]string
	var times []time.Time
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/zones/zone1/purge_cache" || r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "bad request "+r.URL.Path, http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 2 { // one throttled call, retried
			http.Error(w, `{"success":false}`, http.StatusTooManyRequests)
			return
		}
		var body struct{ Files []string }
		json.NewDecoder(r.Body).Decode(&body)
		got = append(got, body.Files)
		times = append(times, time.Now())
		w.Write([]byte(`{"success":true,"errors":[]}`))
	}))
	defer srv.Close()
	urls := manyURLs(75)
	cf := &Cloudflare{Zone: "zone1", Token: "tok", API: srv.URL, Interval: 20 * time.Millisecond}
	if err := cf.Purge(context.Background(), urls); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(got[0]) != 30 || len(got[1]) != 30 || len(got[2]) != 15 {
		t.Fatalf("batches of %v URLs", lens(got))
	}
	if all := slices.Concat(got...); !slices.Equal(all, urls) {
		t.Error("the purged URLs differ from those given")
	}
	for i := 1; i < len(times); i++ {
		if d := times[i].Sub(times[i-1]); d < 20*time.Millisecond {
			t.Errorf("calls %d and %d %s apart, under the interval", i-1, i, d)
		}
	}
}

func TestCloudflareRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"success":false,"errors":[{"message":"Authentication error"}]}`))
	}))
	defer srv.Close()
	cf := &Cloudflare{Zone: "z", Token: "secret-token", API: srv.URL}
	err := cf.Purge(context.Background(), []string{"https://a/"})
	if err == nil {
		t.Fatal("a refused purge succeeded")
	}
	if s := err.Error(); !contains(s, "403") || contains(s, "secret-token") {
		t.Errorf("error %q: want the status, never the token", s)
	}
}

func TestWebhookReceivesList(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch []string
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil || r.Method != http.MethodPost {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		got = append(got, batch...)
	}))
	defer srv.Close()
	urls := manyURLs(5)
	if err := (&Webhook{URL: srv.URL, BatchSize: 2}).Purge(context.Background(), urls); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, urls) {
		t.Errorf("hook received %q, want %q", got, urls)
	}
}

func lens(b [][]string) []int {
	var n []int
	for _, x := range b {
		n = append(n, len(x))
	}
	return n
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
