package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/internal/deploy"
	"github.com/helpsite/helpsite/internal/purge"
)

// PublishFlags say where each published site is pushed (object storage
// behind a CDN) and how the CDN is told what changed.
type PublishFlags struct {
	To       string
	PurgeURL string
	// Gzip says whether compressible objects are stored gzipped.
	Gzip deploy.Gzip
	// The Cloudflare zone and API token (Cache Purge permission), from
	// CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN.
	CloudflareZone, CloudflareToken string
}

// Register adds the publish flags to fs; Resolve applies their
// environment variables and configuration keys.
func (f *PublishFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.To, "publish-to", "", "also push each published site to the bucket `URL` (s3://bucket?region=…, gs://…, azblob://…, file:///dir; ?prefix=path/ to share a bucket)")
	fs.StringVar(&f.PurgeURL, "purge-url", "", "after each push, POST the changed URLs as a JSON list to `URL`, or invalidate them in CloudFront with cloudfront://DISTRIBUTION_ID")
	fs.Var(&f.Gzip, "publish-gzip", "store compressible objects gzipped with Content-Encoding: gzip: auto (on Google Cloud Storage only), on or off")
	fs.StringVar(&f.CloudflareZone, "cloudflare-zone", "", "after each push, purge the changed URLs from the Cloudflare zone `ID` (with --cloudflare-token)")
	fs.StringVar(&f.CloudflareToken, "cloudflare-token", "", "Cloudflare API `TOKEN` with the Cache Purge permission")
}

// Syncer opens the publish target and returns a Syncer to it for the site
// served at baseURL, with the configuration file's Cache-Control headers,
// and a function that closes the target; nil and a no-op without
// --publish-to.
func (f *PublishFlags) Syncer(ctx context.Context, cache config.CacheControl, baseURL string, log *slog.Logger) (*deploy.Syncer, func(), error) {
	if f.To == "" {
		return nil, func() {}, nil
	}
	p, err := f.purger(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := deploy.Open(ctx, f.To, f.deployOptions(cache, log))
	if err != nil {
		return nil, nil, UsageError{Err: err, Hint: "See the README's \"Publish to object storage\" for the URL forms."}
	}
	return deploy.NewSyncer(t, baseURL, p, log), func() { t.Close() }, nil
}

// deployOptions maps the publish settings, the flags' and the
// configuration file's, to the target's options.
func (f *PublishFlags) deployOptions(cache config.CacheControl, log *slog.Logger) deploy.Options {
	return deploy.Options{
		Logger: log,
		Gzip:   f.Gzip,
		Cache:  deploy.CachePolicy{Revalidate: cache.Pages, Immutable: cache.Fingerprinted, Other: cache.Other},
	}
}

// purger returns what purges the CDN after a push: the --purge-url hook
// (an http(s) URL, or cloudfront://DISTRIBUTION_ID for CloudFront
// invalidations) and the Cloudflare zone; nil for none.
func (f *PublishFlags) purger(ctx context.Context) (deploy.Purger, error) {
	if (f.CloudflareZone == "") != (f.CloudflareToken == "") {
		return nil, Usagef("--cloudflare-zone and --cloudflare-token go together")
	}
	var purgers multiPurger
	if f.PurgeURL != "" {
		u, err := url.Parse(f.PurgeURL)
		switch {
		case err == nil && (u.Scheme == "http" || u.Scheme == "https"):
			purgers = append(purgers, &purge.Webhook{URL: f.PurgeURL})
		case err == nil && u.Scheme == "cloudfront":
			cf, err := cloudFront(ctx, u)
			if err != nil {
				return nil, err
			}
			purgers = append(purgers, cf)
		default:
			return nil, Usagef("--purge-url %q is not an http(s) URL or cloudfront://DISTRIBUTION_ID", deploy.Redact(f.PurgeURL))
		}
	}
	if f.CloudflareZone != "" {
		purgers = append(purgers, &purge.Cloudflare{Zone: f.CloudflareZone, Token: f.CloudflareToken})
	}
	if len(purgers) == 0 {
		return nil, nil
	}
	return purgers, nil
}

// cloudFront returns the CloudFront purger of a URL
// cloudfront://DISTRIBUTION_ID[?wildcard_over=N].
func cloudFront(ctx context.Context, u *url.URL) (*purge.CloudFront, error) {
	over := 0
	for k, v := range u.Query() {
		n, err := strconv.Atoi(v[0])
		if k != "wildcard_over" || err != nil || n <= 0 {
			return nil, Usagef("--purge-url %s: only wildcard_over=N (a positive number of URLs) goes after the distribution id", u.Redacted())
		}
		over = n
	}
	if u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return nil, Usagef("--purge-url %s: want cloudfront://DISTRIBUTION_ID", u.Redacted())
	}
	cf, err := purge.NewCloudFront(ctx, u.Host, "")
	if err != nil {
		return nil, err
	}
	cf.WildcardOver = over
	return cf, nil
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
