// Package config reads helpsite's configuration file, helpsite.yaml.
//
// The file sets what a deployment keeps the same from run to run: the
// site's look and addresses, where Intercom is, and how the server runs.
// Secrets (the access token and the webhook client secret) never go in it;
// they come from the environment. Command-line flags override the file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/helpsite/helpsite/internal/csp"
)

// Config is the whole file.
type Config struct {
	Site     Site     `yaml:"site"`
	Intercom Intercom `yaml:"intercom"`
	Server   Server   `yaml:"server"`
	Images   Images   `yaml:"images"`
	// PublishTo is the object storage bucket URL each publish is pushed
	// to (deploy.Open's forms: s3://, gs://, azblob://, file:///).
	PublishTo string `yaml:"publish_to"`
	// PurgeURL receives the changed URLs after each push, as a JSON list,
	// or is cloudfront://DISTRIBUTION_ID for CloudFront invalidations.
	PurgeURL string `yaml:"purge_url"`
	// Publish says how a push writes the objects.
	Publish Publish `yaml:"publish"`
	// Messenger adds Intercom's Messenger to every page of the site.
	Messenger Messenger `yaml:"messenger"`
	// Feedback says where article pages send reactions.
	Feedback Feedback `yaml:"feedback"`
	// HeadHTML is a file of HTML inserted as it is into the <head> of
	// every page (analytics, site verification): trusted input, unlike
	// article content, which is sanitized. Relative to this file.
	HeadHTML string `yaml:"head_html"`
	// CSPExtra are sources added to the Content-Security-Policy, by
	// directive, for what HeadHTML loads.
	CSPExtra map[string][]string `yaml:"csp_extra"`
}

// Publish says how a push to the publish target writes the objects.
type Publish struct {
	CacheControl CacheControl `yaml:"cache_control"`
	// Gzip says whether compressible objects are stored gzipped: auto
	// (on Google Cloud Storage only), on or off.
	Gzip string `yaml:"gzip"`
}

// CacheControl is the Cache-Control header of each kind of object; an
// empty one keeps helpsite's default.
type CacheControl struct {
	// Pages is for pages, search indexes, sitemaps and redirect lists,
	// which change in place and are purged when they do.
	Pages string `yaml:"pages"`
	// Fingerprinted is for files whose name holds a hash of their content
	// (stylesheets, scripts, images), whose bytes never change.
	Fingerprinted string `yaml:"fingerprinted"`
	// Other is for the rest.
	Other string `yaml:"other"`
}

// Messenger is Intercom's Messenger launcher, off unless AppID is set.
type Messenger struct {
	// AppID is the workspace's app id (Intercom's Settings > Installation).
	AppID string `yaml:"app_id"`
	// Region is where the workspace is hosted: us (default), eu or au.
	Region string `yaml:"region"`
}

// Feedback configures article feedback ("Did this answer your question?").
type Feedback struct {
	// Endpoint is where pages built for a static host send reactions: the
	// URL of a helpsite webhook server's /api/feedback, or of a service
	// that accepts the same request. Without it, such pages hide the
	// widget; pages the webhook server publishes use its own endpoint.
	Endpoint string `yaml:"endpoint"`
}

// Site is how the help site looks and where it lives.
type Site struct {
	Title   string `yaml:"title"`
	BaseURL string `yaml:"base_url"`
	// Logo is an image file, relative to the config file.
	Logo   string `yaml:"logo"`
	Colors Colors `yaml:"colors"`
	// DefaultLocale is where / leads; the help center's default if empty.
	DefaultLocale string `yaml:"default_locale"`
	// Locales limits the published locales; all published ones if empty.
	Locales []string `yaml:"locales"`
	// Layouts is a directory of Hugo layouts that override the theme's.
	Layouts string `yaml:"layouts"`
	// IntercomHosts are the hosts article links may point at, besides the
	// help center's own URL and custom domain (e.g. an old domain).
	IntercomHosts []string `yaml:"intercom_hosts"`
	// FooterLinks are shown in every page's footer, in order.
	FooterLinks []Link `yaml:"footer_links"`
}

