// Package web is the browser client for remote video mediation: a plain
// page with vanilla JavaScript (no build step), embedded in the binary and
// served at /app/mediation.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Mediation returns the page's files (index.html, app.js, style.css) rooted
// at their directory, for a static file handler.
func Mediation() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil { // the directory is embedded at build time; this cannot fail
		panic(err)
	}
	return sub
}
