package main

import (
	"io"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/web"
)

// The console is served from the binary: its own routes (history mode) get
// index.html, its hashed assets their files with a long cache, a missing
// asset a 404 (not the page, which a browser would run as script).
func TestConsoleIsServed(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	var script string
	_ = fs.WalkDir(web.Console(), "assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".js") && script == "" {
			script = p
		}
		return nil
	})
	if script == "" {
		t.Fatal("no script in web/console/dist/assets: run make web")
	}
	cases := []struct {
		name, path string
		status     int
		typ, body  string
	}{
		{"the console's root is its page", "/console/", 200, "text/html", `<div id="app">`},
		{"the console without its slash is its page", "/console", 200, "text/html", `<div id="app">`},
		{"a console route deep inside is its page too", "/console/cases/42", 200, "text/html", `<div id="app">`},
		{"the login route is its page", "/console/login?redirect=%2Fcases", 200, "text/html", `<div id="app">`},
		{"a built script is served as JavaScript", "/console/" + script, 200, "javascript", ""},
		{"a missing asset is a 404, not the page", "/console/assets/nope-123.js", 404, "problem+json", ""},
		{"a path climbing out stays inside the console", "/console/..%2f..%2fgo.mod", 200, "text/html", `<div id="app">`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, err := a.http.App().Test(httptest.NewRequest("GET", c.path, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || !strings.Contains(resp.Header.Get("Content-Type"), c.typ) || !strings.Contains(string(body), c.body) {
				t.Fatalf("GET %s = %d %s, want %d %s containing %q", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), c.status, c.typ, c.body)
			}
			if c.status == 200 && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Errorf("GET %s has CSP %q, want the console's", c.path, resp.Header.Get("Content-Security-Policy"))
			}
		})
	}
}
