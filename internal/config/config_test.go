package config

import (
	"os"
	"path/filepath"
	"slices"
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
  footer_links:
    - {title: Status, url: "https://status.northwind.example/"}
    - {title: Contact us, url: "mailto:help@northwind.example"}
    - {title: Terms, url: /en/articles/1-terms/}
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
	if want := (Link{Title: "Contact us", URL: "mailto:help@northwind.example"}); len(c.Site.FooterLinks) != 3 || c.Site.FooterLinks[1] != want {
		t.Errorf("footer links %+v", c.Site.FooterLinks)
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
		"site:\n  footer_links: [{title: Status, url: \"javascript:alert(1)\"}]\n": "footer_links[0].url",
		"site:\n  footer_links: [{url: https://example.com/}]\n":                   "footer_links[0] has no title",
		"publish:\n  cache_control: {pages: \"public\\r\\nSet-Cookie: a=b\"}\n":    "publish.cache_control.pages",
		"publish:\n  cache_control: {max_age: 60}\n":                               "field max_age not found",
	} {
		_, err := Load(write(t, text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one mentioning %q", text, err, want)
		}
	}
}

func TestLoadPublish(t *testing.T) {
	c, err := Load(write(t, `
publish_to: s3://help-site?region=eu-west-1
purge_url: cloudfront://E2QWRUHAPOMQZL
publish:
  gzip: "off"
  cache_control:
    pages: public, max-age=300, stale-while-revalidate=60
    fingerprinted: public, max-age=31536000, immutable
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Publish{Gzip: "off", CacheControl: CacheControl{Pages: "public, max-age=300, stale-while-revalidate=60", Fingerprinted: "public, max-age=31536000, immutable"}}
	if c.Publish != want {
		t.Errorf("publish = %+v, want %+v", c.Publish, want)
	}
}

func TestLoadImages(t *testing.T) {
	c, err := Load(write(t, `
images:
  allow_hosts: [CDN.example.com, "img.example.com:8443", 10.0.0.5, "[2001:db8::1]:8080", "2001:db8::2"]
  allow_private: true
  max_bytes: 5MiB
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"cdn.example.com", "img.example.com:8443", "10.0.0.5", "[2001:db8::1]:8080", "2001:db8::2"}
	if got := c.Images.HostStrings(); !slices.Equal(got, want) || !c.Images.AllowPrivate || c.Images.MaxBytes != 5<<20 {
		t.Errorf("got %v %+v, want hosts %v, private, 5 MiB", got, c.Images, want)
	}
	for text, want := range map[string]int64{"1000": 1000, "500KB": 500e3, "20 MiB": 20 << 20, "1gb": 1e9} {
		c, err := Load(write(t, "images:\n  max_bytes: "+text+"\n"))
		if err != nil || int64(c.Images.MaxBytes) != want {
			t.Errorf("max_bytes %s: %v, %v; want %d", text, c.Images.MaxBytes, err, want)
		}
	}
}

func TestLoadImagesErrors(t *testing.T) {
	for text, want := range map[string]string{
		"images:\n  allow_hosts: [https://cdn.example.com/]\n":                     "line 2: image host \"https://cdn.example.com/\" is a URL",
		"images:\n  allow_hosts:\n    - ok.example.com\n    - \"*.example.com\"\n": "line 4: image host \"*.example.com\" has a wildcard",
		"images:\n  allow_hosts: [\"cdn.example.com:99999\"]\n":                    "bad port",
		"images:\n  allow_hosts: [\"cdn_example com\"]\n":                          "not a host name",
		"images:\n  allow_hosts: [\"\"]\n":                                         "is empty",
		"images:\n  allow_hosts: [{a: b}]\n":                                       "not a string",
		"images:\n  max_bytes: lots\n":                                             "line 2: \"lots\" is not a size",
		"images:\n  max_bytes: 0\n":                                                "not a size",
		"images:\n  max_bytes: -5\n":                                               "not a size",
		"images:\n  allow_private: maybe\n":                                        "line 2",
		"images:\n  allow_host: [a.example.com]\n":                                 "field allow_host not found",
	} {
		_, err := Load(write(t, text))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one mentioning %q", text, err, want)
		}
	}
}

func TestLoadExtras(t *testing.T) {
	path := write(t, `
messenger: {app_id: abc12def, region: eu}
feedback: {endpoint: "https://help.example.com/api/feedback"}
head_html: head.html
csp_extra:
  script-src: [https://www.googletagmanager.com]
`)
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Messenger.AppID != "abc12def" || c.Messenger.Region != "eu" || c.Feedback.Endpoint != "https://help.example.com/api/feedback" ||
		c.HeadHTML != filepath.Join(filepath.Dir(path), "head.html") || c.CSPExtra["script-src"][0] != "https://www.googletagmanager.com" {
		t.Errorf("got %+v", c)
	}
	for text, want := range map[string]string{
		"messenger: {app_id: \"x/y\"}\n":                "not an Intercom app id",
		"messenger: {app_id: abc, region: mars}\n":      "use us, eu or au",
		"messenger: {region: eu}\n":                     "app_id is not",
		"feedback: {endpoint: /api/feedback}\n":         "not an http(s) URL",
		"csp_extra: {sandbox: [allow-scripts]}\n":       "not a directive",
		"csp_extra: {script-src: [\"a; img-src *\"]}\n": "separator",
	} {
		if _, err := Load(write(t, text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one mentioning %q", text, err, want)
		}
	}
}
