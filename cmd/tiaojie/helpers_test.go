package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// Fixed test keys: an Ed25519 seed and an HMAC secret (never used outside tests).
const (
	testJWTKeys = "test1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	testSecret  = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA=="
)

// backendEnv is what the end-to-end suites (integrationApp, dispatchApp) run
// on, by TIAOJIE_TEST_BACKEND: "mariadb" (the default) is the real MariaDB
// and Redis with a fresh database and key prefix per test; "embedded" is the
// embedded default, a SQLite file and the in-process Redis-protocol server.
// `make test` runs the suites on both.
func backendEnv(t *testing.T) map[string]string {
	t.Helper()
	env := map[string]string{"TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret}
	switch b := os.Getenv("TIAOJIE_TEST_BACKEND"); b {
	case "", "mariadb":
		_, prefix := redistest.New(t)
		env["TIAOJIE_MYSQL_DSN"], env["TIAOJIE_REDIS_URL"], env["TIAOJIE_REDIS_PREFIX"] = mysqltest.NewDSN(t), redistest.URL(), prefix
	case "embedded":
	default:
		t.Fatalf("TIAOJIE_TEST_BACKEND=%q: want mariadb or embedded", b)
	}
	return env
}

// testConfig is the embedded default in a temp directory, with overrides.
func testConfig(t *testing.T, env map[string]string) Config {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if _, ok := env["TIAOJIE_DATA_DIR"]; !ok {
		env["TIAOJIE_DATA_DIR"] = t.TempDir()
		if env["TIAOJIE_MYSQL_DSN"] == "" {
			// The embedded database as the migrations leave it (migrated once
			// per test process): the server's own run then has nothing to do.
			mysqltest.SeedSQLite(t, filepath.Join(env["TIAOJIE_DATA_DIR"], "tiaojie.db"))
		}
	}
	if _, ok := env["TIAOJIE_PASSWORD_COST"]; !ok {
		env["TIAOJIE_PASSWORD_COST"] = "4" // bcrypt's minimum: demo seeding hashes a dozen passwords per test
	}
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg
}

// startApp wires the whole server and serves it on a loopback port until the
// test ends. It returns the application and its base URL.
func startApp(t *testing.T, cfg Config, logOut io.Writer) (*application, string) {
	t.Helper()
	return startAppOn(t, cfg, logOut, "127.0.0.1:0")
}

// startAppOn is startApp on a given loopback address. The address is a
// validating proxy (contract_check_test.go) in front of the real listener:
// every exchange over TCP is checked against openapi.yaml.
func startAppOn(t *testing.T, cfg Config, logOut io.Writer, addr string) (*application, string) {
	t.Helper()
	front, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return startAppBehind(t, cfg, logOut, front)
}

// startAppBehind is startAppOn with the proxy's listener already open: tests
// that must know their addresses before the servers start (their public
// URLs) open them first, so that no server's own port can take one.
func startAppBehind(t *testing.T, cfg Config, logOut io.Writer, front net.Listener) (*application, string) {
	t.Helper()
	a, direct := startAppDirect(t, cfg, logOut)
	serveContractProxy(t, front, direct)
	return a, "http://" + front.Addr().String()
}

// startAppDirect is startApp without the validating proxy, for the few tests
// of the server's own TCP behaviour (a proxy would answer for it); they check
// their exchanges with contractViolations themselves.
func startAppDirect(t *testing.T, cfg Config, logOut io.Writer) (*application, string) {
	t.Helper()
	if logOut == nil {
		logOut = io.Discard
	}
	log := slog.New(slog.NewJSONHandler(logOut, nil))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApplication(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatalf("new application: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("server did not stop within 30 s")
		}
	})
	return a, "http://" + ln.Addr().String()
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// newTestApp wires the whole server without serving it, for tests that only
// inspect or extend the router (routes cannot be added to a serving app).
func newTestApp(t *testing.T, cfg Config) *application {
	t.Helper()
	a, err := newApplication(context.Background(), cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("new application: %v", err)
	}
	t.Cleanup(func() { _ = a.close() })
	return a
}

// lockedBuffer collects log output written from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func quietLog() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }
