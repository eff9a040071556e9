package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// hugoEnviron is the whole environment Hugo sees: nothing of the
// process's, so that no HUGO_ variable changes a build.
var hugoEnviron = []string{"HUGO_ENVIRONMENT=production"}

// liveHugo is the Hugo of a Live Renderer, kept between builds so that an
// Update re-renders only what its changes touch.
type liveHugo struct {
	sites  *hugolib.HugoSites
	out    *outputFs
	config []byte // the configuration it was made with, as JSON
}

func (h *liveHugo) close() {
	if h != nil {
		h.sites.Close()
	}
}

// hugoStage is the progress stage of Hugo writing the pages.
const hugoStage = "rendering pages"

// runHugo builds the project in the working directory into the output
// directory: with the Renderer's live Hugo, through a partial rebuild of the
// project's changes, when b is an update and the configuration is the same;
// else with a new Hugo, which a Live Renderer keeps.
func (b *build) runHugo(ctx context.Context, r *Renderer) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	total := max(b.res.TotalPages(), 1)
	b.opts.progress(hugoStage, 0, total)
	cfg := b.hugoConfig()
	key, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("render: hugo configuration: %w", err)
	}
	if h := r.hugo; h != nil && b.live != "" && bytes.Equal(key, h.config) && !b.tree.layoutAddedOrRemoved() {
		h.out.reset(b.outDir, nil)
		// Without events Build would process the project anew, but
		// without resetting what a rebuild resets.
		if len(b.tree.changes) > 0 {
			if err := h.sites.Build(hugolib.BuildCfg{}, b.tree.changes...); err != nil {
				return fmt.Errorf("render: hugo: %w", err)
			}
		}
		b.res.Written = h.out.writes()
		b.opts.progress(hugoStage, total, total)
		return nil
	}
	r.hugo.close()
	r.hugo = nil
	b.live, b.res.Full = "", true
	h, err := b.newHugo(cfg)
	if err != nil {
		return err
	}
	h.config = key
	if err := h.sites.Build(hugolib.BuildCfg{}); err != nil {
		h.close()
		return fmt.Errorf("render: hugo: %w", err)
	}
	b.res.Written = h.out.writes()
	h.out.reset(b.outDir, nil)
	if b.opts.Live {
		r.hugo = h
	} else {
		h.close()
	}
	b.opts.progress(hugoStage, total, total)
	return nil
}

// pageProgress reports the pages a full build has Hugo write as they are
// written, out of the pages the site has: nil without Options.Progress.
// Redirect pages are HTML too, so the count stops one short of the total
// until Hugo is done.
func (b *build) pageProgress() func(int) {
	if b.opts.Progress == nil {
		return nil
	}
	total := max(b.res.TotalPages(), 1)
	return func(pages int) { b.opts.progress(hugoStage, min(pages, total-1), total) }
}

// newHugo starts Hugo on the project with the configuration cfg.
func (b *build) newHugo(cfg map[string]any) (*liveHugo, error) {
	flags := config.New()
	for k, v := range cfg {
		flags.Set(k, v)
	}
	// Watching keeps the dependency graph that partial rebuilds need.
	flags.Set("internal", map[string]any{"watch": b.opts.Live})
	logger := loggers.New(loggers.Options{
		Level:         logg.LevelWarn,
		StdOut:        io.Discard,
		StdErr:        io.Discard,
		DistinctLevel: logg.LevelWarn,
		HandlerPost:   hugoLogHook(b.opts.logger()),
	})
	conf, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:       flags,
		Fs:          b.work,
		Logger:      logger,
		Environment: "production",
		Environ:     hugoEnviron,
	})
	if err != nil {
		return nil, fmt.Errorf("render: configuring hugo: %w", err)
	}
	out := &outputFs{folders: localeFolders(b.plan.locales)}
	out.reset(b.outDir, b.pageProgress())
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs: conf,
		Fs:      hugofs.NewFromSourceAndDestination(b.work, out, flags),
		// Despite its name, the logger every site uses: ours sends warnings
		// to slog and prints nothing.
		TestLogger: logger,
	})
	if err != nil {
		return nil, fmt.Errorf("render: starting hugo: %w", err)
	}
	return &liveHugo{sites: sites, out: out}, nil
}

