package main

import (
	"strings"
	"testing"
)

// With nothing configured, the server runs on a SQLite file and an in-process
// Redis-protocol server, says so in its log, and is ready.
func TestEmbeddedDefaultIsReadyAndSaysSo(t *testing.T) {
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, nil), logs)
	if a.db.Dialect != "sqlite" || a.embedded == nil {
		t.Fatalf("not embedded: dialect %s, embedded redis %v", a.db.Dialect, a.embedded != nil)
	}
	if resp, _ := get(t, base+"/healthz"); resp.StatusCode != 200 {
		t.Fatalf("/healthz %d", resp.StatusCode)
	}
	if status, r := readyz(t, base); status != 200 || r.Checks["redis"] != "ok" || r.Checks["database"] != "ok" {
		t.Fatalf("/readyz %d %+v", status, r)
	}
	if !strings.Contains(logs.String(), "EMBEDDED MODE") {
		t.Fatalf("the log must say plainly that it runs embedded:\n%s", logs.String())
	}
	_, metrics := get(t, base+"/metrics")
	for _, want := range []string{"go_sql_open_connections", "tiaojie_redis_pool_connections", "tiaojie_http_requests_total"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
