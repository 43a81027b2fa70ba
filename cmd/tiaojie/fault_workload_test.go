package main

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// faultWorkload is what the in-process fault tests run while they break a
// dependency: the demo citizen files every interval, police1's app
// acknowledges every order, and at the end every filing answered 201 must
// have exactly one screening order, all acknowledged, none delivered again
// after a confirmed acknowledgement.
type faultWorkload struct {
	t        *testing.T
	a        *application
	citizen  string
	station  int64
	consumer *faultConsumer
	stop     context.CancelFunc
	filing   chan struct{}

	mu        sync.Mutex
	committed []int64
	refused   atomic.Int64
}

// startFaultWorkload seeds the demo on a started server and starts filing
// and acknowledging.
func startFaultWorkload(t *testing.T, a *application, base string, every time.Duration) *faultWorkload {
	t.Helper()
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	w := &faultWorkload{t: t, a: a, station: stationID(t, a, "双凤桥派出所"), filing: make(chan struct{})}
	w.citizen, _ = citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	w.consumer = &faultConsumer{t: t, url: "ws" + strings.TrimPrefix(base, "http") + "/api/v1/staff/stream", token: police,
		acked: map[int64]int{}, confirmed: map[int64]bool{}, inFlight: map[string]int64{}}
	ctx, stop := context.WithCancel(context.Background())
	w.stop = stop
	t.Cleanup(stop)
	go w.consumer.run(ctx)
	go func() {
		defer close(w.filing)
		for i := 0; ctx.Err() == nil && i < 400; i++ {
			if id := doQuiet(a, w.citizen, w.station); id > 0 {
				w.mu.Lock()
				w.committed = append(w.committed, id)
				w.mu.Unlock()
			} else {
				w.refused.Add(1)
			}
			time.Sleep(every)
		}
	}()
	return w
}

// fileAgain waits until a filing succeeds: the server recovered by itself.
func (w *faultWorkload) fileAgain(after string) {
	w.t.Helper()
	waitFor(w.t, "filing to work again after "+after, 20*time.Second, func() bool { return doQuiet(w.a, w.citizen, w.station) > 0 })
}

// finish stops filing and checks the outcome against the database at dsn.
func (w *faultWorkload) finish(dsn string) {
	t := w.t
	t.Helper()
	w.stop()
	<-w.filing
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w.mu.Lock()
	ids := append([]int64(nil), w.committed...)
	w.mu.Unlock()
	// Each fileAgain above got one filing through after its fault; a few
	// more show the workload ran between them (a machine busy with other
	// suites under -race files slowly, so no rate is asked for).
	if len(ids) < 5 {
		refusals.Range(func(k, v any) bool { t.Logf("refused %v: %.300s", k, v); return true })
		t.Fatalf("only %d filings answered 201 (%d refused)", len(ids), w.refused.Load())
	}
	for _, id := range ids {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM work_orders WHERE kind = 'screen_request' AND resource_id = ?", id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("request %d (answered 201): %d screening orders, %v", id, n, err)
		}
	}
	ctx, stop := context.WithCancel(context.Background()) // the app comes back for the rest
	defer stop()
	go w.consumer.run(ctx)
	waitFor(t, "every screening order acknowledged", 60*time.Second, func() bool {
		var left int
		_ = db.QueryRow("SELECT COUNT(*) FROM work_orders WHERE kind = 'screen_request' AND state = 'queued'").Scan(&left)
		return left == 0
	})
	w.consumer.mu.Lock()
	defer w.consumer.mu.Unlock()
	if w.consumer.duplicates > 0 {
		t.Fatalf("%d deliveries of orders whose acknowledgement was already confirmed", w.consumer.duplicates)
	}
	t.Logf("%d filings committed, %d refused while a dependency was down; %d deliveries, %d reconnects, 0 lost, 0 duplicated",
		len(ids), w.refused.Load(), w.consumer.deliveries, w.consumer.reconnects)
}
