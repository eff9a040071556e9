package pipeline

import (
	"cmp"
	"maps"
	"slices"

	"github.com/helpsite/helpsite/render"
)

// OtherWarnings is the kind of the warnings that have none.
const OtherWarnings = "other"

// WarningsByKind groups the warnings of res by kind (OtherWarnings for
// those without one), with the kinds sorted, for summaries and metrics.
// Skipped items count as warnings of kind render.WarnSkipped when the
// warnings do not already list them.
func WarningsByKind(res *render.Result) (kinds []string, groups map[string][]render.Warning) {
	groups = map[string][]render.Warning{}
	for _, w := range res.Warnings {
		k := cmp.Or(w.Kind, OtherWarnings)
		groups[k] = append(groups[k], w)
	}
	if len(groups[render.WarnSkipped]) == 0 {
		for _, s := range res.Skipped {
			groups[render.WarnSkipped] = append(groups[render.WarnSkipped],
				render.Warning{Kind: render.WarnSkipped, Locale: s.Locale, Message: s.String()})
		}
	}
	return slices.Sorted(maps.Keys(groups)), groups
}
