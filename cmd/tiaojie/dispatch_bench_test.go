package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
	"github.com/tiaojie/tiaojie/push"
)

// BenchmarkDispatchLatency measures work-order delivery end to end on the
// real MariaDB and Redis: orders are created at a steady rate (an open
// model, each in its own transaction with its outbox row, as the API's
// changes create them), the relay moves them to the unit's stream, and an
// officer's app connected over a loopback WebSocket receives and
// acknowledges each. Latency is from the moment the creating transaction
// has committed to the moment the socket delivers the order (a delivery
// that beats the committing call's return counts as 0). Run with
// -benchtime 1x (make bench does).
func BenchmarkDispatchLatency(b *testing.B) {
	const rate, phase = 500.0, 10 * time.Second
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
	station := stationIDB(b, a)
	var login struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(post(b, base+"/api/v1/auth/staff-login", "", map[string]string{"username": "police1", "password": "demo-pass-2026"}), &login)

	for run := 0; b.Loop(); run++ {
		d := websocket.Dialer{Subprotocols: []string{"tiaojie.v1", "bearer." + login.AccessToken}}
		conn, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/staff/stream", nil)
		if err != nil {
			b.Fatal(err)
		}
		var mu sync.Mutex
		committed := map[int64]time.Time{}
		var lat []float64
		received := make(chan struct{}, 100000)
		go func() {
			var wmu sync.Mutex
			for {
				_, raw, err := conn.ReadMessage()
				if err != nil {
					return
				}
				at := time.Now()
				var m push.ServerMessage
				if json.Unmarshal(raw, &m) != nil || m.Type != "order" || m.Redelivery {
					continue
				}
				mu.Lock()
				c, ok := committed[m.Order.ResourceID]
				ms := 0.0
				if ok && at.After(c) {
					ms = float64(at.Sub(c).Microseconds()) / 1000
				}
				lat = append(lat, ms)
				mu.Unlock()
				wmu.Lock()
				_ = conn.WriteJSON(push.ClientMessage{Type: "ack", DeliveryID: m.DeliveryID})
				wmu.Unlock()
				received <- struct{}{}
			}
		}()
		time.Sleep(200 * time.Millisecond) // the app's ready, groups created

		sent := 0
		start := time.Now()
		tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
		end := time.After(phase)
		var wg sync.WaitGroup
	loop:
		for i := int64(1); ; i++ {
			select {
			case <-end:
				break loop
			case <-tick.C:
			}
			sent++
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := a.svc.dispatch.orders.Create(context.Background(), workorder.NewOrder{Kind: workorder.KindScreenRequest, UnitID: station,
					Title: "压测工单", ResourceType: "bench", ResourceID: i, DedupeKey: fmt.Sprintf("bench:%d:%d", run, i)})
				now := time.Now()
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				committed[i] = now
				mu.Unlock()
			}()
		}
		tick.Stop()
		elapsed := time.Since(start)
		wg.Wait()
		got := 0
		for timeout := time.After(30 * time.Second); got < sent; got++ {
			select {
			case <-received:
			case <-timeout:
				b.Fatalf("%d of %d orders delivered within 30 s", got, sent)
			}
		}
		_ = conn.Close()
		sort.Float64s(lat)
		pct := func(q float64) float64 { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
		b.ReportMetric(float64(sent)/elapsed.Seconds(), "orders/s")
		b.ReportMetric(pct(0.50), "p50_ms")
		b.ReportMetric(pct(0.99), "p99_ms")
		b.ReportMetric(lat[len(lat)-1], "max_ms")
	}
}
