package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/content"
	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/server"
)

const (
	secret     = "s3cret"
	adminToken = "admin-token"
)

// harness is a running webhook server in front of a fake Intercom.
type harness struct {
	api    *fakeintercom.Server
	url    string // the server's base URL
	sender *fakeintercom.WebhookSender
	cancel context.CancelFunc
	done   chan int
	once   sync.Once
}

// start starts the server on data, with flags added to the test's own,
// against a fake API with a generated site and faults.
func start(t testing.TB, articles int, faults fakeintercom.Faults, data string, flags ...string) *harness {
	t.Helper()
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: articles, Locales: []string{"en", "fr"}, HelpCenters: 1, Seed: 5})
	api := fakeintercom.New(site, fakeintercom.Options{Window: time.Second})
	apiSrv := httptest.NewServer(api)
	t.Cleanup(apiSrv.Close)
	api.SetBaseURL(apiSrv.URL)
	api.SetFaults(faults)
	return startServer(t, api, apiSrv.URL, data, flags...)
}

// startServer starts the server on data with the fake API, and flags
// added to the test's own.
func startServer(t testing.TB, api *fakeintercom.Server, apiURL, data string, flags ...string) *harness {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	env := map[string]string{"INTERCOM_ACCESS_TOKEN": "test-token", "INTERCOM_CLIENT_SECRET": secret, "HELPSITE_ADMIN_TOKEN": adminToken}
	done := make(chan int, 1)
	go func() {
		args := append([]string{"--api-base", apiURL, "--data", data, "--listen", "127.0.0.1:0", "--poll-interval", "1h"}, flags...)
		done <- run(ctx, args, pw, logSink(), func(k string) string { return env[k] })
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr)
	if err != nil {
		cancel()
		t.Fatalf("server did not start: %v (exit %d)", err, <-done)
	}
	url := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "listening on "), "/")
	h := &harness{api: api, url: url, cancel: cancel, done: done,
		sender: &fakeintercom.WebhookSender{URL: url + "/webhooks/intercom", Secret: secret}}
	t.Cleanup(h.stop)
	// The first build of a benchmark's large site takes minutes.
	waitUntil(t, "the first publish", func() bool { return h.status(t, "/readyz") == http.StatusOK }, 30*time.Minute)
	return h
}

// stop shuts the server down and waits for it; it may be called again.
func (h *harness) stop() {
	h.once.Do(func() {
		h.cancel()
		<-h.done
	})
}

