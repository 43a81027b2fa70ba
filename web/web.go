// Package web holds the browser clients the binary serves: the video
// mediation page (plain JavaScript, no build step) at /app/mediation, and
// the staff console (Vue, built by `make web` into console/dist, which is
// committed) at /console/, and the citizen and family mobile app (Vue,
// h5/dist) at /h5/. All are embedded, so `go build` needs no Node.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

//go:embed all:console/dist
var console embed.FS

// The H5 app's dist/ holds a placeholder index.html until `make web` builds
// it, so `go build` works on a fresh checkout without Node.
//
//go:embed all:h5/dist
var h5 embed.FS

// Mediation returns the page's files (index.html, app.js, style.css) rooted
// at their directory, for a static file handler.
func Mediation() fs.FS { return sub(files, "static") }

// Console returns the staff console's built files (index.html, assets/…)
// rooted at their directory.
func Console() fs.FS { return sub(console, "console/dist") }

// H5 returns the citizen and family mobile app's built files (index.html,
// assets/…) rooted at their directory.
func H5() fs.FS { return sub(h5, "h5/dist") }

func sub(f embed.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil { // the directory is embedded at build time; this cannot fail
		panic(err)
	}
	return s
}
