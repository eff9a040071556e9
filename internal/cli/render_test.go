package cli

import (
	"slices"
	"testing"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/config"
	"github.com/helpsite/helpsite/render"
)

func TestRenderOptionsImages(t *testing.T) {
	cfg := &config.Config{Images: config.Images{AllowHosts: []config.Host{"cdn.example.com", "img.example.com:8443"}, AllowPrivate: true, MaxBytes: 5 << 20}}
	s := ImageStore(cfg.Images, "/cache", "http://127.0.0.1:8080", nil)
	opts := RenderOptions(cfg, "https://help.example.com/", s, nil, nil)
	cfg.Site.FooterLinks = []config.Link{{Title: "Status", URL: "https://status.example.com/"}}
	if got := RenderOptions(cfg, "", nil, nil, nil).FooterLinks; !slices.Equal(got, []render.Link{{Title: "Status", URL: "https://status.example.com/"}}) {
		t.Errorf("footer links %+v", got)
	}
	if opts.Reread != nil || opts.Images != s {
		t.Errorf("without a client: Reread %v, Images %v", opts.Reread, opts.Images)
	}
	if opts := RenderOptions(cfg, "https://help.example.com/", nil, nil, nil); opts.Images != nil {
		t.Error("without an image store, Images is not nil")
	}
	if s.Dir != "/cache" || s.MaxBytes != 5<<20 || !s.Policy.AllowPrivate ||
		!slices.Equal(s.Policy.Hosts, []string{"cdn.example.com", "img.example.com:8443"}) ||
		!slices.Equal(s.Policy.Endpoints, []string{"127.0.0.1:8080"}) {
		t.Errorf("image store %+v", s)
	}
	if s := ImageStore(config.Images{}, "/cache", "https://api.eu.intercom.io", nil); !slices.Equal(s.Policy.Endpoints, []string{"api.eu.intercom.io:443"}) {
		t.Errorf("endpoints %v, want the API's host and port", s.Policy.Endpoints)
	}

	client, err := fetch.New(fetch.Config{BaseURL: "http://127.0.0.1:9/", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if opts := RenderOptions(cfg, "https://help.example.com/", s, client, nil); opts.Reread == nil {
		t.Error("with a client, Reread is nil")
	}
	var f APIFlags
	if got := f.APIBase(nil); got != fetch.Regions["us"] {
		t.Errorf("APIBase = %q, want the US region's", got)
	}
	if got := f.APIBase(client); got != "http://127.0.0.1:9" {
		t.Errorf("APIBase = %q, want the client's", got)
	}
}

// TestRenderOptionsExtras checks that the Messenger, feedback, head HTML
// and policy sections of the file reach the renderer.
func TestRenderOptionsExtras(t *testing.T) {
	cfg := &config.Config{
		Messenger: config.Messenger{AppID: "abc12def", Region: "eu"},
		Feedback:  config.Feedback{Endpoint: "https://help.example.com/api/feedback"},
		HeadHTML:  "/etc/helpsite/head.html",
		CSPExtra:  map[string][]string{"script-src": {"https://cdn.example.com"}},
	}
	opts := RenderOptions(cfg, "https://help.example.com/", nil, nil, nil)
	if opts.Messenger.AppID != "abc12def" || opts.Messenger.Region != "eu" || opts.FeedbackEndpoint != cfg.Feedback.Endpoint ||
		opts.HeadHTMLFile != cfg.HeadHTML || !slices.Equal(opts.CSPExtra["script-src"], cfg.CSPExtra["script-src"]) {
		t.Errorf("got %+v", opts)
	}
}
