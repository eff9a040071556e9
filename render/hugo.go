package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"path"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
	"golang.org/x/sync/errgroup"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// hugoEnviron is the whole environment Hugo sees: nothing of the
// process's, so that no HUGO_ variable changes a build.
var hugoEnviron = []string{"HUGO_ENVIRONMENT=production"}

// hugoStage is the progress stage of Hugo writing the pages.
const hugoStage = "rendering pages"

// A shard is a part of the site that one Hugo renders: a Hugo project of
// its own with the theme, the layouts and some of the content files, of
// which only the pages of those files are kept. Pages carry what they show
// as front matter and never read one another (see pageLink), so a page
// renders the same in any shard. Full builds render the site shard by
// shard, so that memory holds one shard's pages at a time; an Update
// renders the content files it changed as a shard, so that its cost
// follows the size of the change, and no Hugo is kept between builds.
type shard struct {
	// files are the content files to render, slash paths below workDir.
	files []string
	// root says the shard also writes the files of no page: assets,
	// robots.txt, 404 pages, static files.
	root bool
}

// maxShardPages bounds the pages of a shard of a full build, and
// concurrentShards the shards rendered at once: Hugo leaves a CPU idle
// while it reads a project, which a second shard fills.
const (
	maxShardPages    = 2500
	concurrentShards = 2
)

// runHugo renders the project in the working directory into the output
// directory: in an Update with the configuration of the last build and
// only content changed, the pages whose content files changed; else the
// whole site, shard by shard.
func (b *build) runHugo(ctx context.Context, r *Renderer) error {
	key, err := json.Marshal(b.hugoConfig())
	if err != nil {
		return fmt.Errorf("render: hugo configuration: %w", err)
	}
	var shards []shard
	if files, ok := b.tree.changedContent(); ok && b.live != "" && bytes.Equal(key, r.hugoConfig) {
		if len(files) > 0 {
			shards = []shard{{files: b.withSectionFiles(files)}}
		}
	} else {
		b.live, b.res.Full = "", true
		shards = b.fullShards()
	}
	total := max(b.res.TotalPages(), 1)
	b.opts.progress(hugoStage, 0, total)
	var pageOutputs map[string]bool // of every page, for the root shard
	if len(shards) > 0 && shards[0].root {
		pageOutputs = b.pageOutputs()
	}
	onPage := b.pageProgress()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrentShards)
	for _, s := range shards {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return fmt.Errorf("render: %w", err)
			}
			return b.renderShard(s, pageOutputs, onPage)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	r.hugoConfig = key
	b.opts.progress(hugoStage, total, total)
	return nil
}

// fullShards divides the content files of pages into shards: a locale's
// pages in shards of at most maxShardPages, each with the locale's section
// files. A Relative site's printable pages read the articles of their
// locale, so its locales are not divided.
func (b *build) fullShards() []shard {
	pages := map[string][]string{} // by locale
	for _, f := range b.tree.files(contentDir) {
		if !isSectionFile(f) {
			pages[contentLocale(f)] = append(pages[contentLocale(f)], f)
		}
	}
	size := maxShardPages
	if b.opts.Relative {
		size = math.MaxInt
	}
	var shards []shard
	for _, l := range slices.Sorted(maps.Keys(pages)) {
		for chunk := range slices.Chunk(pages[l], size) {
			shards = append(shards, shard{files: b.withSectionFiles(chunk)})
		}
	}
	if len(shards) == 0 {
		shards = []shard{{}}
	}
	shards[0].root = true
	return shards
}

// contentLocale is the locale of the content file f.
func contentLocale(f string) string {
	locale, _, _ := strings.Cut(strings.TrimPrefix(f, contentDir+"/"), "/")
	return locale
}

// contentFile is the content file of the page of locale whose bundle is
// source ("articles/123", see articlePage.source), which contentPage reads
// back.
func contentFile(locale, source string) string {
	return contentDir + "/" + locale + "/" + source + "/" + pageFile
}

