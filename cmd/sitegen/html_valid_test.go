package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/helpsite/helpsite/internal/testenv"
)

// vnuEnv names the environment variable that holds the path of the Nu
// HTML Checker's vnu.jar (npm package vnu-jar), which .ci/run installs
// outside the checkout.
const vnuEnv = "HELPSITE_VNU_JAR"

// TestHTMLValid runs the Nu HTML Checker over every page of the demo,
// built for a static host and as a bundle (with its printable collection
// pages), and fails on any error it reports.
func TestHTMLValid(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Nu HTML Checker")
	}
	jar := os.Getenv(vnuEnv)
	if jar == "" {
		testenv.Missing(t, errors.New(vnuEnv+" is not set: install vnu-jar with npm and set it to node_modules/vnu-jar/build/dist/vnu.jar"))
	}
	if _, err := os.Stat(jar); err != nil {
		testenv.Missing(t, fmt.Errorf("%s: %w", vnuEnv, err))
	}
	java := testenv.LookPath(t, "java")

	site := filepath.Join(t.TempDir(), "site")
	if code, stdout, errOut := sitegen(t, "build", "--demo", "--out", site); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, errOut)
	}
	bundle := filepath.Join(t.TempDir(), "bundle")
	runBundleCmd(t, "--demo", "--out", bundle)

	var stdout, stderr bytes.Buffer
	cmd := exec.Command(java, "-jar", jar, "--errors-only", "--format", "json", "--skip-non-html", site, bundle)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// vnu exits 1 when it reports an error; its JSON says which.
	if err := cmd.Run(); err != nil && stderr.Len() == 0 {
		t.Fatalf("vnu: %v", err)
	}
	var report struct {
		Messages []struct {
			Type, URL, Message, Extract string
			Line                        int `json:"lastLine"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &report); err != nil {
		t.Fatalf("vnu printed no JSON report (%v):\n%s%s", err, stdout.String(), stderr.String())
	}
	// Errors grouped by message, each with the first pages it is on.
	pages := map[string][]string{}
	for _, m := range report.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		page := strings.TrimPrefix(m.URL, "file:")
		page = strings.TrimPrefix(strings.TrimPrefix(page, site), bundle)
		extract := []rune(strings.TrimSpace(m.Extract))
		pages[m.Message] = append(pages[m.Message], fmt.Sprintf("%s:%d %q", page, m.Line, string(extract[:min(100, len(extract))])))
	}
	messages := make([]string, 0, len(pages))
	for msg := range pages {
		messages = append(messages, msg)
	}
	slices.Sort(messages)
	for _, msg := range messages {
		where := pages[msg]
		t.Errorf("%d× %s\n\t%s", len(where), msg, strings.Join(where[:min(3, len(where))], "\n\t"))
	}
}
