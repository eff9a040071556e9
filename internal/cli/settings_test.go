package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// configFile writes a helpsite.yaml setting every key of the table to a
// value naming the file, and returns its path.
func configFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "helpsite.yaml")
	err := os.WriteFile(p, []byte(`site:
  base_url: https://file.example.com/
intercom:
  api_base: https://file.example.com/api
  region: eu
  api_version: "2.9"
  help_center: "file"
server:
  listen: "file:1"
  data: /file/data
  poll_interval: 7m
  reconcile_interval: 7h
publish_to: file:///file/site
purge_url: https://file.example.com/purge
publish:
  gzip: "on"
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// values for each flag with a file key, as the file, the environment and
// the command line give them.
var precedenceValues = map[string][3]string{
	"api-base":           {"https://file.example.com/api", "https://env.example.com/api", "https://flag.example.com/api"},
	"region":             {"eu", "au", "us"},
	"api-version":        {"2.9", "2.16", "2.7"},
	"help-center":        {"file", "env", "flag"},
	"base-url":           {"https://file.example.com/", "https://env.example.com/", "https://flag.example.com/"},
	"listen":             {"file:1", "env:2", "flag:3"},
	"data":               {"/file/data", "/env/data", "/flag/data"},
	"poll-interval":      {"7m0s", "8m0s", "9m0s"},
	"reconcile-interval": {"7h0m0s", "8h0m0s", "9h0m0s"},
	"publish-to":         {"file:///file/site", "s3://env?region=us-east-1", "gs://flag"},
	"purge-url":          {"https://file.example.com/purge", "https://env.example.com/purge", "https://flag.example.com/purge"},
	"publish-gzip":       {"on", "off", "auto"},
}

// newFlags returns a flag set with every flag of the table, with defaults.
func newFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	var api APIFlags
	api.Register(fs)
	ConfigFlag(fs)
	fs.String("base-url", "", "")
	fs.String("listen", "127.0.0.1:8080", "")
	fs.String("data", "helpsite-data", "")
	fs.Duration("poll-interval", 0, "")
	fs.Duration("reconcile-interval", 0, "")
	fs.String("client-secret", "", "")
	fs.String("memory-limit", "", "")
	fs.String("log-format", "text", "")
	var pub PublishFlags
	pub.Register(fs)
	fs.Bool("serve-site", true, "")
	return fs
}

// Every setting the file can hold follows one order: flag, environment,
// file, default; the config file itself may come from HELPSITE_CONFIG.
func TestPrecedence(t *testing.T) {
	file := configFile(t)
	for _, c := range []struct {
		name             string
		config, env, cli bool
		want             int // index into the values; -1 for the default
	}{
		{"default", false, false, false, -1},
		{"file", true, false, false, 0},
		{"env beats file", true, true, false, 1},
		{"flag beats env and file", true, true, true, 2},
		{"flag beats file", true, false, true, 2},
		{"env without file", false, true, false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range Settings {
				vals, ok := precedenceValues[s.Flag]
				if s.Key == "" {
					continue
				}
				if !ok {
					t.Fatalf("no test values for --%s", s.Flag)
				}
				fs := newFlags()
				env := map[string]string{}
				var args []string
				if c.config {
					env["HELPSITE_CONFIG"] = file
				}
				if c.env {
					env[s.Env] = vals[1]
				}
				if c.cli {
					args = append(args, "--"+s.Flag+"="+vals[2])
				}
				if err := fs.Parse(args); err != nil {
					t.Fatal(err)
				}
				def := fs.Lookup(s.Flag).DefValue
				if _, err := Prepare(fs, func(k string) string { return env[k] }); err != nil {
					t.Fatal(err)
				}
				want := def
				if c.want >= 0 {
					want = vals[c.want]
				}
				if got := fs.Lookup(s.Flag).Value.String(); got != want {
					t.Errorf("--%s = %q, want %q", s.Flag, got, want)
				}
			}
		})
	}
}

// The Docker image sets HELPSITE_DATA=/data: a configuration file's
// server.data must not move the data out of its volume.
func TestEnvironmentBeatsConfigFileData(t *testing.T) {
	fs := newFlags()
	fs.Parse([]string{"--config", configFile(t)})
	if _, err := Prepare(fs, func(k string) string { return map[string]string{"HELPSITE_DATA": "/data"}[k] }); err != nil {
		t.Fatal(err)
	}
	if got := fs.Lookup("data").Value.String(); got != "/data" {
		t.Errorf("data = %q, want HELPSITE_DATA's /data", got)
	}
}

func TestMalformedValuesNameTheirSource(t *testing.T) {
	fs := newFlags()
	fs.Parse(nil)
	_, err := Prepare(fs, func(k string) string { return map[string]string{"HELPSITE_POLL_INTERVAL": "soon"}[k] })
	if !IsUsage(err) || !strings.Contains(err.Error(), "HELPSITE_POLL_INTERVAL") {
		t.Errorf("got %v, want a usage error naming HELPSITE_POLL_INTERVAL", err)
	}
	fs = newFlags()
	fs.Parse(nil)
	_, err = Prepare(fs, func(k string) string { return map[string]string{"HELPSITE_PUBLISH_GZIP": "sometimes"}[k] })
	if !IsUsage(err) || !strings.Contains(err.Error(), "HELPSITE_PUBLISH_GZIP") || !strings.Contains(err.Error(), "use auto, on or off") {
		t.Errorf("got %v, want a usage error naming HELPSITE_PUBLISH_GZIP and the values", err)
	}
	fs = newFlags()
	fs.Parse([]string{"--config", "/nonexistent/helpsite.yaml"})
	if _, err := Prepare(fs, func(string) string { return "" }); !IsUsage(err) || Hint(err) == "" {
		t.Errorf("missing config file: %v (hint %q)", err, Hint(err))
	}
}

func TestEveryEnvironmentVariableIsDocumented(t *testing.T) {
	fs := newFlags()
	DocumentEnv(fs)
	for _, s := range Settings {
		if f := fs.Lookup(s.Flag); s.Env != "" && (f == nil || !strings.Contains(f.Usage, "(env "+s.Env+")")) {
			t.Errorf("--%s does not show %s", s.Flag, s.Env)
		}
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	if err := CheckWritable("out", filepath.Join(dir, "new", "deeper", "site")); err != nil {
		t.Errorf("a path below a writable directory: %v", err)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	if err := CheckWritable("out", filepath.Join(file, "site")); !IsUsage(err) || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("below a file: %v", err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if err := CheckWritable("out", filepath.Join(ro, "site")); !IsUsage(err) || !strings.Contains(err.Error(), "cannot create files") {
			t.Errorf("in a read-only directory: %v", err)
		}
	}
	if err := CheckWritable("out", "/proc/helpsite-site"); !IsUsage(err) {
		t.Errorf("in /proc: %v", err)
	}
}
