package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/helpsite/helpsite/internal/fakeintercom"
)

// webhookCmd runs the command line with env and returns its exit code and
// output.
func webhookCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(context.Background(), args, &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

func TestHelp(t *testing.T) {
	for _, c := range []struct {
		args          []string
		want, notWant []string
	}{
		{[]string{"--help"}, []string{"serve", "healthcheck", "notify", "completion", "HELPSITE_ADMIN_TOKEN", "--listen", "(env HELPSITE_DATA)", "--client-secret", "(env INTERCOM_CLIENT_SECRET)"}, nil},
		{[]string{"serve", "--help"}, []string{"--listen", "--data", "--poll-interval", "(env HELPSITE_POLL_INTERVAL)", "--demo", "HELPSITE_ADMIN_TOKEN"}, []string{"--url", "--article"}},
		{[]string{"healthcheck", "--help"}, []string{"--url"}, []string{"--listen", "--token", "--data"}},
		{[]string{"notify", "--help"}, []string{"--url", "--client-secret", "--article", "--topic", "--title", "--demo", "article.deleted"}, []string{"--listen", "--data", "--token"}},
	} {
		code, stdout, stderr := webhookCmd(t, nil, c.args...)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "Usage:") {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%v does not show %s:\n%s", c.args, w, stdout)
			}
		}
		for _, w := range c.notWant {
			if strings.Contains(stdout, w) {
				t.Errorf("%v shows %s, which is not its own:\n%s", c.args, w, stdout)
			}
		}
	}
}

func TestTypos(t *testing.T) {
	for _, c := range []struct {
		args      []string
		err, hint string
	}{
		{[]string{"healtcheck"}, `webhook: unknown command "healtcheck"`, "Did you mean 'webhook healthcheck'?"},
		{[]string{"notfy", "--article", "1"}, `webhook: unknown command "notfy"`, "Did you mean 'webhook notify'?"},
		{[]string{"--lisen", ":8080"}, "webhook: unknown flag: --lisen", "Did you mean --listen?"},
		{[]string{"-data", "x"}, "webhook: unknown shorthand flag: 'd' in -data", "Did you mean --data?"},
		{[]string{"notify", "--secret", "x"}, "webhook notify: unknown flag: --secret", "Run 'webhook notify --help'"},
		{[]string{"notify", "--topic", "article.edited", "--article", "1"}, `webhook notify: --topic "article.edited": use one of article.created`, "Run 'webhook notify --help'"},
		{[]string{"notify", "--article", "1", "--title", "x"}, "webhook notify: --title needs --demo", "edit it there"},
		{[]string{"--poll-interval", "soon"}, `webhook: invalid argument "soon" for "--poll-interval" flag`, "Run 'webhook --help'"},
	} {
		code, _, stderr := webhookCmd(t, nil, c.args...)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if code != 2 || len(lines) != 2 || !strings.HasPrefix(lines[0], c.err) || !strings.Contains(lines[1], c.hint) {
			t.Errorf("%v: exit %d, stderr:\n%s\nwant exit 2, %q and a hint with %q", c.args, code, stderr, c.err, c.hint)
		}
	}
}

// A taken port that was asked for is an error naming the flag to change.
func TestListenAddressInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := map[string]string{"INTERCOM_CLIENT_SECRET": "s", "INTERCOM_ACCESS_TOKEN": "t"}
	code, _, stderr := webhookCmd(t, env, "--listen", ln.Addr().String(), "--data", t.TempDir())
	if code != 2 || !strings.Contains(stderr, "address already in use") || !strings.Contains(stderr, "--listen") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// notify signs a notification the running server accepts; the server
