// Package metrics keeps a few counters, gauges and histograms and writes
// them in the Prometheus text exposition format, for /metrics.
package metrics

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
)

// Registry holds named metrics.
type Registry struct {
	mu      sync.Mutex
	metrics map[string]metric
}

type metric interface {
	write(w io.Writer, name string)
	help() string
	kind() string
}

// New returns an empty registry.
func New() *Registry { return &Registry{metrics: map[string]metric{}} }

func (r *Registry) add(name string, m metric) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.metrics[name]; dup {
		panic("metrics: " + name + " registered twice")
	}
	r.metrics[name] = m
}

// Write writes every metric, sorted by name.
func (r *Registry) Write(w io.Writer) {
	r.mu.Lock()
	names := make([]string, 0, len(r.metrics))
	for n := range r.metrics {
		names = append(names, n)
	}
	r.mu.Unlock()
	sort.Strings(names)
	for _, n := range names {
		m := r.metrics[n]
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", n, m.help(), n, m.kind())
		m.write(w, n)
	}
}

// Counter only goes up.
type Counter struct {
	v    atomic.Int64
	text string
}

// Counter registers a counter.
func (r *Registry) Counter(name, help string) *Counter {
	c := &Counter{text: help}
	r.add(name, c)
	return c
}

func (c *Counter) Add(n int64)  { c.v.Add(n) }
func (c *Counter) Inc()         { c.v.Add(1) }
func (c *Counter) Value() int64 { return c.v.Load() }
func (c *Counter) help() string { return c.text }
func (c *Counter) kind() string { return "counter" }
func (c *Counter) write(w io.Writer, name string) {
	fmt.Fprintf(w, "%s %d\n", name, c.v.Load())
}

// funcMetric reports a value read when scraped.
type funcMetric struct {
	f    func() float64
	text string
	typ  string
}

// GaugeFunc registers a gauge computed by f.
func (r *Registry) GaugeFunc(name, help string, f func() float64) {
	r.add(name, &funcMetric{f: f, text: help, typ: "gauge"})
}

// CounterFunc registers a counter kept elsewhere and read by f.
func (r *Registry) CounterFunc(name, help string, f func() float64) {
	r.add(name, &funcMetric{f: f, text: help, typ: "counter"})
}

func (g *funcMetric) help() string { return g.text }
func (g *funcMetric) kind() string { return g.typ }
func (g *funcMetric) write(w io.Writer, name string) {
	fmt.Fprintf(w, "%s %s\n", name, formatFloat(g.f()))
}

// Histogram counts observations into cumulative buckets.
type Histogram struct {
	mu     sync.Mutex
	bounds []float64
	counts []uint64
	sum    float64
	count  uint64
	text   string
}

// Histogram registers a histogram with the given upper bounds.
func (r *Registry) Histogram(name, help string, bounds ...float64) *Histogram {
	h := &Histogram{bounds: bounds, counts: make([]uint64, len(bounds)), text: help}
	r.add(name, h)
	return h
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, b := range h.bounds {
		if v <= b {
			h.counts[i]++
		}
	}
	h.sum += v
	h.count++
}

func (h *Histogram) help() string { return h.text }
func (h *Histogram) kind() string { return "histogram" }
func (h *Histogram) write(w io.Writer, name string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, b := range h.bounds {
		fmt.Fprintf(w, "%s_bucket{le=%q} %d\n", name, formatFloat(b), h.counts[i])
	}
	fmt.Fprintf(w, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %s\n%s_count %d\n", name, h.count, name, formatFloat(h.sum), name, h.count)
}

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
