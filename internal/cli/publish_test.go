package cli

import (
	"context"
	"errors"
	"testing"

	"github.com/helpsite/helpsite/internal/purge"
)

// --purge-url takes an http(s) hook or a CloudFront distribution, and
// refuses anything else as a usage error.
func TestPurgeURL(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", t.TempDir()+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", t.TempDir()+"/none")
	ctx := context.Background()
	for _, c := range []struct {
		url          string
		distribution string
		over         int
	}{
		{"cloudfront://E2QWRUHAPOMQZL", "E2QWRUHAPOMQZL", 0},
		{"cloudfront://E2QWRUHAPOMQZL/?wildcard_over=1000", "E2QWRUHAPOMQZL", 1000},
	} {
		p, err := (&PublishFlags{PurgeURL: c.url}).purger(ctx)
		if err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		m, ok := p.(multiPurger)
		if !ok || len(m) != 1 {
			t.Fatalf("%s: purger %#v", c.url, p)
		}
		cf, ok := m[0].(*purge.CloudFront)
		if !ok || cf.Distribution != c.distribution || cf.WildcardOver != c.over {
			t.Errorf("%s: purger %#v, want CloudFront %s with wildcard_over %d", c.url, m[0], c.distribution, c.over)
		}
	}
	p, err := (&PublishFlags{PurgeURL: "https://hook.example.com/purge", CloudflareZone: "z", CloudflareToken: "t"}).purger(ctx)
	if m, ok := p.(multiPurger); err != nil || !ok || len(m) != 2 {
		t.Errorf("a hook and Cloudflare: %#v, %v", p, err)
	}
	if p, err := (&PublishFlags{}).purger(ctx); p != nil || err != nil {
		t.Errorf("no purge settings: %#v, %v", p, err)
	}
	for _, bad := range []string{"cloudfront://", "cloudfront://E1/x", "cloudfront://E1?wildcard_over=0", "cloudfront://E1?region=x", "ftp://hook.example.com/", "hook.example.com"} {
		_, err := (&PublishFlags{PurgeURL: bad}).purger(ctx)
		var u UsageError
		if !errors.As(err, &u) {
			t.Errorf("--purge-url %s: %v, want a usage error", bad, err)
		}
	}
}
