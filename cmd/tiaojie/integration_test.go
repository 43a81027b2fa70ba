package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// throwawayRedis is a redis-server of the test's own on a free loopback port,
// which the test may stop and start; the machine's shared Redis is never touched.
type throwawayRedis struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

func startThrowawayRedis(t *testing.T) *throwawayRedis {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts a redis-server")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not installed; `make services` installs it")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &throwawayRedis{t: t, port: ln.Addr().(*net.TCPAddr).Port}
	ln.Close()
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *throwawayRedis) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *throwawayRedis) start() {
	r.t.Helper()
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatal("redis-server did not start within 5 s")
}

func (r *throwawayRedis) stop() {
	if r.cmd != nil && r.cmd.Process != nil {
		_ = r.cmd.Process.Kill()
		_ = r.cmd.Wait()
		r.cmd = nil
	}
}

type readiness struct {
	Status string            `json:"status"`
	Code   string            `json:"code"`
	Checks map[string]string `json:"checks"`
}

func readyz(t *testing.T, base string) (int, readiness) {
	t.Helper()
	resp, body := get(t, base+"/readyz")
	var r readiness
	_ = json.Unmarshal([]byte(body), &r)
	return resp.StatusCode, r
}

// waitReady polls /readyz until it answers want or the deadline passes, and
// returns how long that took.
func waitReady(t *testing.T, base string, want int, within time.Duration) (time.Duration, readiness) {
	t.Helper()
	start := time.Now()
	for {
		status, r := readyz(t, base)
		if status == want {
			return time.Since(start), r
		}
		if time.Since(start) > within {
			t.Fatalf("/readyz stayed %d (%+v) for %s, want %d", status, r, within, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestRunsOnMariaDBAndRedisAndFollowsRedisHealth(t *testing.T) {
	dsn := mysqltest.NewDSN(t)
	redis := startThrowawayRedis(t)
	a, base := startApp(t, testConfig(t, map[string]string{
		"TIAOJIE_MYSQL_DSN": dsn,
		"TIAOJIE_REDIS_URL": redis.url(),
		"TIAOJIE_JWT_KEYS":  testJWTKeys,
		"TIAOJIE_SECRET":    testSecret,
	}), nil)
	if a.db.Dialect != "mysql" {
		t.Fatalf("dialect %s, want mysql", a.db.Dialect)
	}
	var applied int64
	if err := a.db.Gorm.Table("schema_migrations").Count(&applied).Error; err != nil || applied == 0 {
		t.Fatalf("MariaDB was not migrated: %d rows, %v", applied, err)
	}
	if status, r := readyz(t, base); status != 200 || r.Checks["database"] != "ok" || r.Checks["redis"] != "ok" {
		t.Fatalf("want ready on MariaDB + Redis, got %d %+v", status, r)
	}

	redis.stop()
	_, r := waitReady(t, base, 503, time.Second)
	if r.Checks["redis"] != "unavailable" || r.Checks["database"] != "ok" || r.Code != "service.not_ready" {
		t.Fatalf("503 must name redis only: %+v", r)
	}

	redis.start()
	waitReady(t, base, 200, 5*time.Second) // no restart of the server
}

// A phone announcing a 10 MB body gets 413 problem+json before it has to
// send it (the client sees the answer instead of a reset connection).
func TestOversizedBodyOverTCPIsAProblemNot500(t *testing.T) {
	_, base := startAppDirect(t, testConfig(t, nil), nil) // the server's own early answer, not a proxy's
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", 10<<20)
	_, _ = conn.Write(bytes.Repeat([]byte("x"), 64<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	req, _ := http.NewRequest("POST", base+"/healthz", nil)
	for _, v := range contractViolations(exchange{req: req, status: resp.StatusCode, header: resp.Header, body: body}) {
		t.Error(v)
	}
	var p readiness
	_ = json.Unmarshal(body, &p)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || p.Code != "request.too_large" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("10 MB body: %d %s %+v, want 413 problem+json request.too_large", resp.StatusCode, resp.Header.Get("Content-Type"), p)
	}
}

// SIGTERM (here: the run context ending) lets in-flight requests finish,
// then closes the database.
func TestShutdownDrainsInFlightRequests(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	entered := make(chan struct{})
	a.http.App().Get("/test/slow", func(c *fiber.Ctx) error {
		close(entered)
		time.Sleep(300 * time.Millisecond)
		return c.SendString("finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- a.run(ctx, ln) }()

	var wg sync.WaitGroup
	var status int
	var body string
	wg.Add(1)
	go func() {
		defer wg.Done()
		resp, b := get(t, "http://"+ln.Addr().String()+"/test/slow")
		status, body = resp.StatusCode, b
	}()
	<-entered
	cancel() // as SIGTERM would
	wg.Wait()
	if status != 200 || body != "finished" {
		t.Fatalf("in-flight request got %d %q, want it to finish", status, body)
	}
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop")
	}
	if err := a.db.Ping(context.Background()); err == nil {
		t.Fatal("database still open after shutdown")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting connections after shutdown")
	}
}
