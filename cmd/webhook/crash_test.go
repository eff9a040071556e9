package main

import (
	"bufio"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/helpsite/helpsite/internal/fakeintercom"
	"github.com/helpsite/helpsite/internal/journal"
)

// TestKilledMidBuildLosesNothing kills the server process with SIGKILL
// while it applies a batch of notifications and checks that, once
// restarted on the same data, it publishes every change.
func TestKilledMidBuildLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	bin := filepath.Join(t.TempDir(), "webhook")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := fakeintercom.Generate(fakeintercom.GenerateOptions{Articles: 300, Locales: []string{"en", "fr"}, HelpCenters: 1, Seed: 9})
	api := fakeintercom.New(site, fakeintercom.Options{})
	apiSrv := httptest.NewServer(api)
	defer apiSrv.Close()
	api.SetBaseURL(apiSrv.URL)
	data := t.TempDir()

	startProcess := func() (*exec.Cmd, *harness) {
		cmd := exec.Command(bin, "--api-base", apiSrv.URL, "--data", data, "--listen", "127.0.0.1:0", "--poll-interval", "1h")
		cmd.Env = append(os.Environ(), "INTERCOM_ACCESS_TOKEN=test-token", "INTERCOM_CLIENT_SECRET="+secret)
		stdout, _ := cmd.StdoutPipe()
		logs, _ := os.Create(filepath.Join(data, fmt.Sprintf("log-%d", time.Now().UnixNano())))
		cmd.Stderr = logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			cmd.Process.Kill()
			t.Fatalf("server did not start: %v", err)
		}
		url := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "listening on "), "/")
		h := &harness{api: api, url: url, sender: &fakeintercom.WebhookSender{URL: url + "/webhooks/intercom", Secret: secret}}
		return cmd, h
	}

	cmd, h := startProcess()
	h.waitFor(t, "the first publish", func() bool { return h.status(t, "/readyz") == 200 })
	var ids []string
	for _, a := range api.Site().Articles {
		if a.Translations["en"].Published() && len(ids) < 40 {
			ids = append(ids, a.ID)
		}
	}
	for _, id := range ids {
		retitle(api, t, id, "Crash-safe "+id)
		if s := h.send(t, "article.updated", id); s != 200 {
			t.Fatalf("webhook answered %d", s)
		}
	}
	// Every notification was acknowledged, so each is on disk; kill the
	// process as soon as it is building a release with them.
	staging := filepath.Join(data, "site", "releases", ".staging-*")
	h.waitFor(t, "a build to start", func() bool {
		m, _ := filepath.Glob(staging)
		return len(m) > 0
	})
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	j, err := journal.Open(filepath.Join(data, "journal"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(j.Pending()); n == 0 {
		t.Fatal("the process was killed after it had applied everything; the test proves nothing")
	}
	j.Close()

	cmd, h = startProcess()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	for _, id := range ids {
		want := "Crash-safe " + id
		h.waitFor(t, fmt.Sprintf("article %s after the restart", id), func() bool { return h.title(t, id) == want })
	}
	h.waitFor(t, "the queue to drain", func() bool {
		_, body := h.get(t, "/readyz")
		return strings.Contains(body, `"pending_events":0`)
	})
	if left, _ := filepath.Glob(staging); len(left) > 0 {
		t.Errorf("staging directories left after the restart: %v", left)
	}
}
