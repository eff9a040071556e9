package updater

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/helpsite/helpsite/fetch"
	"github.com/helpsite/helpsite/internal/metrics"
)

// Failures that are retried until they pass are warnings with a hint; only
// a failed build, which needs someone, is an error. Each is readyz's
// last error.
func TestFailuresLogWithAHint(t *testing.T) {
	var logs bytes.Buffer
	u := New(Config{Metrics: metrics.New(), Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, c := range []struct {
		err   error
		level string
		hint  string
	}{
		{fmt.Errorf("polling Intercom: %w", &fetch.APIError{Status: http.StatusUnauthorized}), "level=WARN", "INTERCOM_ACCESS_TOKEN"},
		{errors.New("polling Intercom: connection refused"), "level=WARN", "/readyz"},
		{&buildError{errors.New("template: boom")}, "level=ERROR", "layout"},
	} {
		logs.Reset()
		u.failed(c.err, 2*time.Second)
		line := logs.String()
		if !strings.Contains(line, c.level) || !strings.Contains(line, "hint=") || !strings.Contains(line, c.hint) || !strings.Contains(line, "retry_in=2s") {
			t.Errorf("%v logged %q, want %s with a hint naming %s", c.err, line, c.level, c.hint)
		}
		u.mu.Lock()
		if u.status.LastError != c.err.Error() {
			t.Errorf("readyz last error %q", u.status.LastError)
		}
		u.mu.Unlock()
	}
}
