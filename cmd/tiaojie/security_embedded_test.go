package main

import (
	"net/url"
	"strings"
	"testing"
)

// The embedded Redis server has a password (issue 16, low), and it stays
// out of the log, which names the address only.
func TestSecurityEmbeddedRedisPasswordStaysOutOfTheLog(t *testing.T) {
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, nil), logs)
	// Serve first: a shutdown racing the listener's start hangs (fasthttp
	// Shutdown before Serve; a separate, older problem of app.run).
	if resp, _ := get(t, base+"/readyz"); resp.StatusCode != 200 {
		t.Fatalf("/readyz %d", resp.StatusCode)
	}
	u, err := url.Parse(a.embedded.URL())
	if err != nil {
		t.Fatal(err)
	}
	password, ok := u.User.Password()
	if !ok || len(password) < 32 {
		t.Fatalf("the embedded Redis has no real password: %q", password)
	}
	if strings.Contains(logs.String(), password) {
		t.Fatal("the embedded Redis password is in the log")
	}
	if !strings.Contains(logs.String(), a.embedded.Addr()) {
		t.Fatal("the log does not say where the embedded Redis listens")
	}
}
