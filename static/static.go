// Package static holds the CSS and JavaScript of helpsite's Hugo theme,
// embedded in the binary. The renderer minifies and fingerprints them.
package static

import "embed"

// FS holds css/ and js/.
//
//go:embed all:css all:js
var FS embed.FS
