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
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole file.
type Config struct {
	Site     Site     `yaml:"site"`
	Intercom Intercom `yaml:"intercom"`
	Server   Server   `yaml:"server"`
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
	for _, p := range []*string{&c.Site.Logo, &c.Site.Layouts, &c.Server.Data} {
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
	switch c.Intercom.Region {
	case "", "us", "eu", "au":
	default:
		errs = append(errs, fmt.Errorf("intercom.region %q: use us, eu or au", c.Intercom.Region))
	}
	return errors.Join(errs...)
}
