// Package web holds the browser clients the binary serves: the video
// mediation page (plain JavaScript, no build step) at /app/mediation, and
// the staff console (Vue, built by `make web` into console/dist, which is
// committed) at /console/. Both are embedded, so `go build` needs no Node.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

//go:embed all:console/dist
var console embed.FS

// Mediation returns the page's files (index.html, app.js, style.css) rooted
// at their directory, for a static file handler.
func Mediation() fs.FS { return sub(files, "static") }

// Console returns the staff console's built files (index.html, assets/…)
// rooted at their directory.
func Console() fs.FS { return sub(console, "console/dist") }

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil { // the directory is embedded at build time; this cannot fail
		panic(err)
	}
	return s
}
