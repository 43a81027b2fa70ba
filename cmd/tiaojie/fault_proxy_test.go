package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// faultProxy sits between the server and MariaDB or Redis on loopback: it
// can cut every connection (and refuse new ones) and add latency.
type faultProxy struct {
	ln      net.Listener
	target  string
	down    atomic.Bool
	delay   atomic.Int64 // nanoseconds added to each chunk
	mu      sync.Mutex
	conns   map[net.Conn]bool
	stopped chan struct{}
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target, conns: map[net.Conn]bool{}, stopped: make(chan struct{})}
	go p.accept()
	t.Cleanup(func() { close(p.stopped); _ = ln.Close(); p.cut() })
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

func (p *faultProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.down.Load() {
			_ = c.Close()
			continue
		}
		up, err := net.DialTimeout("tcp", p.target, time.Second)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.track(c, up)
		go p.pipe(c, up)
		go p.pipe(up, c)
	}
}

func (p *faultProxy) track(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		p.conns[c] = true
	}
}

func (p *faultProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if d := p.delay.Load(); d > 0 {
				time.Sleep(time.Duration(d))
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	_ = dst.Close()
	_ = src.Close()
}

// cut closes every connection and refuses new ones until restore.
func (p *faultProxy) cut() {
	p.down.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *faultProxy) restore() { p.down.Store(false) }

// TestFaultDependenciesCutAndSlowed runs the server through TCP proxies to
// MariaDB and Redis and, while citizens keep filing and an officer's app
// keeps acknowledging: cuts Redis, cuts MariaDB, then slows MariaDB by
// 20 ms a packet. /readyz names the dependency that is down and recovers by
// itself; every filing that was answered 201 is in the database with
// exactly one screening order, acknowledged by the app, none delivered
// again after a confirmed acknowledgement.
func TestFaultDependenciesCutAndSlowed(t *testing.T) {
	dsn := mysqltest.NewDSN(t)
	_, prefix := redistest.New(t)
	mcfg, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	dbProxy := newFaultProxy(t, mcfg.Addr)
	mcfg.Addr = dbProxy.addr()
	redisAddr := strings.TrimSuffix(strings.TrimPrefix(redistest.URL(), "redis://"), "/0")
	redisProxy := newFaultProxy(t, redisAddr)
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_MYSQL_DSN": mcfg.FormatDSN(), "TIAOJIE_REDIS_URL": "redis://" + redisProxy.addr() + "/0",
		"TIAOJIE_REDIS_PREFIX": prefix, "TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret, "TIAOJIE_DUTY_HOURS": "00:00-24:00",
		"TIAOJIE_ACK_TIMEOUT": "2s", "TIAOJIE_RECONCILE_AFTER": "3s", "TIAOJIE_DISPATCH_TICK": "200ms"}), logs)
	t.Cleanup(func() {
		if t.Failed() {
			s := logs.String()
			t.Log(s[max(0, len(s)-20000):])
		}
	})
	w := startFaultWorkload(t, a, base, 50*time.Millisecond)
	waitReadyState(t, base, 200, "", 10*time.Second)

	redisProxy.cut()
	waitReadyState(t, base, 503, "redis", 10*time.Second)
	time.Sleep(time.Second)
	redisProxy.restore()
	waitReadyState(t, base, 200, "", 15*time.Second)
	w.fileAgain("Redis came back")

	dbProxy.cut()
	waitReadyState(t, base, 503, "database", 10*time.Second)
	time.Sleep(time.Second)
	dbProxy.restore()
	waitReadyState(t, base, 200, "", 15*time.Second)
	w.fileAgain("MariaDB came back")

	dbProxy.delay.Store(int64(20 * time.Millisecond))
	time.Sleep(3 * time.Second)
	dbProxy.delay.Store(0)
	time.Sleep(time.Second)
	w.finish(dsn)
}

var refusals sync.Map

// doQuiet files one request and returns its ID, or 0 when refused.
func doQuiet(a *application, token string, station int64) int64 {
	r := doNoFail(a, "POST", "/api/v1/requests", token, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "依赖故障期间提交的纠纷", "station_id": station})
	if r.status == 201 {
		return r.id()
	}
	refusals.Store(r.status, string(r.raw))
	return 0
}

func waitReadyState(t *testing.T, base string, status int, failing string, within time.Duration) {
	t.Helper()
	waitFor(t, "/readyz "+failing, within, func() bool {
		resp, err := faultHTTP.Get(base + "/readyz")
		if err != nil {
			return false
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode == status && (failing == "" || strings.Contains(string(body), failing))
	})
}

// doNoFail is do without a test to fail: an error is status 0.
func doNoFail(a *application, method, path, token string, body any) reply {
	raw, _ := json.Marshal(body)
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := a.http.App().Test(req, 10_000)
	if err != nil {
		return reply{}
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: out}
	_ = json.Unmarshal(out, &r.body)
	return r
}
