package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/push"
)

// TestFaultKillServerAndRestartRedis is the dispatch fault test: the real
// server binary on MariaDB and a throwaway Redis; 2,000 requests filed
// concurrently (each retried with its Idempotency-Key until it commits);
// the server is killed with SIGKILL in the middle and restarted, and Redis
// is restarted empty once. Afterwards every request has exactly one
// screening order, delivered to the test consumer and acknowledged, and the
// consumer never saw an order again after its acknowledgement was confirmed.
func TestFaultKillServerAndRestartRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("fault test: builds the binary, needs MariaDB and redis-server")
	}
	redisServer, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed (apt-get install redis-server); the fault test starts a throwaway one")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "tiaojie")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	redisPort, appPort := freePort(t), freePort(t)
	rds := &proc{t: t, name: "redis", path: redisServer, args: []string{"--port", strconv.Itoa(redisPort), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir}, log: filepath.Join(dir, "redis.log")}
	rds.start()
	waitTCP(t, redisPort)
	dsn := mysqltest.NewDSN(t)
	base := "http://127.0.0.1:" + strconv.Itoa(appPort)
	srv := &proc{t: t, name: "server", path: bin, args: []string{"serve", "--demo"}, log: filepath.Join(dir, "server.log"), env: []string{
		"TIAOJIE_ADDR=127.0.0.1:" + strconv.Itoa(appPort), "TIAOJIE_MYSQL_DSN=" + dsn, "TIAOJIE_REDIS_URL=redis://127.0.0.1:" + strconv.Itoa(redisPort) + "/0",
		"TIAOJIE_JWT_KEYS=" + testJWTKeys, "TIAOJIE_SECRET=" + testSecret, "TIAOJIE_DATA_DIR=" + dir, "TIAOJIE_PASSWORD_COST=4",
		"TIAOJIE_ACK_TIMEOUT=2s", "TIAOJIE_RECONCILE_AFTER=3s", "TIAOJIE_DISPATCH_TICK=200ms", "TIAOJIE_DUTY_HOURS=00:00-24:00",
		"TIAOJIE_RTC_UDP_PORT_MIN=52000", "TIAOJIE_RTC_UDP_PORT_MAX=52099"}}
	srv.start()
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(srv.log)
			if len(b) > 20000 {
				b = b[len(b)-20000:]
			}
			t.Logf("server log tail:\n%s", b)
		}
	}()
	waitFor(t, "the server to be ready", 60*time.Second, func() bool { return serverReady(base) })

	citizen := faultCitizenLogin(t, base, srv.log)
	police := postJSON(t, base+"/api/v1/auth/staff-login", "", map[string]string{"username": "police1", "password": "demo-pass-2026"}, "")["access_token"].(string)
	stations := getJSON(t, base+"/api/v1/stations", police)
	station := int64(stations[0].(map[string]any)["id"].(float64))

	consumer := &faultConsumer{t: t, url: "ws" + strings.TrimPrefix(base, "http") + "/api/v1/staff/stream", token: police,
		acked: map[int64]int{}, confirmed: map[int64]bool{}, inFlight: map[string]int64{}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go consumer.run(ctx)

	const total = 2000
	var filed atomic.Int64
	var wg sync.WaitGroup
	jobs := make(chan int)
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				fileUntilCommitted(t, base, citizen, station, i)
				filed.Add(1)
			}
		}()
	}
	go func() {
		for i := 0; i < total; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	waitFor(t, "700 filings", 120*time.Second, func() bool { return filed.Load() >= 700 })
	srv.kill() // SIGKILL mid-stream: in-flight requests, relay batches and acknowledgements die with it
	time.Sleep(500 * time.Millisecond)
	srv.start()
	waitFor(t, "1,300 filings", 120*time.Second, func() bool { return filed.Load() >= 1300 })
	rds.kill() // Redis comes back empty: streams, groups and pending lists are gone
	rds.start()
	wg.Wait()

	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The workload's rows: those of the demo citizen who filed them (the demo
	// also seeds a concluded case of another citizen).
	const theirs = "(SELECT r.id FROM requests r JOIN users u ON u.id = r.filer_id WHERE u.phone = '" + DemoCitizenPhone + "')"
	var requests int
	_ = db.QueryRow("SELECT COUNT(*) FROM requests WHERE id IN " + theirs).Scan(&requests)
	if requests != total {
		t.Fatalf("%d requests committed, want exactly %d (each filing retried with its Idempotency-Key)", requests, total)
	}
	deadline := time.Now().Add(90 * time.Second)
	for left := -1; left != 0; time.Sleep(200 * time.Millisecond) {
		_ = db.QueryRow("SELECT COUNT(*) FROM work_orders WHERE kind = 'screen_request' AND state <> 'delivered' AND resource_id IN " + theirs).Scan(&left)
		if time.Now().After(deadline) {
			consumer.mu.Lock()
			t.Fatalf("%d screening orders still not acknowledged after 90 s; consumer saw %d deliveries, %d reconnects",
				left, consumer.deliveries, consumer.reconnects)
		}
	}
	// No warning missed: every filing's signal was counted (after the Redis
	// loss the counters were rebuilt from MySQL), and the citizen filing
	// 2,000 times raised the same-person warning.
	waitFor(t, "every warning signal counted", 60*time.Second, func() bool {
		var uncounted int
		_ = db.QueryRow("SELECT COUNT(*) FROM warning_signals WHERE counted_at IS NULL").Scan(&uncounted)
		return uncounted == 0
	})
	var samePerson int
	_ = db.QueryRow("SELECT COUNT(*) FROM warnings WHERE rule_kind = 'same_person'").Scan(&samePerson)
	if samePerson == 0 {
		t.Fatal("2,000 filings by one citizen raised no same-person warning")
	}
	var orders, distinct int
	_ = db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT resource_id) FROM work_orders WHERE kind = 'screen_request' AND resource_id IN "+theirs).Scan(&orders, &distinct)
	if orders != total || distinct != total {
		t.Fatalf("%d screening orders for %d requests, want exactly one each", orders, distinct)
	}
	rows, err := db.Query("SELECT id FROM work_orders WHERE kind = 'screen_request' AND resource_id IN " + theirs)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	consumer.mu.Lock()
	defer consumer.mu.Unlock()
	missing := 0
	for rows.Next() {
		var id int64
		_ = rows.Scan(&id)
		if consumer.acked[id] == 0 {
			missing++
		}
	}
	if missing > 0 || consumer.duplicates > 0 {
		t.Fatalf("consumer: %d orders never acknowledged, %d deliveries of orders already acknowledged", missing, consumer.duplicates)
	}
	t.Logf("2,000 requests through a SIGKILL and a Redis restart: %d orders, %d deliveries (%d redeliveries of unconfirmed acks), %d reconnects, 0 lost, 0 duplicated",
		orders, consumer.deliveries, consumer.redeliveries, consumer.reconnects)
}

