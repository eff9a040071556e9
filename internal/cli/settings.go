package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/helpsite/helpsite/internal/config"
)

// A Setting is one value every command that has it takes the same way:
// from its flag, else its environment variable, else the configuration
// file, else the flag's default.
type Setting struct {
	Flag string
	// Env is the environment variable, "" for none.
	Env string
	// Key is where the configuration file sets it, "" for nowhere (secrets
	// never go in the file); file reads it from a loaded file.
	Key  string
	file func(*config.Config) string
}

// Settings is the one table of helpsite's settings, the README's too.
var Settings = []Setting{
	{Flag: "config", Env: "HELPSITE_CONFIG"},
	{Flag: "api-base", Env: "INTERCOM_API_BASE", Key: "intercom.api_base", file: func(c *config.Config) string { return c.Intercom.APIBase }},
	{Flag: "region", Env: "INTERCOM_REGION", Key: "intercom.region", file: func(c *config.Config) string { return c.Intercom.Region }},
	{Flag: "api-version", Env: "INTERCOM_API_VERSION", Key: "intercom.api_version", file: func(c *config.Config) string { return c.Intercom.APIVersion }},
	{Flag: "help-center", Env: "INTERCOM_HELP_CENTER", Key: "intercom.help_center", file: func(c *config.Config) string { return c.Intercom.HelpCenter }},
	{Flag: "token", Env: "INTERCOM_ACCESS_TOKEN"},
	{Flag: "base-url", Env: "HELPSITE_BASE_URL", Key: "site.base_url", file: func(c *config.Config) string { return c.Site.BaseURL }},
	{Flag: "listen", Env: "HELPSITE_LISTEN", Key: "server.listen", file: func(c *config.Config) string { return c.Server.Listen }},
	{Flag: "data", Env: "HELPSITE_DATA", Key: "server.data", file: func(c *config.Config) string { return c.Server.Data }},
	{Flag: "poll-interval", Env: "HELPSITE_POLL_INTERVAL", Key: "server.poll_interval", file: func(c *config.Config) string { return duration(c.Server.PollInterval) }},
	{Flag: "reconcile-interval", Env: "HELPSITE_RECONCILE_INTERVAL", Key: "server.reconcile_interval", file: func(c *config.Config) string { return duration(c.Server.ReconcileInterval) }},
	{Flag: "client-secret", Env: "INTERCOM_CLIENT_SECRET"},
	{Flag: "memory-limit", Env: "HELPSITE_MEMORY_LIMIT"},
	{Flag: "log-format", Env: "HELPSITE_LOG_FORMAT"},
	{Flag: "publish-to", Env: "HELPSITE_PUBLISH_TO", Key: "publish_to", file: func(c *config.Config) string { return c.PublishTo }},
	{Flag: "purge-url", Env: "HELPSITE_PURGE_URL", Key: "purge_url", file: func(c *config.Config) string { return c.PurgeURL }},
	{Flag: "publish-gzip", Env: "HELPSITE_PUBLISH_GZIP", Key: "publish.gzip", file: func(c *config.Config) string { return c.Publish.Gzip }},
	{Flag: "cloudflare-zone", Env: "CLOUDFLARE_ZONE_ID"},
	{Flag: "cloudflare-token", Env: "CLOUDFLARE_API_TOKEN"},
	{Flag: "serve-site", Env: "HELPSITE_SERVE_SITE"},
}

func duration(d config.Duration) string {
	if d == 0 {
		return ""
	}
	return time.Duration(d).String()
}

// DocumentEnv adds "(env NAME)" to the help of each flag of fs that has an
// environment variable, so that help shows the whole table.
func DocumentEnv(fs *pflag.FlagSet) {
	for _, s := range Settings {
		if f := fs.Lookup(s.Flag); f != nil && s.Env != "" {
			f.Usage += " (env " + s.Env + ")"
		}
	}
}

// LoadConfig reads the configuration file named by --config or
// HELPSITE_CONFIG, if fs has that flag and either is set; it returns an
// empty configuration otherwise. Its errors are usage errors.
func LoadConfig(fs *pflag.FlagSet, getenv func(string) string) (*config.Config, error) {
	f := fs.Lookup("config")
	if f == nil {
		return &config.Config{}, nil
	}
	file := f.Value.String()
	if !f.Changed {
		file = getenv("HELPSITE_CONFIG")
	}
	if file == "" {
		return &config.Config{}, nil
	}
	cfg, err := config.Load(file)
	if err != nil {
		return nil, UsageError{Err: err, Hint: "Fix the file, or leave out --config and HELPSITE_CONFIG to use none."}
	}
	return cfg, nil
}

// Resolve sets each flag of fs the command line left unset from its
// environment variable, else from cfg (nil for no file): flags beat the
// environment, which beats the file, which beats the defaults, in every
// command. Afterwards a flag is Changed when any of them set it. A
// malformed value is a usage error naming where it came from.
func Resolve(fs *pflag.FlagSet, getenv func(string) string, cfg *config.Config) error {
	for _, s := range Settings {
		f := fs.Lookup(s.Flag)
		if f == nil || f.Changed {
			continue
		}
		value, from := "", ""
		if s.Env != "" {
			value, from = getenv(s.Env), s.Env
		}
		if value == "" && cfg != nil && s.file != nil {
			value, from = s.file(cfg), s.Key+" in the configuration file"
		}
		if value == "" {
			continue
		}
		if err := fs.Set(s.Flag, value); err != nil {
			return Usagef("%s: %q for --%s: %v", from, value, s.Flag, err)
		}
	}
	return nil
}

// Prepare loads the configuration file and resolves every flag of fs, for
// a command's PreRunE; it returns the file's configuration (empty without
// one).
func Prepare(fs *pflag.FlagSet, getenv func(string) string) (*config.Config, error) {
	cfg, err := LoadConfig(fs, getenv)
	if err != nil {
		return nil, err
	}
	if err := Resolve(fs, getenv, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// ConfigFlag adds --config to fs, for LoadConfig.
func ConfigFlag(fs *pflag.FlagSet) {
	fs.String("config", "", "read the configuration `FILE` (helpsite.yaml)")
}
