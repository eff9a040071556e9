package purge

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKeyID  = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testDist   = "EDFDVBD6EXAMPLE"
)

// invalidationBatch is CreateInvalidation's request body.
type invalidationBatch struct {
	XMLName         xml.Name `xml:"InvalidationBatch"`
	CallerReference string
	Quantity        int      `xml:"Paths>Quantity"`
	Paths           []string `xml:"Paths>Items>Path"`
}

// fakeCloudFront is CloudFront's invalidation API as far as CloudFront
// uses it. It checks that each request is where the API has it and signed
// with SigV4 by the test's keys.
type fakeCloudFront struct {
	t *testing.T
	// fail, if set, answers a CreateInvalidation instead (status, code).
	fail func(n int) (int, string)

	mu       sync.Mutex
	creates  []invalidationBatch
	gets     int
	complete map[string]bool // invalidation ids reported Completed
	// inFlight is how many paths are in invalidations not reported
	// Completed yet; maxInFlight its peak.
	inFlight, maxInFlight int
	sizes                 map[string]int
}

func newFakeCloudFront(t *testing.T) (*fakeCloudFront, *httptest.Server) {
	f := &fakeCloudFront{t: t, complete: map[string]bool{}, sizes: map[string]int{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	// The standard chain finds the keys in the environment, and nothing
	// of the machine's own AWS files.
	t.Setenv("AWS_ACCESS_KEY_ID", testKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return f, srv
}

func (f *fakeCloudFront) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := checkSigV4(r, body); err != nil {
		f.t.Errorf("%s %s: %v", r.Method, r.URL.Path, err)
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	base := "/2020-05-31/distribution/" + testDist + "/invalidation"
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == base:
		var b invalidationBatch
		if err := xml.Unmarshal(body, &b); err != nil || b.CallerReference == "" || b.Quantity != len(b.Paths) {
			f.t.Errorf("CreateInvalidation body %s: %v", body, err)
		}
		if f.fail != nil {
			if status, code := f.fail(len(f.creates)); status != 0 {
				f.creates = append(f.creates, b)
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(status)
				fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>`, code)
				return
			}
		}
		f.creates = append(f.creates, b)
		id := fmt.Sprintf("I%d", len(f.creates))
		f.sizes[id] = len(b.Paths)
		f.inFlight += len(b.Paths)
		f.maxInFlight = max(f.maxInFlight, f.inFlight)
		w.Header().Set("Location", "https://cloudfront.amazonaws.com"+base+"/"+id)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>%s</Id><Status>InProgress</Status><CreateTime>2026-12-07T10:00:00Z</CreateTime></Invalidation>`, id)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, base+"/"):
		id := strings.TrimPrefix(r.URL.Path, base+"/")
		f.gets++
		status := "InProgress"
		if f.gets%2 == 0 { // complete on the second look
			status = "Completed"
			if !f.complete[id] {
				f.complete[id] = true
				f.inFlight -= f.sizes[id]
			}
		}
		fmt.Fprintf(w, `<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>%s</Id><Status>%s</Status><CreateTime>2026-12-07T10:00:00Z</CreateTime></Invalidation>`, id, status)
	default:
		f.t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		http.Error(w, "no such API", http.StatusNotFound)
	}
}

// checkSigV4 signs r again with the test's keys, as the service would,
// and compares the signature.
func checkSigV4(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+testKeyID+"/") || !strings.Contains(auth, "/us-east-1/cloudfront/aws4_request") {
		return fmt.Errorf("Authorization %q is not SigV4 for cloudfront in us-east-1 with the test key", auth)
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %v", err)
	}
	sum := sha256.Sum256(body)
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	again.Header = r.Header.Clone()
	again.Header.Del("Authorization")
	signed := strings.Split(strings.SplitN(strings.SplitN(auth, "SignedHeaders=", 2)[1], ",", 2)[0], ";")
	for k := range again.Header {
		if !slices.Contains(signed, strings.ToLower(k)) {
			again.Header.Del(k) // added after signing (the transport's)
		}
	}
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, again, hex.EncodeToString(sum[:]), "cloudfront", "us-east-1", at); err != nil {
		return err
	}
	if want := again.Header.Get("Authorization"); want != auth {
		return fmt.Errorf("signature does not match:\n got %s\nwant %s", auth, want)
	}
	return nil
}