func (h *harness) status(t testing.TB, path string) int {
	resp, err := http.Get(h.url + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (h *harness) get(t testing.TB, path string) (int, string) {
	resp, err := http.Get(h.url + path)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls cond until it holds; the deadline only bounds a test
// that would otherwise hang, it measures nothing.
func (h *harness) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	waitUntil(t, what, cond, 90*time.Second)
}

func waitUntil(t testing.TB, what string, cond func() bool, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) send(t testing.TB, topic, id string) int {
	t.Helper()
	n, err := h.api.Notification(topic, id, "2.11")
	if err != nil {
		t.Fatal(err)
	}
	status, err := h.sender.Send(context.Background(), n)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

var refresh = regexp.MustCompile(`http-equiv="refresh" content="0; url=(?:https?://[^/]+)?(/[^"]*)"`)

// title of article id's English page as the server serves it, "" if it
// has none.
func (h *harness) title(t testing.TB, id string) string {
	return pageTitle(func(path string) (int, string) { return h.get(t, path) }, id)
}

// pageTitle returns the title of article id's English page as get (a
// site path's status and body) has it, "" if it has none. The bare-id URL
// is a redirect page to the current one.
func pageTitle(get func(path string) (int, string), id string) string {
	code, body := get("/en/articles/" + id + "/")
	if m := refresh.FindStringSubmatch(body); code == http.StatusOK && m != nil {
		code, body = get(m[1])
	}
	if code != http.StatusOK {
		return ""
	}
	m := regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// page returns the body of the page at path, following a redirect page,
// asking for gzip if gzipped and then checking it came gzipped with an ETag.
func (h *harness) page(t testing.TB, path string, gzipped bool) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.url+path, nil)
	if gzipped {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusMovedPermanently && strings.HasPrefix(loc, "/") {
		return h.page(t, loc, gzipped)
	}
	var body io.Reader = resp.Body
	if gzipped {
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("ETag") == "" {
			t.Errorf("%s is served without precompressed gzip or an ETag: %v", path, resp.Header)
			return ""
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	data, _ := io.ReadAll(body)
	if m := refresh.FindSubmatch(data); m != nil {
		return h.page(t, string(m[1]), gzipped)
	}
	return string(data)
}

// noRedirect is a client that shows redirects rather than follow them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// redirect returns the status and Location of the answer to path.
func (h *harness) redirect(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, err := noRedirect.Get(h.url + path)
	if err != nil {
		return 0, ""
	}
	resp.Body.Close()
	loc, _ := url.PathUnescape(resp.Header.Get("Location"))
	return resp.StatusCode, loc
}

// articlePage returns the URL of article id's English page, to which its
// bare id redirects, or "".
func (h *harness) articlePage(t testing.TB, id string) string {
	t.Helper()
	if code, loc := h.redirect(t, "/en/articles/"+id+"/"); code == http.StatusMovedPermanently {
		return loc
	}
	return ""
}

func retitle(api *fakeintercom.Server, t testing.TB, id, title string) {
	t.Helper()
	err := api.UpdateArticle(id, func(a *content.Article) {
		tr := a.Translations["en"]
		tr.Title = title
		a.Translations["en"] = tr
	})
	if err != nil {
		t.Fatal(err)
	}
}

func publishedArticle(api *fakeintercom.Server) string {
	for _, a := range api.Site().Articles {
		if a.Translations["en"].Published() {
			return a.ID
		}
	}
	return ""
}

func TestWebhookUpdateGoesLive(t *testing.T) {
	h := start(t, 30, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	retitle(h.api, t, id, "Reconcile payouts with your ledger")
	if s := h.send(t, "article.updated", id); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	h.waitFor(t, "the new title", func() bool { return h.title(t, id) == "Reconcile payouts with your ledger" })
	h.waitFor(t, "an incremental build", func() bool {
		_, metrics := h.get(t, "/metrics")
		return strings.Contains(metrics, "helpsite_builds_incremental_total 1\n")
	})
	// The article's collection lists the new title, and so does its gzip.
	article := h.page(t, "/en/articles/"+id+"/", false)
	crumbs, _, _ := strings.Cut(article[strings.Index(article, `class="breadcrumbs"`)+1:], "</nav>")
	links := regexp.MustCompile(`href="(/en/collections/[^"]+)"`).FindAllStringSubmatch(crumbs, -1)
	if len(links) == 0 {
		t.Fatal("the article page's breadcrumbs link to no collection")
	}
	collection := links[len(links)-1][1]
	if page := h.page(t, collection, true); !strings.Contains(page, "Reconcile payouts with your ledger") {
		t.Errorf("the gzipped collection page %s does not list the new title", collection)
	}
	// Search follows the page: once /readyz says it has caught up, it
	// leads to the page's new URL, not to the one the index was first
	// built with.
	h.waitFor(t, "search to catch up", func() bool {
		_, body := h.get(t, "/readyz")
		return strings.Contains(body, `"pending_events":0,"search_pending":0`)
	})
	_, body := h.get(t, "/api/search?locale=en&q=ledger")
	if !strings.Contains(body, `"id":"`+id+`"`) || !strings.Contains(body, `"url":"/en/articles/`+id+`-reconcile-payouts-with-your-ledger/"`) {
		t.Errorf("search for the new title, once caught up, answered %s", body)
	}
}

// A build that fails (here a broken layout override, as a user editing
// the theme of a live server might leave one) keeps the last good site
// serving, shows in /readyz and the metrics, and is tried again until the
// change is published.
func TestFailedBuildKeepsTheSiteAndIsRetried(t *testing.T) {
	dir := t.TempDir()
	layouts := filepath.Join(dir, "layouts")
	config := filepath.Join(dir, "helpsite.yaml")
	if err := os.MkdirAll(filepath.Join(layouts, "partials"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, []byte("site:\n  layouts: "+layouts+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := start(t, 20, fakeintercom.Faults{}, filepath.Join(dir, "data"), "--config", config)
	id := publishedArticle(h.api)
	before := h.title(t, id)

	broken := filepath.Join(layouts, "partials", "footer.html")
	if err := os.WriteFile(broken, []byte("<footer>{{ .Broken </footer>"), 0o644); err != nil {
		t.Fatal(err)
	}
	retitle(h.api, t, id, "Reconcile payouts with your ledger")
	if s := h.send(t, "article.updated", id); s != http.StatusOK {
		t.Fatalf("webhook answered %d", s)
	}
	var status struct {
		Ready     bool   `json:"ready"`
		LastError string `json:"last_error"`
	}
	readyz := func() {
		code, body := h.get(t, "/readyz")
		status.Ready, status.LastError = false, "" // absent when empty
		if err := json.Unmarshal([]byte(body), &status); err != nil || code != http.StatusOK {
			t.Fatalf("/readyz answered %d %q (%v)", code, body, err)
		}
	}
	h.waitFor(t, "/readyz to report the failed build", func() bool { readyz(); return status.LastError != "" })
	if !strings.Contains(status.LastError, "footer.html") {
		t.Errorf("/readyz reports %q, which does not name the broken layout", status.LastError)
	}
	if got := h.title(t, id); got != before {
		t.Errorf("after a failed build the article shows %q, not the last good site's %q", got, before)
	}
	if _, metrics := h.get(t, "/metrics"); !regexp.MustCompile(`helpsite_build_failures_total [1-9]`).MatchString(metrics) {
		t.Error("the metrics count no failed build")
	}

	if err := os.Remove(broken); err != nil {
		t.Fatal(err)
	}
	h.waitFor(t, "the change after the layout is fixed", func() bool { return h.title(t, id) == "Reconcile payouts with your ledger" })
	h.waitFor(t, "/readyz to clear the error", func() bool { readyz(); return status.LastError == "" })
	h.waitFor(t, "the search index", func() bool {
		_, body := h.get(t, "/api/search?locale=en&q=ledger")
		return strings.Contains(body, `"id":"`+id+`"`)
	})
}

// A poll that fails (here the token is revoked) is tried again until it
// gets through, without waiting for the next poll.
func TestFailedPollIsRetried(t *testing.T) {
	h := start(t, 10, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	retitle(h.api, t, id, "Reconcile payouts with your ledger") // no notification: only a poll finds it
	h.api.SetFaults(fakeintercom.Faults{RejectAllTokens: true})
	req, err := http.NewRequest(http.MethodPost, h.url+"/admin/rebuild", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("/admin/rebuild answered %d", resp.StatusCode)
	}
	h.waitFor(t, "/readyz to report the failed poll", func() bool {
		_, body := h.get(t, "/readyz")
		return strings.Contains(body, "last_error")
	})
	h.api.SetFaults(fakeintercom.Faults{})
	h.waitFor(t, "the change once the token works", func() bool { return h.title(t, id) == "Reconcile payouts with your ledger" })
}

func TestForgedAndDuplicateNotifications(t *testing.T) {
	h := start(t, 10, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	forger := &fakeintercom.WebhookSender{URL: h.sender.URL, Secret: "not-the-secret"}
	n, _ := h.api.Notification("article.updated", id, "2.11")
	if s, _ := forger.Send(context.Background(), n); s != http.StatusUnauthorized {
		t.Fatalf("forged notification: %d", s)
	}
	for i := range 2 {
		if s, _ := h.sender.Send(context.Background(), n); s != http.StatusOK {
			t.Fatalf("delivery %d: %d", i, s)
		}
	}
	_, metrics := h.get(t, "/metrics")
	for _, want := range []string{"helpsite_webhooks_rejected_total 1", "helpsite_webhooks_duplicates_total 1", "helpsite_webhooks_received_total 2"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q:\n%s", want, metrics)
		}
	}
}

func TestOutOfOrderEventsEndInNewestState(t *testing.T) {
	h := start(t, 10, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	retitle(h.api, t, id, "First title")
	old, _ := h.api.Notification("article.updated", id, "2.11")
	time.Sleep(1100 * time.Millisecond) // updated_at has a resolution of one second
	retitle(h.api, t, id, "Second title")
	newer, _ := h.api.Notification("article.updated", id, "2.11")
	for _, n := range []fakeintercom.Notification{newer, old} {
		if s, err := h.sender.Send(context.Background(), n); err != nil || s != http.StatusOK {
			t.Fatalf("send: %d %v", s, err)
		}
	}
	h.waitFor(t, "the newest title", func() bool { return h.title(t, id) == "Second title" })
	h.waitFor(t, "the queue to drain", func() bool {
		_, body := h.get(t, "/readyz")
		return strings.Contains(body, `"pending_events":0`)
	})
	if got := h.title(t, id); got != "Second title" {
		t.Fatalf("after both events the page says %q", got)
	}
}

func TestBurstAcrossArticlesWithFailingAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("burst test")
	}
	h := start(t, 120, fakeintercom.Faults{}, t.TempDir())
	var ids []string
	for _, a := range h.api.Site().Articles {
		if a.Translations["en"].Published() && len(ids) < 100 {
			ids = append(ids, a.ID)
		}
	}
	h.api.SetFaults(fakeintercom.Faults{ServerErrorRate: 0.3})
	// Five edits per article, each followed by its notification, sent
	// concurrently: 500 events. Refetches hit an API failing 30% of calls.
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			for round := range 5 {
				retitle(h.api, t, id, fmt.Sprintf("Burst %s round %d", id, round))
				topic := "article.updated"
				if round == 0 {
					topic = "article.deleted" // a doubtful event the server must check with the API
				}
				n, err := h.api.Notification(topic, id, "2.11")
				if err != nil {
					t.Error(err)
					return
				}
				if s, err := h.sender.Send(context.Background(), n); err != nil || s != http.StatusOK {
					t.Errorf("send: %d %v", s, err)
				}
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		want := fmt.Sprintf("Burst %s round 4", id)
		h.waitFor(t, "article "+id, func() bool { return h.title(t, id) == want })
	}
	_, metrics := h.get(t, "/metrics")
	builds := regexp.MustCompile(`helpsite_builds_total (\d+)`).FindStringSubmatch(metrics)
	var n int
	fmt.Sscan(builds[1], &n)
	if n > 50 {
		t.Errorf("%d builds for 500 events: events were not coalesced", n)
	}
	t.Logf("500 events across 100 articles: %d builds", n)
}

func TestUnpublishedAndDeletedArticlesRedirectToTheirCollection(t *testing.T) {
	h := start(t, 30, fakeintercom.Faults{}, t.TempDir())
	var unpublished, deleted string
	for _, a := range h.api.Site().Articles {
		if a.Translations["en"].Published() && len(a.ParentIDs) > 0 {
			if unpublished == "" {
				unpublished = a.ID
			} else if deleted == "" {
				deleted = a.ID
			}
		}
	}
	pages, titles := map[string]string{}, map[string]string{}
	for _, id := range []string{unpublished, deleted} {
		titles[id] = h.api.Site().Article(id).Translations["en"].Title
		if _, body := h.get(t, "/api/search?locale=en&q="+url.QueryEscape(titles[id])); !strings.Contains(body, `"id":"`+id+`"`) {
			t.Fatalf("search does not find article %s by its title before the change", id)
		}
		if pages[id] = h.articlePage(t, id); pages[id] == "" {
			t.Fatalf("article %s has no page", id)
		}
	}
	err := h.api.UpdateArticle(unpublished, func(a *content.Article) {
		tr := a.Translations["en"]
		tr.State = content.Draft
		a.Translations["en"] = tr
	})
	if err != nil {
		t.Fatal(err)
	}
	h.send(t, "article.unpublished", unpublished)
	if err := h.api.DeleteArticle(deleted); err != nil {
		t.Fatal(err)
	}
	h.send(t, "article.deleted", deleted)

	for id, page := range pages {
		for _, path := range []string{page, "/en/articles/" + id + "/"} {
			h.waitFor(t, path+" to redirect", func() bool {
				resp, err := noRedirect.Get(h.url + path)
				if err != nil {
					return false
				}
				resp.Body.Close()
				loc := resp.Header.Get("Location")
				return resp.StatusCode == http.StatusMovedPermanently && strings.HasPrefix(loc, "/en/collections/")
			})
		}
		h.waitFor(t, "article "+id+" to leave search", func() bool {
			_, body := h.get(t, "/api/search?locale=en&q="+url.QueryEscape(titles[id]))
			return !strings.Contains(body, `"id":"`+id+`"`)
		})
	}
	_, sitemap := h.get(t, "/en/sitemap.xml")
	for id, page := range pages {
		if strings.Contains(sitemap, page) {
			t.Errorf("article %s is still in the sitemap", id)
		}
	}
}

// The Dockerfile's HEALTHCHECK runs `webhook healthcheck`.
func TestHealthcheckCommand(t *testing.T) {
	h := start(t, 5, fakeintercom.Faults{}, t.TempDir())
	check := func(url string) (int, string) {
		var stderr strings.Builder
		code := run(context.Background(), []string{"healthcheck", "--url", url}, io.Discard, &stderr, func(string) string { return "" })
		return code, stderr.String()
	}
	if code, errOut := check(h.url + "/healthz"); code != 0 {
		t.Errorf("healthcheck of a running server: exit %d, %s", code, errOut)
	}
	if code, errOut := check(h.url + "/no-such-page"); code != 1 || !strings.Contains(errOut, "404") {
		t.Errorf("healthcheck of a 404: exit %d, %s, want 1 and an error naming it", code, errOut)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	if code, _ := check("http://" + l.Addr().String() + "/healthz"); code != 1 {
		t.Error("healthcheck of a port nothing listens on succeeded")
	}
	// A server not ready yet: a failed check (not ready for traffic), said
	// as what it is.
	var lastError string
	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", server.RetryAfter)
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(server.Status{LastError: lastError})
	}))
	defer notReady.Close()
	if code, errOut := check(notReady.URL + "/readyz"); code != 1 || !strings.Contains(errOut, "not ready yet (the first site is being built)") {
		t.Errorf("healthcheck of a server not ready: exit %d, %s", code, errOut)
	}
	lastError = "building: disk full"
	if code, errOut := check(notReady.URL + "/readyz"); code != 1 || !strings.Contains(errOut, "not ready yet; last error: building: disk full") {
		t.Errorf("healthcheck of a server not ready after an error: exit %d, %s", code, errOut)
	}
}
