package feedback

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector exposes the reactions per article page in /metrics, as the
// gauge helpsite_feedback_reactions{article, locale, reaction}: only for
// the pages of the live site, so that the label sets are bounded by the
// site, whatever requests arrive (requests for other pages are refused
// anyway; this also drops pages since unpublished).
type Collector struct {
	Store   *Store
	Catalog func() Catalog
}

var reactionsDesc = prometheus.NewDesc("helpsite_feedback_reactions",
	"Article feedback recorded, by article, locale and reaction (1 sad, 2 neutral, 3 happy), for the articles of the live site.",
	[]string{"article", "locale", "reaction"}, nil)

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) { ch <- reactionsDesc }

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	catalog := c.Catalog()
	if catalog == nil {
		return
	}
	for k, counts := range c.Store.Counts() {
		if _, _, ok := catalog.Article(k.Locale, k.Article); !ok {
			continue
		}
		for i, n := range counts {
			ch <- prometheus.MustNewConstMetric(reactionsDesc, prometheus.GaugeValue, float64(n), k.Article, k.Locale, strconv.Itoa(i+1))
		}
	}
}
