package main

import (
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// The reconciler re-sends an unacknowledged order only when its stream
// entry is gone or has been pending longer than the ack timeout: an entry
// still waiting for its app (offline, or being redelivered by the hub) is
// not added again, which the staff hub would only drop. Counted in XADDs
// of the order on its stream.
func TestTheReconcilerResendsOnlyOrdersWhoseEntryNoLongerWaits(t *testing.T) {
	a, _, _ := dispatchApp(t, map[string]string{"TIAOJIE_RECONCILE_AFTER": "1h"}) // the app's own clock never re-sends here
	ctx := t.Context()
	lawyer := userIDOf(t, a, "lawyer1")
	stream := a.cfg.RedisPrefix + workorder.PersonStream(lawyer)
	if err := a.svc.dispatch.orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindAssignment, UnitID: stationID(t, a, "双凤桥派出所"),
		PersonID: lawyer, Priority: 2, Title: "对账测试", ResourceType: "request", ResourceID: 987654, DedupeKey: "reconcile-test"}); err != nil {
		t.Fatal(err)
	}
	orders, err := a.svc.dispatch.store.OrdersAbout(ctx, "request", 987654)
	if err != nil || len(orders) != 1 {
		t.Fatalf("the order: %v %v", orders, err)
	}
	id := orders[0].ID
	// entries counts the order's entries on its stream (each an XADD).
	entries := func() int {
		msgs, err := a.redis.XRange(ctx, stream, "-", "+").Result()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range msgs {
			var msg workorder.Message
			if p, ok := m.Values["payload"].(string); ok && json.Unmarshal([]byte(p), &msg) == nil && msg.Type == "order" && msg.OrderID == id {
				n++
			}
		}
		return n
	}
	expectEntries := func(step string, want int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second) // the relay publishes after the commit
		for entries() != want && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if got := entries(); got != want {
			t.Fatalf("%s: the order has %d stream entries, want %d", step, got, want)
		}
	}
	expectEntries("created", 1)

	var offset atomic.Int64
	clocked := *a.svc.dispatch.orders
	clocked.Clock = domain.ClockFunc(func() time.Time { return time.Now().UTC().Add(time.Duration(offset.Load())) })
	clocked.Reconcile = time.Minute
	tick := func(after time.Duration) {
		t.Helper()
		offset.Store(int64(after))
		if _, err := clocked.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Nobody read it yet (the lawyer's app is offline): it waits.
	for i := 1; i <= 3; i++ {
		tick(time.Duration(2*i) * time.Minute)
		expectEntries(fmt.Sprintf("reconciled %d times while the entry waits", i), 1)
	}
	// Delivered and acknowledged by nobody for longer than the ack
	// timeout: sent again.
	if err := a.redis.XGroupCreateMkStream(ctx, stream, workorder.AppLawyer, "0").Err(); err != nil {
		t.Fatal(err)
	}
	if err := a.redis.XReadGroup(ctx, &goredis.XReadGroupArgs{Group: workorder.AppLawyer, Consumer: "gone", Streams: []string{stream, ">"}, Count: 100, Block: -1}).Err(); err != nil {
		t.Fatal(err)
	}
	clocked.AckTimeout = time.Hour
	tick(8 * time.Minute)
	expectEntries("pending for less than the ack timeout", 1)
	clocked.AckTimeout = 10 * time.Millisecond
	time.Sleep(20 * time.Millisecond)
	tick(10 * time.Minute)
	expectEntries("pending past the ack timeout", 2)
	// Lost (trimmed away, or with a failover): sent again.
	if err := a.redis.XTrimMaxLen(ctx, stream, 0).Err(); err != nil {
		t.Fatal(err)
	}
	tick(12 * time.Minute)
	expectEntries("lost", 1)
	tick(14 * time.Minute)
	expectEntries("waiting again", 1)
	// Behind a backlog of 300 newer entries (other orders of a busy queue)
	// the entry still waits: it is found, not sent again.
	for i := range 300 {
		payload, _ := json.Marshal(workorder.Message{Type: "order", OrderID: id + 1000 + int64(i)})
		if err := a.redis.XAdd(ctx, &goredis.XAddArgs{Stream: stream, Values: map[string]any{"payload": string(payload)}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	tick(16 * time.Minute)
	expectEntries("behind a backlog", 1)
}