// Link is a link of the footer: an absolute http(s) or mailto: URL, or a
// root-relative path on the site.
type Link struct {
	Title string `yaml:"title"`
	URL   string `yaml:"url"`
}

// Colors are the theme's colours, as #rrggbb.
type Colors struct {
	Primary string `yaml:"primary"`
	Accent  string `yaml:"accent"`
}

// Intercom says where the workspace is.
type Intercom struct {
	APIBase    string `yaml:"api_base"`
	Region     string `yaml:"region"`
	APIVersion string `yaml:"api_version"`
	HelpCenter string `yaml:"help_center"`
}

// Server configures the webhook server.
type Server struct {
	Listen            string   `yaml:"listen"`
	Data              string   `yaml:"data"`
	PollInterval      Duration `yaml:"poll_interval"`
	ReconcileInterval Duration `yaml:"reconcile_interval"`
}

// Images says where article images may be downloaded from, besides
// Intercom's image hosts and the API's own host, and how large they may be.
type Images struct {
	// AllowHosts are more hosts images may come from: names or IP
	// addresses, with a port when it is not the scheme's default.
	AllowHosts []Host `yaml:"allow_hosts"`
	// AllowPrivate allows image hosts at addresses that are not public:
	// loopback, private networks, link-local. Cloud metadata endpoints
	// stay refused.
	AllowPrivate bool `yaml:"allow_private"`
	// MaxBytes is the largest image downloaded; 0 means the default
	// (20 MiB).
	MaxBytes ByteSize `yaml:"max_bytes"`
}

// HostStrings returns the allowed hosts as strings.
func (i Images) HostStrings() []string {
	hosts := make([]string, len(i.AllowHosts))
	for n, h := range i.AllowHosts {
		hosts[n] = string(h)
	}
	return hosts
}

// Host is a host name or IP address, with an optional port: cdn.example.com,
// cdn.example.com:8443, 10.0.0.5, [2001:db8::1]:8080. It is kept in lower
// case, an IPv6 address with a port in brackets.
type Host string

// hostLabel is one label of a DNS name.
var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func (h *Host) UnmarshalYAML(n *yaml.Node) error {
	v := strings.ToLower(strings.TrimSpace(n.Value))
	bad := func(why string) error {
		return fmt.Errorf("line %d: image host %q %s; write a host name like cdn.example.com, with :port if needed", n.Line, n.Value, why)
	}
	switch {
	case n.Kind != yaml.ScalarNode:
		return bad("is not a string")
	case v == "":
		return bad("is empty")
	case strings.Contains(v, "://"), strings.ContainsAny(v, "/?#@"):
		return bad("is a URL, not a host")
	case strings.Contains(v, "*"):
		return bad("has a wildcard, which is not supported")
	}
	if _, err := netip.ParseAddr(v); err == nil { // an IP address without a port
		*h = Host(v)
		return nil
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		host, port = v, ""
	} else if p, perr := strconv.Atoi(port); perr != nil || p < 1 || p > 65535 {
		return bad("has a bad port")
	}
	if _, err := netip.ParseAddr(host); err != nil {
		labels := strings.Split(strings.TrimSuffix(host, "."), ".")
		if len(host) > 253 || slices.ContainsFunc(labels, func(l string) bool { return !hostLabel.MatchString(l) }) {
			return bad("is not a host name or IP address")
		}
	}
	if port == "" {
		*h = Host(host)
	} else {
		*h = Host(net.JoinHostPort(host, port))
	}
	return nil
}

// ByteSize is a size in bytes, written as a number of bytes or with a unit:
// 500KB, 20MiB, 1GB.
type ByteSize int64

var byteSize = regexp.MustCompile(`^([0-9]+)\s*([kmg]i?b|b)?$`)

var byteUnits = map[string]int64{"": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30}

func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*b = ByteSize(v)
	return nil
}

