package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// BenchmarkFilingVsRawInsert files mediation requests through the real HTTP
// API (loopback, JSON, auth, validation, one transaction with the request,
// its parties, timeline event, audit line, warning signal, work order and
// outbox row) on the real MariaDB, and in the same run measures the raw
// single-row INSERT commit rate of the same MariaDB with the same number of
// concurrent clients. Then it files at half the peak rate (an open model:
// requests start on a clock, not when the previous one ends) and reports the
// latency percentiles. Run with -benchtime 1x (make bench does).
func BenchmarkFilingVsRawInsert(b *testing.B) {
	const clients = 16
	phase := 5 * time.Second
	dsn := mysqltest.NewDSN(b)
	_, prefix := redistest.New(b)
	cfg, err := loadConfig(func(k string) string {
		return map[string]string{"TIAOJIE_DATA_DIR": b.TempDir(), "TIAOJIE_MYSQL_DSN": dsn, "TIAOJIE_REDIS_URL": redistest.URL(),
			"TIAOJIE_REDIS_PREFIX": prefix, "TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret, "TIAOJIE_PASSWORD_COST": "4",
			"TIAOJIE_LOG_LEVEL": "error", "TIAOJIE_DB_MAX_OPEN_CONNS": "32"}[k]
	})
	if err != nil {
		b.Fatal(err)
	}
	a, base := startBenchApp(b, cfg)
	token := benchCitizenToken(b, a, base)
	station := stationIDB(b, a)

	for b.Loop() {
		raw1 := rawInsertRate(b, dsn, 1, phase)
		raw := rawInsertRate(b, dsn, clients, phase)
		before := dbCounters(b, dsn)
		peak, filed := fileAtFullSpeed(b, base, token, station, clients, phase)
		time.Sleep(500 * time.Millisecond) // let the relay publish the last orders: its statements are the filings' cost too
		after := dbCounters(b, dsn)
		lat := fileAtRate(b, base, token, station, peak/2, phase)
		b.ReportMetric(raw1, "raw_inserts/s_1client")
		b.ReportMetric(raw, "raw_inserts/s")
		b.ReportMetric(peak, "filings/s")
		b.ReportMetric(100*peak/raw, "%_of_raw")
		b.ReportMetric(100*peak/raw1, "%_of_raw_1client")
		b.ReportMetric(lat(0.50), "p50_ms@half")
		b.ReportMetric(lat(0.99), "p99_ms@half")
		for _, k := range []string{"Questions", "Com_commit", "Com_insert", "Com_select", "Com_update", "Com_delete"} {
			b.Logf("%s per filing: %.2f", k, float64(after[k]-before[k])/float64(filed))
		}
		b.ReportMetric(float64(after["Questions"]-before["Questions"])/float64(filed), "statements/filing")
	}
}

func startBenchApp(b *testing.B, cfg Config) (*application, string) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := newApplication(ctx, cfg, quietLog())
	if err != nil {
		b.Fatal(err)
	}
	if err := seedDemo(ctx, a.svc, quietLog()); err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = a.run(ctx, ln); close(done) }()
	b.Cleanup(func() { cancel(); <-done })
	return a, "http://" + ln.Addr().String()
}

func benchCitizenToken(b *testing.B, a *application, base string) string {
	b.Helper()
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	post(b, base+"/api/v1/auth/sms-code", "", map[string]string{"phone": DemoCitizenPhone})
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(post(b, base+"/api/v1/auth/citizen-login", "", map[string]string{"phone": DemoCitizenPhone, "code": box.last(DemoCitizenPhone)}), &tok)
	if tok.AccessToken == "" {
		b.Fatal("no token")
	}
	a.svc.accounts.Cfg.AccessTTL = time.Hour
	return tok.AccessToken
}

func stationIDB(b *testing.B, a *application) int64 {
	orgs, err := a.svc.accounts.Stations(context.Background())
	if err != nil || len(orgs) == 0 {
		b.Fatal(err)
	}
	return orgs[0].ID
}

var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}, Timeout: 30 * time.Second}

func post(b *testing.B, url, token string, body any) []byte {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := benchClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		b.Fatalf("%s: %d %s", url, resp.StatusCode, out)
	}
	return out
}

var filingSeq atomic.Int64

func fileOne(b *testing.B, base, token string, station int64) {
	n := filingSeq.Add(1)
	post(b, base+"/api/v1/requests", token, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "楼上漏水多次协商未果 #" + strconv.FormatInt(n, 10), "station_id": station,
		"parties": []map[string]string{{"name": "王五", "phone": "13900000001", "relation": "邻居"}}})
}

// fileAtFullSpeed runs closed-loop clients for d and returns filings/s.
func fileAtFullSpeed(b *testing.B, base, token string, station int64, clients int, d time.Duration) (float64, int64) {
	var done atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				fileOne(b, base, token, station)
				done.Add(1)
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds(), done.Load()
}

// fileAtRate starts filings on a fixed clock for d and returns a percentile
// function over their latencies in ms.
func fileAtRate(b *testing.B, base, token string, station int64, rate float64, d time.Duration) func(q float64) float64 {
	interval := time.Duration(float64(time.Second) / rate)
	var mu sync.Mutex
	var lat []float64
	var wg sync.WaitGroup
	tick := time.NewTicker(interval)
	defer tick.Stop()
	end := time.After(d)
loop:
	for {
		select {
		case <-end:
			break loop
		case <-tick.C:
			wg.Add(1)
			go func() {
				defer wg.Done()
				t0 := time.Now()
				fileOne(b, base, token, station)
				ms := float64(time.Since(t0).Microseconds()) / 1000
				mu.Lock()
				lat = append(lat, ms)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	sort.Float64s(lat)
	return func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(q*float64(len(lat))))]
	}
}

// dbCounters reads MariaDB's global statement counters: their difference
// over a phase, divided by the filings made, is what one filing costs the
// database (the relay's and timers' statements included).
func dbCounters(b *testing.B, dsn string) map[string]int64 {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions','Com_commit','Com_insert','Com_select','Com_update','Com_delete')")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			b.Fatal(err)
		}
		out[k] = v
	}
	return out
}

// rawInsertRate is the ceiling: single-row autocommit INSERTs from the same
// number of clients into a scratch table of the same database.
func rawInsertRate(b *testing.B, dsn string, clients int, d time.Duration) float64 {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(clients)
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS bench_raw (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(100) NOT NULL) ENGINE=InnoDB"); err != nil {
		b.Fatal(err)
	}
	var done atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := db.Exec("INSERT INTO bench_raw (v) VALUES (?)", fmt.Sprint("row ", i)); err != nil {
					b.Error(err)
					return
				}
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(start).Seconds()
}
