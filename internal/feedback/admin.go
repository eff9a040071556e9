package feedback

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed admin
var adminFiles embed.FS

// AdminPagePath is the admin page of feedback, which lists the report of
// /admin/feedback sorted by share of sad reactions. The page and its
// script are public (they hold no data); the report they ask for needs
// the admin token.
const AdminPagePath = "/admin/feedback/"

// AdminPage serves the admin page and its files below AdminPagePath, with
// a Content-Security-Policy that allows only them.
func AdminPage() http.Handler {
	sub, _ := fs.Sub(adminFiles, "admin")
	files := http.StripPrefix(AdminPagePath, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		files.ServeHTTP(w, r)
	})
}
