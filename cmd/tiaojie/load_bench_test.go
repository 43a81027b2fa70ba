package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/websocket"
	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
	"github.com/tiaojie/tiaojie/push"
)

// BenchmarkLoadMix is the load tool (`make load`): the real server on
// MariaDB and Redis under a realistic mix at fixed arrival rates (an open
// model: operations start on a clock, not when the previous one ends) —
// citizens filing and polling their requests, families browsing visit
// slots, officers' apps connected to the staff stream acknowledging and
// claiming the orders, warnings firing from repeated filings — with HDR
// histograms per operation. In the same run it measures the ceilings: the
// MariaDB single-row commit rate, Redis' unpipelined INCR and XADD rates,
// and a bare Fiber handler over the same HTTP client, so that each figure
// is an absolute value and a ratio to its ceiling. It prints a Markdown
// table (and writes it to LOAD_OUT when set). LOAD_RATE scales the mix
// (filings per second, default 100), LOAD_SECONDS its length (default 10).
func BenchmarkLoadMix(b *testing.B) {
	rate := envFloat("LOAD_RATE", 100)
	phase := time.Duration(envFloat("LOAD_SECONDS", 10) * float64(time.Second))
	dsn := mysqltest.NewDSN(b)
	_, prefix := redistest.New(b)
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"TIAOJIE_DATA_DIR": b.TempDir(), "TIAOJIE_MYSQL_DSN": dsn, "TIAOJIE_REDIS_URL": redistest.URL(),
			"TIAOJIE_REDIS_PREFIX": prefix, "TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret, "TIAOJIE_PASSWORD_COST": "4",
			"TIAOJIE_LOG_LEVEL": "error", "TIAOJIE_DUTY_HOURS": "00:00-24:00", "TIAOJIE_WARNING_INTERVAL": "500ms"}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	a, base := startBenchApp(b, cfg)
	citizen := benchCitizenToken(b, a, base)
	station := stationIDB(b, a)
	centre := loadCentre(b, base, citizen)

	for b.Loop() {
		ceilings := map[string]float64{
			"mariadb": rawInsertRate(b, dsn, 1, 3*time.Second),
			"incr":    redisRate(b, "incr", 3*time.Second),
			"xadd":    redisRate(b, "xadd", 3*time.Second),
			"fiber":   bareFiberRate(b, 16, 3*time.Second),
		}
		r := &loadRun{base: base, hists: map[string]*hdrhistogram.Histogram{}, errs: map[string]*atomic.Int64{}, filedAt: map[int64]time.Time{}}
		officers := r.connectOfficers(b, 3, station)
		from := time.Now().In(cfg.HTTP.Location).AddDate(0, 0, 1).Format("2006-01-02")
		to := time.Now().In(cfg.HTTP.Location).AddDate(0, 0, 8).Format("2006-01-02")
		ops := []loadOp{
			{"file", rate, func() error {
				n := filingSeq.Add(1)
				body, err := r.call("POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour",
					"description": "压测邻里纠纷 #" + strconv.FormatInt(n, 10), "station_id": station})
				if err == nil {
					var v struct{ ID int64 }
					_ = json.Unmarshal(body, &v)
					r.mu.Lock()
					r.filedAt[v.ID] = time.Now()
					r.mu.Unlock()
				}
				return err
			}},
			{"poll", rate * 2, func() error { _, err := r.call("GET", "/api/v1/requests?limit=20", citizen, nil); return err }},
			{"slots", rate / 2, func() error {
				_, err := r.call("GET", fmt.Sprintf("/api/v1/detention-centers/%d/visit-slots?from=%s&to=%s", centre, from, to), citizen, nil)
				return err
			}},
		}
		r.run(ops, phase)
		time.Sleep(2 * time.Second) // the last orders reach the apps
		for _, o := range officers {
			_ = o.Close()
		}
		var warnings int64
		a.db.Gorm.Raw("SELECT COUNT(*) FROM warnings").Scan(&warnings)
		table := r.table(ops, phase, ceilings, warnings)
		b.Log("\n" + table)
		if out := os.Getenv("LOAD_OUT"); out != "" {
			_ = os.WriteFile(out, []byte(table), 0o644)
		}
		b.ReportMetric(float64(r.hist("file").ValueAtQuantile(99))/1000, "file_p99_ms")
		b.ReportMetric(float64(r.hist("delivery").ValueAtQuantile(99))/1000, "delivery_p99_ms")
	}
}

