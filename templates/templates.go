// Package templates is helpsite's Hugo theme: its layouts and the
// translations of its UI strings, embedded in the binary. The theme's CSS
// and JavaScript are in package static.
package templates

import "embed"

// FS holds the theme's layouts/ and i18n/ directories.
//
//go:embed all:layouts all:i18n
var FS embed.FS
