package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func write(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "helpsite.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	path := write(t, `
site:
  title: Northwind Help
  base_url: https://help.northwind.example
  logo: brand/logo.svg
  colors: {primary: "#0b5cad", accent: "#f5a623"}
  default_locale: fr
  locales: [en, fr]
intercom:
  region: eu
  api_version: "2.16"
server:
  listen: ":8080"
  data: /var/lib/helpsite
  poll_interval: 5m
`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Site.Title != "Northwind Help" || c.Site.DefaultLocale != "fr" || len(c.Site.Locales) != 2 || c.Intercom.Region != "eu" {
		t.Errorf("got %+v", c)
	}
	if c.Site.Logo != filepath.Join(filepath.Dir(path), "brand/logo.svg") {
		t.Errorf("logo %q not resolved against the config file", c.Site.Logo)
	}
	if c.Server.Data != "/var/lib/helpsite" || time.Duration(c.Server.PollInterval) != 5*time.Minute {
		t.Errorf("server %+v", c.Server)
	}
}

func TestLoadEmpty(t *testing.T) {
	if _, err := Load(write(t, "")); err != nil {
		t.Fatal(err)
	}
}

func TestLoadErrors(t *testing.T) {
	for text, want := range map[string]string{
		"site:\n  titel: x\n":                   "field titel not found",
		"site:\n  base_url: help.example.com\n": "not an http(s) URL",
		"site:\n  colors: {primary: blue}\n":    "not a #rrggbb colour",
		"intercom:\n  region: mars\n":           "use us, eu or au",
		"server:\n  poll_interval: often\n":     "line 2",
		"site: [unclosed\n":                     "yaml",
	} {
		_, err := Load(write(t, text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one mentioning %q", text, err, want)
		}
	}
}
