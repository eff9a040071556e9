package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/spf13/pflag"

	"github.com/helpsite/helpsite/internal/deploy"
	"github.com/helpsite/helpsite/internal/purge"
)

// PublishFlags say where each published site is pushed (object storage
// behind a CDN) and how the CDN is told what changed.
type PublishFlags struct {
	To       string
	PurgeURL string
	// The Cloudflare zone and API token (Cache Purge permission), from
	// CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN.
	CloudflareZone, CloudflareToken string
}

// Register adds the publish flags to fs; Resolve applies their
// environment variables and configuration keys.
func (f *PublishFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.To, "publish-to", "", "also push each published site to the bucket `URL` (s3://bucket?region=…, gs://…, azblob://…, file:///dir; ?prefix=path/ to share a bucket)")
	fs.StringVar(&f.PurgeURL, "purge-url", "", "after each push, POST the changed URLs as a JSON list to `URL`")
	fs.StringVar(&f.CloudflareZone, "cloudflare-zone", "", "after each push, purge the changed URLs from the Cloudflare zone `ID` (with --cloudflare-token)")
	fs.StringVar(&f.CloudflareToken, "cloudflare-token", "", "Cloudflare API `TOKEN` with the Cache Purge permission")
}

// Syncer opens the publish target and returns a Syncer to it for the site
// served at baseURL, and a function that closes the target; nil and a
// no-op without --publish-to.
func (f *PublishFlags) Syncer(ctx context.Context, baseURL string, log *slog.Logger) (*deploy.Syncer, func(), error) {
	if f.To == "" {
		return nil, func() {}, nil
	}
	if (f.CloudflareZone == "") != (f.CloudflareToken == "") {
		return nil, nil, Usagef("--cloudflare-zone and --cloudflare-token go together")
	}
	if f.PurgeURL != "" {
		if u, err := url.Parse(f.PurgeURL); err != nil || u.Scheme != "http" && u.Scheme != "https" {
			return nil, nil, Usagef("--purge-url %q is not an http(s) URL", deploy.Redact(f.PurgeURL))
		}
	}
	t, err := deploy.Open(ctx, f.To, deploy.Options{Logger: log})
	if err != nil {
		return nil, nil, UsageError{Err: err, Hint: "See the README's \"Publish to object storage\" for the URL forms."}
	}
	var purgers multiPurger
	if f.PurgeURL != "" {
		purgers = append(purgers, &purge.Webhook{URL: f.PurgeURL})
	}
	if f.CloudflareZone != "" {
		purgers = append(purgers, &purge.Cloudflare{Zone: f.CloudflareZone, Token: f.CloudflareToken})
	}
	var p deploy.Purger
	if len(purgers) > 0 {
		p = purgers
	}
	return deploy.NewSyncer(t, baseURL, p, log), func() { t.Close() }, nil
}

// multiPurger purges through each of its purgers.
type multiPurger []deploy.Purger

func (m multiPurger) Purge(ctx context.Context, urls []string) error {
	for _, p := range m {
		if err := p.Purge(ctx, urls); err != nil {
			return fmt.Errorf("purging %d URLs: %w", len(urls), err)
		}
	}
	return nil
}
