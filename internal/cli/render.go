package cli

import (
	"log/slog"

	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/render"
)

// RenderOptions maps the configuration file to render options, the one
// place that does, for every command that renders: baseURL is the
// resolved --base-url. Options not from the file (images, search API,
// progress) are the caller's to add.
func RenderOptions(cfg *config.Config, baseURL string, log *slog.Logger) render.Options {
	s := cfg.Site
	return render.Options{
		BaseURL:       baseURL,
		Title:         s.Title,
		LogoFile:      s.Logo,
		Colors:        render.Colors{Primary: s.Colors.Primary, Accent: s.Colors.Accent},
		DefaultLocale: s.DefaultLocale,
		Locales:       s.Locales,
		LayoutsDir:    s.Layouts,
		IntercomHosts: s.IntercomHosts,
		Logger:        log,
	}
}
