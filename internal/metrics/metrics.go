// Package metrics is helpsite's Prometheus registry: a small API over
// prometheus/client_golang, so that code registering a metric reads as
// simply as r.Counter(name, help), with the Go runtime and process
// collectors registered from the start and /metrics served by promhttp.
package metrics

import (
	"io"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
)

// Registry holds named metrics. Registering a name twice panics: it is a
// programming error.
type Registry struct {
	reg *prometheus.Registry
}

// New returns a registry with the Go runtime and process collectors.
func New() *Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return &Registry{reg: reg}
}

// Handler serves the metrics in the format the scraper asks for.
func (r *Registry) Handler() http.Handler {
	return promhttp.HandlerFor(r.reg, promhttp.HandlerOpts{})
}

// Write writes every metric in the Prometheus text format, sorted by name.
func (r *Registry) Write(w io.Writer) error {
	families, err := r.reg.Gather()
	if err != nil {
		return err
	}
	for _, f := range families {
		if _, err := expfmt.MetricFamilyToText(w, f); err != nil {
			return err
		}
	}
	return nil
}

// Counter only goes up.
type Counter struct{ v atomic.Int64 }

// Counter registers a counter.
func (r *Registry) Counter(name, help string) *Counter {
	c := &Counter{}
	r.CounterFunc(name, help, func() float64 { return float64(c.v.Load()) })
	return c
}

// Add adds n, which must not be negative.
func (c *Counter) Add(n int64) { c.v.Add(n) }

// Inc adds one.
func (c *Counter) Inc() { c.v.Add(1) }

// Value is the count so far.
func (c *Counter) Value() int64 { return c.v.Load() }

// GaugeFunc registers a gauge computed by f when scraped.
func (r *Registry) GaugeFunc(name, help string, f func() float64) {
	r.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// CounterFunc registers a counter kept elsewhere and read by f when
// scraped.
func (r *Registry) CounterFunc(name, help string, f func() float64) {
	r.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
}

// Histogram counts observations into cumulative buckets.
type Histogram = prometheus.Histogram

// Histogram registers a histogram with the given upper bounds.
func (r *Registry) Histogram(name, help string, bounds ...float64) Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: bounds})
	r.reg.MustRegister(h)
	return h
}

// Gauges is a gauge with one label, set per value of the label.
type Gauges struct{ v *prometheus.GaugeVec }

// Gauges registers a gauge with one label.
func (r *Registry) Gauges(name, help, label string) *Gauges {
	v := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, []string{label})
	r.reg.MustRegister(v)
	return &Gauges{v: v}
}

// Set sets the gauge of the label value to v.
func (g *Gauges) Set(value string, v float64) { g.v.WithLabelValues(value).Set(v) }

// Reset sets every value of the label to counts, dropping those it lacks.
func (g *Gauges) Reset(counts map[string]int) {
	g.v.Reset()
	for value, n := range counts {
		g.v.WithLabelValues(value).Set(float64(n))
	}
}

// Collector registers c, for metrics whose label sets are computed when
// scraped (such as one series per published article).
func (r *Registry) Collector(c prometheus.Collector) { r.reg.MustRegister(c) }