// hugoLogHook passes Hugo's warnings and errors on to logger.
func hugoLogHook(logger *slog.Logger) func(*logg.Entry) error {
	return func(e *logg.Entry) error {
		level := slog.LevelWarn
		if e.Level >= logg.LevelError {
			level = slog.LevelError
		}
		logger.Log(context.Background(), level, "hugo: "+e.Message)
		return nil
	}
}

// hugoConfig is the site's whole Hugo configuration; Hugo reads no
// configuration file.
func (b *build) hugoConfig() map[string]any {
	languages := map[string]any{}
	for i, l := range b.plan.locales {
		languages[l] = map[string]any{
			"weight":     i + 1,
			"contentDir": path.Join(contentDir, l),
			"direction":  direction(l),
			"label":      languageName(l),
			"locale":     l,
			// Templates link to a locale's home with site.Params.home, not
			// relLangURL, which lowercases the locale.
			"params": map[string]any{"home": b.plan.HomeURL(l)},
		}
	}
	params := map[string]any{
		"colors": map[string]any{"primary": b.opts.Colors.Primary, "accent": b.opts.Colors.Accent},
		"csp":    b.metaPolicy(),
	}
	b.thirdPartyParams(params)
	if b.logo != "" {
		params["logo"] = b.logo
	}
	if len(b.opts.FooterLinks) > 0 {
		links := make([]map[string]any, len(b.opts.FooterLinks))
		for i, l := range b.opts.FooterLinks {
			links[i] = map[string]any{"title": l.Title, "url": l.URL}
		}
		params["footerLinks"] = links
	}
	if b.opts.SearchAPI != "" && !b.opts.Relative {
		params["searchAPI"] = b.opts.SearchAPI
	}
	// render writes the sitemaps (sitemap.go).
	disabled := []string{"taxonomy", "term", "rss", "sitemap"}
	if b.opts.Relative {
		params["relative"] = true
		if v := b.version(); v != "" {
			params["version"] = v
		}
		// Nothing to crawl or redirect from file://.
		disabled = append(disabled, "404")
	}
	return map[string]any{
		"workingDir":                     workDir,
		"publishDir":                     publishRoot,
		"cacheDir":                       path.Join(workDir, "cache"),
		"resourceDir":                    path.Join(workDir, "resources"),
		"themesDir":                      path.Join(workDir, "themes"),
		"theme":                          themeName,
		"baseURL":                        b.opts.BaseURL,
		"title":                          b.siteTitle(),
		"defaultContentLanguage":         b.plan.defaultLocale,
		"defaultContentLanguageInSubdir": true,
		"languages":                      languages,
		"uglyURLs":                       false,
		"disableKinds":                   disabled,
		"enableRobotsTXT":                !b.opts.Relative,
		"buildFuture":                    true,
		"buildExpired":                   true,
		"timeZone":                       "UTC",
		"noBuildLock":                    true,
		"disableHugoGeneratorInject":     true,
		"enableGitInfo":                  false,
		"params":                         params,
		"security": map[string]any{
			"allowContent": []string{"^text/html$"},
			"exec":         map[string]any{"allow": []string{"^$"}},
			"funcs":        map[string]any{"getenv": []string{"^$"}},
			"http":         map[string]any{"urls": []string{"^$"}},
		},
	}
}

// direction is the writing direction of locale.
func direction(locale string) string {
	base, _ := language.Make(locale).Base()
	switch base.String() {
	case "ar", "he", "fa", "ur":
		return "rtl"
	}
	return "ltr"
}

// languageName is locale's name in itself, for the language switcher.
func languageName(locale string) string {
	tag := language.Make(locale)
	if name := display.Self.Name(tag); name != "" {
		return name
	}
	return locale
}
