package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Each command's help is GNU-style, goes to stdout with exit 0, and lists
// its own flags only.
func TestHelp(t *testing.T) {
	for _, c := range []struct {
		args          []string
		want, notWant []string
	}{
		{[]string{"--help"}, []string{"fetch", "build", "bundle", "serve", "completion", "--version", "--log-format"}, nil},
		{[]string{"fetch", "--help"}, []string{"--snapshot", "--full", "--api-base", "--token", "(env INTERCOM_ACCESS_TOKEN)", "--config"}, []string{"--out", "--dir"}},
		{[]string{"build", "--help"}, []string{"--out", "--snapshot", "--from-snapshot", "--demo", "--base-url", "(env HELPSITE_BASE_URL)", "--warnings-file", "--region"}, []string{"--dir", "--locales"}},
		{[]string{"bundle", "-h"}, []string{"--out", "--from-snapshot", "--demo", "--locales", "--collections"}, []string{"--api-base", "--token", "--region", "--snapshot "}},
		{[]string{"serve", "--help"}, []string{"--dir", "--listen", "(env HELPSITE_LISTEN)", "gzip"}, []string{"--out", "--token", "--config"}},
		{[]string{"help", "build"}, []string{"--out"}, nil},
	} {
		code, stdout, stderr := sitegen(t, c.args...)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%v does not show %s:\n%s", c.args, w, stdout)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(stdout, w) {
				t.Errorf("%v shows %s, which is not its own:\n%s", c.args, w, stdout)
			}
		}
		for line := range strings.Lines(stdout) {
			if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], "-") && !strings.HasPrefix(f[0], "--") && !strings.HasPrefix(f[0], "-h,") && !strings.HasPrefix(f[0], "-v,") {
				t.Errorf("%v shows a single-dash flag: %q", c.args, line)
			}
		}
	}
}

// A mistake gets one short line naming it and one with what to do, exit 2.
func TestTypos(t *testing.T) {
	for _, c := range []struct {
		args      []string
		err, hint string
	}{
		{[]string{"buidl", "--demo"}, `sitegen: unknown command "buidl"`, "Did you mean 'sitegen build'?"},
		{[]string{"serv"}, `sitegen: unknown command "serv"`, "Did you mean 'sitegen serve'?"},
		{[]string{"build", "--ot", "site"}, "sitegen build: unknown flag: --ot", "Did you mean --out?"},
		{[]string{"build", "-out", "site"}, "sitegen build: unknown shorthand flag: 'o' in -out", "Did you mean --out?"},
		{[]string{"fetch", "--snapshto", "s"}, "sitegen fetch: unknown flag: --snapshto", "Did you mean --snapshot?"},
		{[]string{"bundle", "--local", "en"}, "sitegen bundle: unknown flag: --local", "Did you mean --locales?"},
		{[]string{"serve", "--dri", "site"}, "sitegen serve: unknown flag: --dri", "Did you mean --dir?"},
		{[]string{"bundle", "--token", "x"}, "sitegen bundle: unknown flag: --token", "Run 'sitegen bundle --help'"},
		{[]string{"build", "site"}, `sitegen build: unexpected argument "site"`, "every option is a --flag"},
		{[]string{}, "sitegen: no command given", "Run 'sitegen --help'"},
	} {
		code, _, stderr := sitegen(t, c.args...)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if len(c.args) == 0 { // the help comes first
			lines = lines[len(lines)-2:]
		}
		if code != 2 || len(lines) != 2 || lines[0] != c.err || !strings.Contains(lines[1], c.hint) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2, %q and a hint with %q", c.args, code, stderr, c.err, c.hint)
		}
	}
}

func TestVersionAndCompletion(t *testing.T) {
	if code, stdout, _ := sitegen(t, "--version"); code != 0 || !strings.HasPrefix(stdout, "sitegen version ") {
		t.Errorf("--version: exit %d, %q", code, stdout)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		if code, stdout, stderr := sitegen(t, "completion", shell); code != 0 || !strings.Contains(stdout, "sitegen") {
			t.Errorf("completion %s: exit %d, %s", shell, code, stderr)
		}
	}
}