// ParseByteSize parses a size like 20MiB, 1GiB or 500KB (up to 1 TiB).
func ParseByteSize(s string) (int64, error) {
	m := byteSize.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	var v int64
	var err error
	if m != nil {
		v, err = strconv.ParseInt(m[1], 10, 64)
	}
	if m == nil || err != nil || v <= 0 || v > (1<<40)/byteUnits[m[2]] {
		return 0, fmt.Errorf("%q is not a size like 20MiB or 500KB", s)
	}
	return v * byteUnits[m[2]], nil
}

// Duration is a time.Duration written as "10m" or "24h".
type Duration time.Duration

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration like 10m or 24h", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// appID is the shape of an Intercom app id, like "abc12def".
var appID = regexp.MustCompile(`^[a-zA-Z0-9]{1,32}$`)

// Load reads and checks the file at path. Relative paths in it are taken
// relative to the file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // an empty file configures nothing
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for _, p := range []*string{&c.Site.Logo, &c.Site.Layouts, &c.Server.Data, &c.HeadHTML} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return &c, nil
}

func (c *Config) check() error {
	var errs []error
	if u := c.Site.BaseURL; u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs = append(errs, fmt.Errorf("site.base_url %q is not an http(s) URL", u))
		}
	}
	for _, col := range []struct{ name, value string }{{"primary", c.Site.Colors.Primary}, {"accent", c.Site.Colors.Accent}} {
		if col.value != "" && !hexColor.MatchString(col.value) {
			errs = append(errs, fmt.Errorf("site.colors.%s %q is not a #rrggbb colour", col.name, col.value))
		}
	}
	for i, l := range c.Site.FooterLinks {
		if strings.TrimSpace(l.Title) == "" {
			errs = append(errs, fmt.Errorf("site.footer_links[%d] has no title", i))
		}
		if !footerURL(l.URL) {
			errs = append(errs, fmt.Errorf("site.footer_links[%d].url %q: use an http(s) or mailto: URL, or a path starting with /", i, l.URL))
		}
	}
	switch c.Intercom.Region {
	case "", "us", "eu", "au":
	default:
		errs = append(errs, fmt.Errorf("intercom.region %q: use us, eu or au", c.Intercom.Region))
	}
	if id := c.Messenger.AppID; id != "" && !appID.MatchString(id) {
		errs = append(errs, fmt.Errorf("messenger.app_id %q is not an Intercom app id (letters and digits)", id))
	}
	switch c.Messenger.Region {
	case "", "us", "eu", "au":
	default:
		errs = append(errs, fmt.Errorf("messenger.region %q: use us, eu or au", c.Messenger.Region))
	}
	if c.Messenger.Region != "" && c.Messenger.AppID == "" {
		errs = append(errs, errors.New("messenger.region is set but messenger.app_id is not"))
	}
	if e := c.Feedback.Endpoint; e != "" {
		if p, err := url.Parse(e); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs = append(errs, fmt.Errorf("feedback.endpoint %q is not an http(s) URL", e))
		}
	}
	for _, cc := range []struct{ name, value string }{
		{"pages", c.Publish.CacheControl.Pages}, {"fingerprinted", c.Publish.CacheControl.Fingerprinted}, {"other", c.Publish.CacheControl.Other},
	} {
		if strings.ContainsFunc(cc.value, func(r rune) bool { return r < ' ' || r > '~' }) {
			errs = append(errs, fmt.Errorf("publish.cache_control.%s %q: a header value is printable ASCII on one line", cc.name, cc.value))
		}
	}
	if err := csp.Extra(c.CSPExtra).Check(); err != nil {
		errs = append(errs, fmt.Errorf("csp_extra: %w", err))
	}
	return errors.Join(errs...)
}

// footerURL reports whether u may be a footer link: an absolute http(s)
// URL with a host, a mailto: URL, or a root-relative path.
func footerURL(u string) bool {
	p, err := url.Parse(u)
	switch {
	case err != nil || u != strings.TrimSpace(u):
		return false
	case p.Scheme == "http" || p.Scheme == "https":
		return p.Host != ""
	case p.Scheme == "mailto":
		return p.Opaque != ""
	}
	return p.Scheme == "" && p.Host == "" && strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//")
}
