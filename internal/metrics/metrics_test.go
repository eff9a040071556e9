package metrics

import (
	"strings"
	"testing"
)

func TestExposition(t *testing.T) {
	r := New()
	c := r.Counter("helpsite_webhooks_received_total", "Webhook notifications received.")
	c.Add(3)
	r.GaugeFunc("helpsite_queue_depth", "Events waiting.", func() float64 { return 7 })
	h := r.Histogram("helpsite_build_seconds", "Build durations.", 0.5, 2)
	h.Observe(0.25)
	h.Observe(1)
	h.Observe(5)
	var b strings.Builder
	r.Write(&b)
	want := `# HELP helpsite_build_seconds Build durations.
# TYPE helpsite_build_seconds histogram
helpsite_build_seconds_bucket{le="0.5"} 1
helpsite_build_seconds_bucket{le="2"} 2
helpsite_build_seconds_bucket{le="+Inf"} 3
helpsite_build_seconds_sum 6.25
helpsite_build_seconds_count 3
# HELP helpsite_queue_depth Events waiting.
# TYPE helpsite_queue_depth gauge
helpsite_queue_depth 7
# HELP helpsite_webhooks_received_total Webhook notifications received.
# TYPE helpsite_webhooks_received_total counter
helpsite_webhooks_received_total 3
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