func newTestCloudFront(t *testing.T, srv *httptest.Server) *CloudFront {
	t.Helper()
	c, err := NewCloudFront(context.Background(), testDist, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	c.Poll, c.Backoff = time.Millisecond, time.Millisecond
	return c
}

// A few URLs go in one signed invalidation of their encoded paths; a
// server error is retried with the same caller reference.
func TestCloudFrontInvalidates(t *testing.T) {
	f, srv := newFakeCloudFront(t)
	f.fail = func(n int) (int, string) {
		if n == 0 {
			return http.StatusServiceUnavailable, "ServiceUnavailable"
		}
		return 0, ""
	}
	c := newTestCloudFront(t, srv)
	urls := []string{
		"https://help.example.com/",
		"https://help.example.com/en/articles/1-refunds/",
		"https://help.example.com/ja/articles/2-払い戻し/",
		"https://help.example.com/en/search/a b*.js",
	}
	if err := c.Purge(context.Background(), urls); err != nil {
		t.Fatal(err)
	}
	if len(f.creates) != 2 || f.creates[0].CallerReference != f.creates[1].CallerReference {
		t.Fatalf("%d CreateInvalidation calls %+v, want one failed and its retry with the same caller reference", len(f.creates), f.creates)
	}
	want := []string{"/", "/en/articles/1-refunds/", "/ja/articles/2-%E6%89%95%E3%81%84%E6%88%BB%E3%81%97/", "/en/search/a%20b%2A.js"}
	if got := f.creates[1].Paths; !slices.Equal(got, want) {
		t.Errorf("invalidated %q, want %q", got, want)
	}
	if f.gets != 0 {
		t.Errorf("%d GetInvalidation calls for a single batch, want none", f.gets)
	}
}

// More than 3,000 paths go in batches of 3,000, each sent once the one
// before it is complete, so that no more than 3,000 are ever in progress.
func TestCloudFrontBatches(t *testing.T) {
	f, srv := newFakeCloudFront(t)
	c := newTestCloudFront(t, srv)
	c.WildcardOver = 10000
	urls := make([]string, 6500)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://help.example.com/en/articles/%d-a/", i)
	}
	if err := c.Purge(context.Background(), urls); err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, b := range f.creates {
		sizes = append(sizes, len(b.Paths))
	}
	if !slices.Equal(sizes, []int{3000, 3000, 500}) {
		t.Errorf("batches of %v paths, want 3000, 3000, 500", sizes)
	}
	if f.maxInFlight > CloudFrontBatch {
		t.Errorf("%d paths in progress at once", f.maxInFlight)
	}
	if f.creates[0].CallerReference == f.creates[1].CallerReference {
		t.Error("two batches share a caller reference")
	}
}

// A change larger than WildcardOver is one wildcard path: the narrowest
// directory that holds all of it.
func TestCloudFrontWildcard(t *testing.T) {
	f, srv := newFakeCloudFront(t)
	c := newTestCloudFront(t, srv)
	c.WildcardOver = 3
	for _, tc := range []struct {
		urls []string
		want string
	}{
		{[]string{"https://h.example/en/articles/1/", "https://h.example/en/articles/2/", "https://h.example/en/articles/3/", "https://h.example/en/articles/4/"}, "/en/articles/*"},
		{[]string{"https://h.example/en/articles/1/", "https://h.example/en/", "https://h.example/fr/", "https://h.example/sitemap.xml"}, "/*"},
		{[]string{"https://h.example/help/en/", "https://h.example/help/fr/", "https://h.example/help/de/", "https://h.example/help/ja/"}, "/help/*"},
	} {
		f.creates = nil
		if err := c.Purge(context.Background(), tc.urls); err != nil {
			t.Fatal(err)
		}
		if len(f.creates) != 1 || !slices.Equal(f.creates[0].Paths, []string{tc.want}) {
			t.Errorf("invalidated %+v, want the one path %s", f.creates, tc.want)
		}
	}
	// At the bound, paths one by one.
	f.creates = nil
	if err := c.Purge(context.Background(), []string{"https://h.example/a", "https://h.example/b", "https://h.example/c"}); err != nil {
		t.Fatal(err)
	}
	if len(f.creates) != 1 || len(f.creates[0].Paths) != 3 {
		t.Errorf("3 URLs at a bound of 3 invalidated as %+v", f.creates)
	}
}

// A refusal is not retried, and the error names neither key.
func TestCloudFrontRefused(t *testing.T) {
	f, srv := newFakeCloudFront(t)
	f.fail = func(int) (int, string) { return http.StatusForbidden, "AccessDenied" }
	c := newTestCloudFront(t, srv)
	err := c.Purge(context.Background(), []string{"https://help.example.com/"})
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("Purge = %v, want AccessDenied", err)
	}
	if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), testKeyID) {
		t.Errorf("the error shows a key: %v", err)
	}
	if len(f.creates) != 1 {
		t.Errorf("a refused invalidation was sent %d times", len(f.creates))
	}
}