type loadOp struct {
	name string
	rate float64
	do   func() error
}

type loadRun struct {
	base     string
	mu       sync.Mutex
	hists    map[string]*hdrhistogram.Histogram // microseconds
	errs     map[string]*atomic.Int64
	filedAt  map[int64]time.Time // request → when its filing answered
	claims   atomic.Int64
	firstErr atomic.Pointer[error]
}

func (r *loadRun) hist(name string) *hdrhistogram.Histogram {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.hists[name]
	if h == nil {
		h = hdrhistogram.New(1, 60_000_000, 3)
		r.hists[name] = h
		r.errs[name] = &atomic.Int64{}
	}
	return h
}

func (r *loadRun) record(name string, d time.Duration, err error) {
	h := r.hist(name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.errs[name].Add(1)
		return
	}
	_ = h.RecordValue(max(1, d.Microseconds()))
}

func (r *loadRun) call(method, path, token string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, r.base+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := benchClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		err := fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, out)
		r.firstErr.CompareAndSwap(nil, &err)
		return out, err
	}
	return out, nil
}

// run starts each operation on its own clock for d.
func (r *loadRun) run(ops []loadOp, d time.Duration) {
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for _, op := range ops {
		r.hist(op.name)
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(time.Duration(float64(time.Second) / op.rate))
			defer tick.Stop()
			for now := range tick.C {
				if now.After(end) {
					return
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					t0 := time.Now()
					err := op.do()
					r.record(op.name, time.Since(t0), err)
				}()
			}
		}()
	}
	wg.Wait()
}

// connectOfficers connects n officers' apps of the station: each order is
// acknowledged, its delivery latency (from the filing's answer) recorded,
// and every other order claimed.
func (r *loadRun) connectOfficers(b *testing.B, n int, station int64) []*websocket.Conn {
	var admin struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(post(b, r.base+"/api/v1/auth/staff-login", "", map[string]string{"username": "admin", "password": DemoPassword}), &admin)
	var out []*websocket.Conn
	for i := 0; i < n; i++ {
		name := "police1"
		if i > 0 {
			name = fmt.Sprintf("loadpolice%d-%d", i, time.Now().UnixNano()%100000)
			post(b, r.base+"/api/v1/admin/users", admin.AccessToken, map[string]any{"username": name, "name": "压测警官", "password": DemoPassword,
				"roles": []string{"police"}, "org_id": station})
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		_ = json.Unmarshal(post(b, r.base+"/api/v1/auth/staff-login", "", map[string]string{"username": name, "password": DemoPassword}), &tok)
		d := websocket.Dialer{Subprotocols: []string{"tiaojie.v1", "bearer." + tok.AccessToken}}
		conn, _, err := d.Dial("ws"+strings.TrimPrefix(r.base, "http")+"/api/v1/staff/stream", nil)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, conn)
		go r.officer(conn, tok.AccessToken)
	}
	return out
}

func (r *loadRun) officer(conn *websocket.Conn, token string) {
	var wmu sync.Mutex
	for {
		_, raw, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var m push.ServerMessage
		if json.Unmarshal(raw, &m) != nil {
			continue
		}
		switch m.Type {
		case "order":
			wmu.Lock()
			_ = conn.WriteJSON(push.ClientMessage{Type: "ack", DeliveryID: m.DeliveryID})
			wmu.Unlock()
			if m.Order.Kind != "screen_request" || m.Redelivery {
				continue
			}
			r.mu.Lock()
			filed, ok := r.filedAt[m.Order.ResourceID]
			r.mu.Unlock()
			if ok {
				r.record("delivery", max(0, time.Since(filed)), nil)
			}
			if r.claims.Add(1)%2 == 0 {
				go func(id int64) {
					t0 := time.Now()
					_, err := r.call("POST", fmt.Sprintf("/api/v1/work-orders/%d/claim", id), token, nil)
					r.record("claim", time.Since(t0), err)
				}(m.Order.ID)
			}
		case "ping":
			wmu.Lock()
			_ = conn.WriteJSON(push.ClientMessage{Type: "ping"})
			wmu.Unlock()
		}
	}
}