// faultConsumer is the test's staff app: it acknowledges every order,
// reconnects whenever the socket drops, and counts what it sees.
type faultConsumer struct {
	t          *testing.T
	url, token string

	mu           sync.Mutex
	acked        map[int64]int    // acks sent per order
	confirmed    map[int64]bool   // the server confirmed the ack
	inFlight     map[string]int64 // delivery ID → order, acks not yet confirmed
	deliveries   int
	redeliveries int
	duplicates   int // deliveries of orders whose ack was already confirmed
	reconnects   int
}

func (c *faultConsumer) run(ctx context.Context) {
	for ctx.Err() == nil {
		d := websocket.Dialer{Subprotocols: []string{"tiaojie.v1", "bearer." + c.token}, HandshakeTimeout: 2 * time.Second}
		conn, _, err := d.DialContext(ctx, c.url, nil)
		if err != nil {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		c.mu.Lock()
		c.reconnects++
		c.mu.Unlock()
		go func() { <-ctx.Done(); _ = conn.Close() }()
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				break
			}
			var m push.ServerMessage
			if json.Unmarshal(b, &m) != nil {
				continue
			}
			switch m.Type {
			case "order":
				if m.Order.Kind != "screen_request" {
					_ = conn.WriteJSON(push.ClientMessage{Type: "ack", DeliveryID: m.DeliveryID})
					continue
				}
				c.mu.Lock()
				c.deliveries++
				if c.confirmed[m.Order.ID] {
					c.duplicates++
				} else if c.acked[m.Order.ID] > 0 {
					c.redeliveries++
				}
				c.acked[m.Order.ID]++
				c.inFlight[m.DeliveryID] = m.Order.ID
				c.mu.Unlock()
				_ = conn.WriteJSON(push.ClientMessage{Type: "ack", DeliveryID: m.DeliveryID})
			case "acked":
				c.mu.Lock()
				if id, ok := c.inFlight[m.DeliveryID]; ok {
					c.confirmed[id] = true
					delete(c.inFlight, m.DeliveryID)
				}
				c.mu.Unlock()
			case "ping":
				_ = conn.WriteJSON(push.ClientMessage{Type: "ping"})
			}
		}
		_ = conn.Close()
	}
}