// reads the article from the API and the new title goes live.
func TestNotifyReachesTheServerAndGoesLive(t *testing.T) {
	h := start(t, 10, fakeintercom.Faults{}, t.TempDir())
	id := publishedArticle(h.api)
	retitle(h.api, t, id, "Retitled in Intercom")
	endpoint := h.url + "/webhooks/intercom"
	code, stdout, stderr := webhookCmd(t, map[string]string{"INTERCOM_CLIENT_SECRET": secret}, "notify", "--url", endpoint, "--article", id)
	if code != 0 || !strings.Contains(stdout, "sent article.updated") || !strings.Contains(stdout, "200 OK") {
		t.Fatalf("notify: exit %d\n%s%s", code, stdout, stderr)
	}
	h.waitFor(t, "the new title", func() bool { return h.title(t, id) == "Retitled in Intercom" })

	code, _, stderr = webhookCmd(t, nil, "notify", "--url", endpoint, "--article", id, "--client-secret", "wrong")
	if code != 2 || !strings.Contains(stderr, "refused the signature") || !strings.Contains(stderr, "INTERCOM_CLIENT_SECRET") {
		t.Errorf("wrong secret: exit %d, %s", code, stderr)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String() + "/webhooks/intercom"
	ln.Close()
	code, _, stderr = webhookCmd(t, nil, "notify", "--url", closed, "--article", id, "--client-secret", secret)
	if code != 1 || !strings.Contains(stderr, "Is the server running") {
		t.Errorf("no server: exit %d, %s", code, stderr)
	}

	// The metrics of that publish, parsed as Prometheus parses them. The
	// latency is observed just after the page goes live.
	var families map[string]*dto.MetricFamily
	h.waitFor(t, "the notification's latency", func() bool {
		families = scrape(t, h.url+"/metrics")
		f := families["helpsite_notification_to_live_seconds"]
		return f != nil && f.GetMetric()[0].GetHistogram().GetSampleCount() >= 1
	})
	for name, kind := range map[string]dto.MetricType{
		"go_goroutines":                         dto.MetricType_GAUGE,
		"process_resident_memory_bytes":         dto.MetricType_GAUGE,
		"helpsite_webhooks_received_total":      dto.MetricType_COUNTER,
		"helpsite_builds_total":                 dto.MetricType_COUNTER,
		"helpsite_queue_depth":                  dto.MetricType_GAUGE,
		"helpsite_build_duration_seconds":       dto.MetricType_HISTOGRAM,
		"helpsite_publish_size_bytes":           dto.MetricType_HISTOGRAM,
		"helpsite_notification_to_live_seconds": dto.MetricType_HISTOGRAM,
		"helpsite_degraded_items":               dto.MetricType_GAUGE,
	} {
		f := families[name]
		if f == nil || f.GetType() != kind {
			t.Errorf("%s: %v, want a %s", name, f, kind)
		}
	}
	if n := families["helpsite_publish_size_bytes"].GetMetric()[0].GetHistogram().GetSampleCount(); n < 2 {
		t.Errorf("publish size has %d samples, want the first build's and the update's", n)
	}
	kinds := map[string]bool{}
	for _, m := range families["helpsite_degraded_items"].GetMetric() {
		kinds[m.GetLabel()[0].GetValue()] = true
	}
	if !kinds["skipped"] || !kinds["image-lost"] {
		t.Errorf("degraded items by kind: %v", kinds)
	}
}

// scrape parses the metrics at url as Prometheus does.
func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s does not parse: %v", url, err)
	}
	return families
}

// The README's demo: the server, started with --demo while the default
// port is taken, listens on a free one and prints the notify command to
// try; that command changes the article's title on the served site.
func TestDemoPrintsANotifyCommandThatWorks(t *testing.T) {
	if hold, err := net.Listen("tcp", defaultListen); err == nil {
		defer hold.Close() // taken by us; otherwise by someone else
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- run(ctx, []string{"--demo", "--data", filepath.Join(t.TempDir(), "demo-data")}, pw, &stderr, func(string) string { return "" })
		pw.Close()
	}()
	defer func() {
		cancel()
		<-done
	}()
	out := bufio.NewReader(pr)
	var printed strings.Builder
	var command []string
	for command == nil {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("the demo stopped (%v) after printing:\n%s\nstderr:\n%s", err, printed.String(), stderr.String())
		}
		printed.WriteString(line)
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "go run ./cmd/webhook "); ok {
			command = splitShell(rest)
		}
	}
	go io.Copy(io.Discard, out)
	if strings.Contains(printed.String(), defaultListen) {
		t.Fatalf("the demo printed the taken address:\n%s", printed.String())
	}
	base := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(printed.String(), "\n", 2)[0], "listening on "), "/")
	h := &harness{url: base}
	article, title := flagValue(command, "--article"), flagValue(command, "--title")
	waitUntil(t, "the demo's first publish", func() bool { return h.status(t, "/readyz") == http.StatusOK }, 5*time.Minute)
	if got := h.title(t, article); got == "" || got == title {
		t.Fatalf("before notify, article %s is titled %q", article, got)
	}
	code, stdout, errOut := webhookCmd(t, nil, command...)
	if code != 0 {
		t.Fatalf("the printed command %q: exit %d\n%s%s", command, code, stdout, errOut)
	}
	h.waitFor(t, "the demo's new title", func() bool { return h.title(t, article) == title })
}

// splitShell splits a command line printed for a shell: words, and
// double-quoted strings.
func splitShell(s string) []string {
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := strings.IndexByte(s[1:], '"') + 1
			words = append(words, s[1:end])
			s = s[end+1:]
			continue
		}
		word, rest, _ := strings.Cut(s, " ")
		words = append(words, word)
		s = rest
	}
	return words
}

func flagValue(args []string, name string) string {
	for i, a := range args {
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}