func (r *loadRun) table(ops []loadOp, d time.Duration, ceil map[string]float64, warnings int64) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "| operation | target /s | achieved /s | p50 | p99 | max | errors | ceiling (same run) | share of ceiling |\n|---|---|---|---|---|---|---|---|---|\n")
	ceilOf := map[string]string{"file": "mariadb", "poll": "fiber", "slots": "fiber", "claim": "mariadb", "delivery": "xadd"}
	ceilName := map[string]string{"mariadb": "MariaDB single-row commits", "fiber": "bare Fiber handler", "xadd": "Redis XADD", "incr": "Redis INCR"}
	names := []string{}
	targets := map[string]float64{}
	for _, o := range ops {
		names = append(names, o.name)
		targets[o.name] = o.rate
	}
	names = append(names, "delivery", "claim")
	for _, n := range names {
		h := r.hist(n)
		achieved := float64(h.TotalCount()) / d.Seconds()
		c := ceil[ceilOf[n]]
		target := "—"
		if t, ok := targets[n]; ok {
			target = fmt.Sprintf("%.0f", t)
		}
		fmt.Fprintf(&sb, "| %s | %s | %.1f | %.1f ms | %.1f ms | %.1f ms | %d | %s %.0f /s | %.1f %% |\n", n, target, achieved,
			float64(h.ValueAtQuantile(50))/1000, float64(h.ValueAtQuantile(99))/1000, float64(h.Max())/1000, r.errs[n].Load(),
			ceilName[ceilOf[n]], c, 100*achieved/c)
	}
	keys := make([]string, 0, len(ceil))
	for k := range ceil {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(&sb, "\nCeilings measured in the same run: ")
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s %.0f /s; ", ceilName[k], ceil[k])
	}
	fmt.Fprintf(&sb, "warnings raised during the run: %d.\n", warnings)
	if e := r.firstErr.Load(); e != nil {
		fmt.Fprintf(&sb, "First error: %v\n", *e)
	}
	return sb.String()
}

func redisRate(b *testing.B, op string, d time.Duration) float64 {
	c := goredis.NewClient(&goredis.Options{Addr: strings.TrimPrefix(strings.TrimSuffix(redistest.URL(), "/0"), "redis://")})
	defer c.Close()
	ctx := context.Background()
	key := "tjload:" + strconv.FormatInt(time.Now().UnixNano(), 10)
	defer c.Del(ctx, key)
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		var err error
		if op == "incr" {
			err = c.Incr(ctx, key).Err()
		} else {
			err = c.XAdd(ctx, &goredis.XAddArgs{Stream: key, MaxLen: 1000, Approx: true, Values: []any{"v", n}}).Err()
		}
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// bareFiberRate is the HTTP ceiling: a Fiber handler that answers a small
// JSON body, over loopback with the same client and concurrency.
func bareFiberRate(b *testing.B, clients int, d time.Duration) float64 {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/ping", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	defer func() {
		// The client's idle keep-alive connections would hold fasthttp's
		// Shutdown open (a run of make load once hung here): close them
		// first, and bound the wait anyway.
		benchClient.CloseIdleConnections()
		_ = app.ShutdownWithTimeout(5 * time.Second)
	}()
	url := "http://" + ln.Addr().String() + "/ping"
	var done atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Since(start) < d {
				resp, err := benchClient.Get(url)
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds()
}

func loadCentre(b *testing.B, base, token string) int64 {
	req, _ := http.NewRequest("GET", base+"/api/v1/detention-centers", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := benchClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var cs []struct{ ID int64 }
	_ = json.NewDecoder(resp.Body).Decode(&cs)
	if len(cs) == 0 {
		b.Fatal("no detention centre")
	}
	return cs[0].ID
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil && v > 0 {
		return v
	}
	return def
}