func fileUntilCommitted(t *testing.T, base, token string, station int64, i int) {
	body := map[string]any{"kind": "mediation", "category": "neighbour", "description": fmt.Sprintf("故障测试第%d号纠纷：邻里噪音", i), "station_id": station}
	key := fmt.Sprintf("fault-%d", i)
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", base+"/api/v1/requests", bytes.NewReader(raw))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		resp, err := faultHTTP.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 201 || resp.StatusCode == 200 {
				return
			}
			if resp.StatusCode < 500 && resp.StatusCode != 409 && resp.StatusCode != 429 {
				t.Errorf("filing %d: %d", i, resp.StatusCode)
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("filing %d never committed", i)
}

var faultHTTP = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

func faultCitizenLogin(t *testing.T, base, logPath string) string {
	t.Helper()
	postJSON(t, base+"/api/v1/auth/sms-code", "", map[string]string{"phone": DemoCitizenPhone}, "")
	re := regexp.MustCompile(`sms code for 138\*\*\*\*8000: (\d{6})`)
	var code string
	waitFor(t, "the SMS code in the log", 10*time.Second, func() bool {
		b, _ := os.ReadFile(logPath)
		m := re.FindAllSubmatch(b, -1)
		if len(m) > 0 {
			code = string(m[len(m)-1][1])
		}
		return code != ""
	})
	return postJSON(t, base+"/api/v1/auth/citizen-login", "", map[string]string{"phone": DemoCitizenPhone, "code": code}, "")["access_token"].(string)
}

func postJSON(t *testing.T, url, token string, body any, _ string) map[string]any {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := faultHTTP.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %v", url, resp.StatusCode, out)
	}
	return out
}

func getJSON(t *testing.T, url, token string) []any {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := faultHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return out
}

// proc is a child process the fault test starts, kills and restarts.
type proc struct {
	t          *testing.T
	name, path string
	args, env  []string
	log        string
	cmd        *exec.Cmd
}

func (p *proc) start() {
	p.t.Helper()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		p.t.Fatal(err)
	}
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start %s: %v", p.name, err)
	}
	p.cmd = cmd
	p.t.Cleanup(func() { p.kill() })
}

func (p *proc) kill() {
	if p.cmd != nil && p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
		p.cmd = nil
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func waitTCP(t *testing.T, port int) {
	t.Helper()
	waitFor(t, "port "+strconv.Itoa(port), 10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s after %s", what, within)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func serverReady(base string) bool {
	resp, err := faultHTTP.Get(base + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}
