package main

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// sitegen runs the command line, with an empty environment, and returns
// its exit code and output.
func sitegen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return sitegenEnv(t, nil, args...)
}

// sitegenEnv runs the command line with the environment env.
func sitegenEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

func fakeAPI(t *testing.T) (*fakeintercom.Server, string) {
	t.Helper()
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 60, Locales: []string{"en", "fr"}, HelpCenters: 1, Seed: 2})
	api := fakeintercom.New(site, fakeintercom.Options{Tokens: []string{"good"}})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return api, srv.URL
}

func TestFetchThenDelta(t *testing.T) {
	_, base := fakeAPI(t)
	dir := filepath.Join(t.TempDir(), "snap")
	env := map[string]string{"INTERCOM_ACCESS_TOKEN": "good"}
	code, out, errOut := sitegenEnv(t, env, "fetch", "--api-base", base, "--snapshot", dir)
	if code != 0 || !strings.Contains(out, "full sync") || !strings.Contains(out, "articles 60 added") {
		t.Fatalf("first fetch: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = sitegenEnv(t, env, "fetch", "--api-base", base, "--snapshot", dir)
	if code != 0 || !strings.Contains(out, "delta sync in 3 calls") || !strings.Contains(out, "articles 0 added, 0 updated, 0 removed") {
		t.Fatalf("second fetch: exit %d\n%s%s", code, out, errOut)
	}
}

func TestFetchErrors(t *testing.T) {
	_, base := fakeAPI(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	snap := filepath.Join(t.TempDir(), "snap")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no snapshot flag", []string{"fetch", "--api-base", base, "--token", "good"}, 2, "--snapshot DIR is required"},
		{"bad token", []string{"fetch", "--api-base", base, "--token", "bad", "--snapshot", snap}, 2, "rejected the access token"},
		{"no token", []string{"fetch", "--api-base", base, "--snapshot", snap}, 2, "INTERCOM_ACCESS_TOKEN"},
		{"bad region", []string{"fetch", "--region", "mars", "--token", "good", "--snapshot", snap}, 2, "unknown region"},
		{"bad version", []string{"fetch", "--api-base", base, "--token", "good", "--api-version", "3.0", "--snapshot", snap}, 2, "unsupported Intercom API version"},
		{"unknown help center", []string{"fetch", "--api-base", base, "--token", "good", "--help-center", "424242", "--snapshot", snap}, 2, "help center 424242 does not exist"},
		{"unreachable", []string{"fetch", "--api-base", closed, "--token", "good", "--snapshot", snap}, 1, "cannot connect to"},
		{"unknown flag", []string{"fetch", "--nope"}, 2, "unknown flag: --nope"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, errOut := sitegen(t, c.args...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, errOut, c.code, c.want)
			}
		})
	}
	if _, err := os.Stat(snap); !os.IsNotExist(err) {
		t.Errorf("a failed fetch left %s behind", snap)
	}
}

func TestFailedFetchKeepsSnapshot(t *testing.T) {
	api, base := fakeAPI(t)
	dir := filepath.Join(t.TempDir(), "snap")
	if code, _, errOut := sitegen(t, "fetch", "--api-base", base, "--token", "good", "--snapshot", dir); code != 0 {
		t.Fatal(errOut)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	api.SetFaults(fakeintercom.Faults{RejectAllTokens: true})
	if code, _, _ := sitegen(t, "fetch", "--api-base", base, "--token", "good", "--snapshot", dir, "--full"); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if string(before) != string(after) {
		t.Error("a failed fetch changed the snapshot")
	}
}

// serveDemo builds the demo site into a temporary directory and serves it
// from a plain static file server, closed when the test ends.
func serveDemo(t *testing.T) (out string, srv *httptest.Server) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "site")
	if code, stdout, errOut := sitegen(t, "build", "--demo", "--out", out); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, errOut)
	}
	srv = httptest.NewServer(http.FileServer(http.Dir(out)))
	t.Cleanup(srv.Close)
	return out, srv
}
