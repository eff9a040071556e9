package metrics

import (
	"net/http/httptest"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape parses what the handler serves, as Prometheus would.
func scrape(t *testing.T, r *Registry) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, rec.Body)
	}
	return families
}

func TestExposition(t *testing.T) {
	r := New()
	c := r.Counter("helpsite_webhooks_received_total", "Webhook notifications received.")
	c.Add(3)
	r.GaugeFunc("helpsite_queue_depth", "Events waiting.", func() float64 { return 7 })
	h := r.Histogram("helpsite_build_duration_seconds", "Build durations.", 0.5, 2)
	h.Observe(0.25)
	h.Observe(1)
	h.Observe(5)
	g := r.Gauges("helpsite_degraded_items", "Items left out or degraded.", "kind")
	g.Reset(map[string]int{"skipped": 2, "image-lost": 1})

	f := scrape(t, r)
	if v := f["helpsite_webhooks_received_total"].GetMetric()[0].GetCounter().GetValue(); v != 3 {
		t.Errorf("counter = %v", v)
	}
	if v := f["helpsite_queue_depth"].GetMetric()[0].GetGauge().GetValue(); v != 7 {
		t.Errorf("gauge = %v", v)
	}
	hist := f["helpsite_build_duration_seconds"].GetMetric()[0].GetHistogram()
	if hist.GetSampleCount() != 3 || hist.GetSampleSum() != 6.25 || hist.GetBucket()[0].GetCumulativeCount() != 1 || hist.GetBucket()[1].GetCumulativeCount() != 2 {
		t.Errorf("histogram = %v", hist)
	}
	kinds := map[string]float64{}
	for _, m := range f["helpsite_degraded_items"].GetMetric() {
		kinds[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
	}
	if kinds["skipped"] != 2 || kinds["image-lost"] != 1 || len(kinds) != 2 {
		t.Errorf("labelled gauge = %v", kinds)
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes", "process_cpu_seconds_total"} {
		if f[name] == nil {
			t.Errorf("no %s: the runtime and process collectors are missing", name)
		}
	}
}

func TestDuplicateNamePanics(t *testing.T) {
	r := New()
	r.Counter("x_total", "x")
	defer func() {
		if recover() == nil {
			t.Error("registering x_total twice did not panic")
		}
	}()
	r.Counter("x_total", "x again")
}