// contentPage returns the locale, section and id of the content file of a
// page, content/{locale}/{section}/{id}/index.html (contentFile).
func contentPage(f string) (locale, section, id string, ok bool) {
	rest, inContent := strings.CutPrefix(f, contentDir+"/")
	rest, isPage := strings.CutSuffix(rest, "/"+pageFile)
	parts := strings.Split(rest, "/")
	if !inContent || !isPage || len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// sectionFile is the list file of a section of locale: one Hugo needs to
// find the section, which renders nothing.
func sectionFile(locale, section string) string {
	return contentDir + "/" + locale + "/" + section + "/_index.html"
}

// isSectionFile reports whether the content file f is a section's.
func isSectionFile(f string) bool {
	return slices.ContainsFunc(pageSections, func(s string) bool { return f == sectionFile(contentLocale(f), s) })
}

// withSectionFiles adds to files the section files of their locales, for
// Hugo to find the sections that hold them rather than make its own.
func (b *build) withSectionFiles(files []string) []string {
	out := slices.Clone(files)
	added := map[string]bool{}
	for _, f := range files {
		added[f] = true
	}
	for _, f := range files {
		for _, s := range pageSections {
			if sf := sectionFile(contentLocale(f), s); !added[sf] && b.tree.wrote(sf) {
				added[sf] = true
				out = append(out, sf)
			}
		}
	}
	return out
}

// pageOutput is the output file, a slash path, of the page at url.
func pageOutput(url string) string { return strings.TrimPrefix(url, "/") + "index.html" }

// pageOutputs are the output files of every page of the site.
func (b *build) pageOutputs() map[string]bool {
	b.outputsMu.Lock()
	defer b.outputsMu.Unlock()
	outputs := make(map[string]bool, len(b.out.urls))
	for _, url := range b.out.urls {
		outputs[pageOutput(url)] = true
	}
	return outputs
}

// renderShard runs a new Hugo on the shard's part of the project, keeping
// the pages of its files and, for the root shard, the files of no page
// (those not in pageOutputs).
func (b *build) renderShard(s shard, pageOutputs map[string]bool, onPage func()) error {
	project := afero.NewMemMapFs()
	for _, dir := range supportDirs {
		if dir == logoDir && !s.root {
			continue
		}
		for _, f := range b.tree.files(dir) {
			if err := copyWorkFile(b.tree.fs, project, f); err != nil {
				return err
			}
		}
	}
	own := map[string]bool{}
	for _, f := range s.files {
		if err := copyWorkFile(b.tree.fs, project, f); err != nil {
			return err
		}
		b.outputsMu.Lock()
		url, ok := b.out.urls[f]
		b.outputsMu.Unlock()
		if ok {
			own[pageOutput(url)] = true
		}
	}
	keep := func(rel string) bool {
		return own[rel] || s.root && !pageOutputs[rel]
	}
	out := newOutputFs(b.outDir, localeFolders(b.plan.locales), keep, s.root, onPage)
	// A configuration of its own: Hugo changes the maps it is given.
	h, err := b.newHugo(b.hugoConfig(), project, out)
	if err != nil {
		return err
	}
	defer h.Close()
	if err := h.Build(hugolib.BuildCfg{}); err != nil {
		return fmt.Errorf("render: hugo: %w", err)
	}
	b.outputsMu.Lock()
	b.res.Written += out.writes()
	b.outputsMu.Unlock()
	return nil
}

// copyWorkFile copies the slash path name below workDir from one file
// system to another.
func copyWorkFile(from, to afero.Fs, name string) error {
	file := path.Join(workDir, name)
	data, err := afero.ReadFile(from, file)
	if err == nil {
		err = afero.WriteFile(to, file, data, 0o644)
	}
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// pageProgress reports the pages Hugo writes as they are written, out of
// the pages the site has: nil without Options.Progress. Redirect pages
// are HTML too, so the count stops one short of the total until Hugo is
// done.
func (b *build) pageProgress() func() {
	if b.opts.Progress == nil {
		return nil
	}
	total := max(b.res.TotalPages(), 1)
	var written atomic.Int64
	return func() { b.opts.progress(hugoStage, min(int(written.Add(1)), total-1), total) }
}

// newHugo starts Hugo on the project with the configuration cfg, to
// publish into out.
func (b *build) newHugo(cfg map[string]any, project afero.Fs, out afero.Fs) (*hugolib.HugoSites, error) {
	flags := config.New()
	for k, v := range cfg {
		flags.Set(k, v)
	}
	logger := loggers.New(loggers.Options{
		Level:         logg.LevelWarn,
		StdOut:        io.Discard,
		StdErr:        io.Discard,
		DistinctLevel: logg.LevelWarn,
		HandlerPost:   hugoLogHook(b.opts.logger()),
	})
	conf, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:       flags,
		Fs:          project,
		Logger:      logger,
		Environment: "production",
		Environ:     hugoEnviron,
	})
	if err != nil {
		return nil, fmt.Errorf("render: configuring hugo: %w", err)
	}
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs: conf,
		Fs:      hugofs.NewFromSourceAndDestination(project, out, flags),
		// Despite its name, the logger every site uses: ours sends warnings
		// to slog and prints nothing.
		TestLogger: logger,
	})
	if err != nil {
		return nil, fmt.Errorf("render: starting hugo: %w", err)
	}
	return sites, nil
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
	} else if b.opts.StaticSearch {
		params["preloadSearch"] = true
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