// countingAPI is an API that counts the requests it gets: a command that
// checks its arguments first gets none.
func countingAPI(t *testing.T) (string, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "unexpected", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// Arguments are checked before any work starts: no request is made and
// nothing is written.
func TestArgumentsRefusedBeforeWork(t *testing.T) {
	base, requests := countingAPI(t)
	tmp := t.TempDir()
	site := filepath.Join(tmp, "site")
	os.MkdirAll(filepath.Join(tmp, "not-a-site"), 0o755)
	os.WriteFile(filepath.Join(tmp, "file"), nil, 0o644)
	badLocale := filepath.Join(tmp, "helpsite.yaml")
	os.WriteFile(badLocale, []byte("site:\n  locales: [en, xx]\n"), 0o644)
	api := []string{"--api-base", base, "--token", "t"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append([]string{"build", "--snapshot", filepath.Join(tmp, "snap"), "--out", "/proc/helpsite-site"}, api...), "--out /proc/helpsite-site: cannot create files in /proc"},
		{append([]string{"build", "--snapshot", filepath.Join(tmp, "snap"), "--out", filepath.Join(tmp, "file", "site")}, api...), "is not a directory"},
		{append([]string{"build", "--snapshot", filepath.Join(tmp, "file", "snap"), "--out", site}, api...), "--snapshot"},
		{append([]string{"build", "--snapshot", filepath.Join(tmp, "snap"), "--out", site, "--warnings-file", "/proc/w.jsonl"}, api...), "--warnings-file"},
		{append([]string{"fetch", "--snapshot", "/proc/helpsite-snap"}, api...), "--snapshot /proc/helpsite-snap"},
		{[]string{"build", "--from-snapshot", filepath.Join(tmp, "missing"), "--out", site}, "--from-snapshot " + filepath.Join(tmp, "missing") + ": no such directory"},
		{[]string{"build", "--demo", "--out", site, "--config", badLocale}, `site.locales in the configuration file: nothing is published in "xx"`},
		{[]string{"bundle", "--demo", "--out", site, "--locales", "en,xx"}, `--locales: nothing is published in "xx"`},
		{[]string{"bundle", "--demo", "--out", "/proc/helpsite.zip"}, "--out /proc/helpsite.zip"},
		{[]string{"serve", "--dir", filepath.Join(tmp, "missing")}, "no such directory"},
		{[]string{"serve", "--dir", filepath.Join(tmp, "not-a-site")}, "is not a built site"},
		{[]string{"build", "--demo", "--out", site, "--log-format", "xml"}, `--log-format "xml": use text or json`},
	} {
		code, stdout, stderr := sitegen(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2 and %q", c.args, code, stderr, c.want)
		}
		if strings.Contains(stdout, "built") {
			t.Errorf("%v built something: %s", c.args, stdout)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the refused commands made %d API requests", n)
	}
	if _, err := os.Stat(site); !os.IsNotExist(err) {
		t.Errorf("a refused command wrote %s", site)
	}
}

// closedURL is the URL of a port nothing listens on.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	return "http://" + ln.Addr().String()
}

// The command line beats the environment, which beats the configuration
// file, which beats the defaults: seen by where fetch tries to connect.
func TestFetchPrecedence(t *testing.T) {
	fromFile, fromEnv, fromFlag := closedURL(t), closedURL(t), closedURL(t)
	config := filepath.Join(t.TempDir(), "helpsite.yaml")
	os.WriteFile(config, []byte("intercom:\n  api_base: "+fromFile+"\n"), 0o644)
	snap := filepath.Join(t.TempDir(), "snap")
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"file", map[string]string{"HELPSITE_CONFIG": config}, nil, fromFile},
		{"flag --config", nil, []string{"--config", config}, fromFile},
		{"environment beats file", map[string]string{"HELPSITE_CONFIG": config, "INTERCOM_API_BASE": fromEnv}, nil, fromEnv},
		{"flag beats both", map[string]string{"HELPSITE_CONFIG": config, "INTERCOM_API_BASE": fromEnv}, []string{"--api-base", fromFlag}, fromFlag},
		{"default", nil, []string{"--region", "mars"}, "unknown region"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"INTERCOM_ACCESS_TOKEN": "t"}
			for k, v := range c.env {
				env[k] = v
			}
			_, _, stderr := sitegenEnv(t, env, append([]string{"fetch", "--snapshot", snap}, c.args...)...)
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr:\n%s\nwant %s", stderr, c.want)
			}
		})
	}
}
