package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/push"
)

// staffApp is a staff app on the work-order stream, as the tests drive it.
type staffApp struct {
	t    *testing.T
	conn *websocket.Conn
	wmu  sync.Mutex
	msgs chan push.ServerMessage
}

// connectStaff opens the stream with the token as a subprotocol, or in the
// first message when inMessage is set.
func connectStaff(t *testing.T, base, token string, inMessage bool) *staffApp {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"tiaojie.v1", "bearer." + token}, HandshakeTimeout: 5 * time.Second}
	if inMessage {
		d.Subprotocols = []string{"tiaojie.v1"}
	}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/staff/stream", nil)
	if err != nil {
		t.Fatalf("dial staff stream: %v", err)
	}
	if resp.Header.Get("Sec-WebSocket-Protocol") != "tiaojie.v1" {
		t.Fatalf("subprotocol %q, want tiaojie.v1", resp.Header.Get("Sec-WebSocket-Protocol"))
	}
	s := &staffApp{t: t, conn: conn, msgs: make(chan push.ServerMessage, 1000)}
	if inMessage {
		s.send(push.ClientMessage{Type: "auth", Token: token})
	}
	go func() {
		defer close(s.msgs)
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m push.ServerMessage
			if json.Unmarshal(b, &m) == nil {
				s.msgs <- m
			}
		}
	}()
	t.Cleanup(func() { _ = conn.Close() })
	if m := s.next("ready", 5*time.Second); m.App == "" {
		t.Fatalf("ready without an app kind: %+v", m)
	}
	return s
}

func (s *staffApp) send(m push.ClientMessage) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	_ = s.conn.WriteJSON(m)
}

// next waits for the next message of type typ, skipping pings.
func (s *staffApp) next(typ string, within time.Duration) push.ServerMessage {
	s.t.Helper()
	deadline := time.After(within)
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				s.t.Fatalf("stream closed while waiting for %s", typ)
			}
			if m.Type == typ {
				return m
			}
			if m.Type == "error" {
				s.t.Fatalf("stream error while waiting for %s: %s %s", typ, m.Code, m.Message)
			}
		case <-deadline:
			s.t.Fatalf("no %s message within %s", typ, within)
		}
	}
}

// quiet reports a message of type typ arriving within d, if any.
func (s *staffApp) quiet(typ string, d time.Duration) *push.ServerMessage {
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-s.msgs:
			if !ok {
				return nil
			}
			if m.Type == typ {
				return &m
			}
		case <-deadline:
			return nil
		}
	}
}

func (s *staffApp) ack(deliveryID string) {
	s.send(push.ClientMessage{Type: "ack", DeliveryID: deliveryID})
	if m := s.next("acked", 5*time.Second); m.DeliveryID != deliveryID {
		s.t.Fatalf("acked %s, want %s", m.DeliveryID, deliveryID)
	}
}

// dispatchApp is the whole server on the test backend (backendEnv: the real
// MariaDB and Redis, or the embedded default), served on loopback, with fast
// clocks: a 1 s acknowledgement timeout and 100 ms ticks.
func dispatchApp(t *testing.T, env map[string]string) (*application, string, *smsBox) {
	t.Helper()
	cfg := backendEnv(t)
	for k, v := range map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00", "TIAOJIE_ACK_TIMEOUT": "1s", "TIAOJIE_DISPATCH_TICK": "100ms"} {
		cfg[k] = v
	}
	for k, v := range env {
		cfg[k] = v
	}
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, cfg), logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	return a, base, box
}

func fileAt(t *testing.T, a *application, citizen string, station int64, what string) int64 {
	t.Helper()
	r := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour", "description": what, "station_id": station})
	expect(t, r, 201, "")
	return r.id()
}

// An order reaches the connected officer's app; left unacknowledged it comes
// again; acknowledged, it stops and its state says delivered.
func TestWorkOrderReachesTheStaffAppAndIsRedeliveredUntilAcknowledged(t *testing.T) {
	a, base, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	app := connectStaff(t, base, police, false)

	req := fileAt(t, a, citizen, stationID(t, a, "双凤桥派出所"), "楼上漏水多次协商未果")
	first := app.next("order", 5*time.Second)
	if first.Order == nil || first.Order.Kind != "screen_request" || first.Order.ResourceID != req || first.Redelivery {
		t.Fatalf("first delivery %+v", first)
	}
	again := app.next("order", 5*time.Second)
	if again.Order.ID != first.Order.ID || !again.Redelivery {
		t.Fatalf("an unacknowledged order should come again: %+v", again)
	}
	app.ack(again.DeliveryID)
	if m := app.quiet("order", 2500*time.Millisecond); m != nil {
		t.Fatalf("an acknowledged order came again: %+v", m)
	}
	got := do(t, a, "GET", path("/api/v1/work-orders/%d", first.Order.ID), police, nil)
	expect(t, got, 200, "")
	if got.str("state") != "delivered" || !strings.Contains(string(got.raw), `"acknowledge"`) {
		t.Fatalf("order after the ack: %s", got.raw)
	}
	// The token in the first message works as well as in the header.
	connectStaff(t, base, police, true)
}

// An app that dies holding an order: another officer's app of the same unit
// gets it once the acknowledgement timeout passes (XAUTOCLAIM).
func TestOrdersOfACrashedAppAreReclaimed(t *testing.T) {
	a, base, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	admin, _ := staffLogin(t, a, "admin")
	station := stationID(t, a, "双凤桥派出所")
	expect(t, do(t, a, "POST", "/api/v1/admin/users", admin, map[string]any{"username": "police1b", "name": "孙警官",
		"password": "demo-pass-2026", "roles": []string{"police"}, "org_id": station}), 201, "")
	p1, _ := staffLogin(t, a, "police1")
	p1b, _ := staffLogin(t, a, "police1b")

	crashing := connectStaff(t, base, p1, false)
	fileAt(t, a, citizen, station, "邻居噪音扰民")
	held := crashing.next("order", 5*time.Second)
	_ = crashing.conn.Close() // dies without acknowledging

	survivor := connectStaff(t, base, p1b, false)
	got := survivor.next("order", 8*time.Second)
	if got.Order.ID != held.Order.ID || !got.Redelivery {
		t.Fatalf("the survivor got %+v, want the crashed app's order %d as a redelivery", got, held.Order.ID)
	}
	survivor.ack(got.DeliveryID)
}

// Two officers claim one order at the same moment: exactly one wins, the
// other is told it is taken; claiming again is harmless for the winner.
func TestTwoClaimersRaceAndExactlyOneWins(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	admin, _ := staffLogin(t, a, "admin")
	station := stationID(t, a, "双凤桥派出所")
	expect(t, do(t, a, "POST", "/api/v1/admin/users", admin, map[string]any{"username": "police1c", "name": "周警官",
		"password": "demo-pass-2026", "roles": []string{"police"}, "org_id": station}), 201, "")
	p1, _ := staffLogin(t, a, "police1")
	p2, _ := staffLogin(t, a, "police1c")
	for round := 0; round < 10; round++ {
		req := fileAt(t, a, citizen, station, "停车位纠纷")
		orders, _ := a.svc.dispatch.store.OrdersAbout(context.Background(), "request", req)
		id := orders[0].ID
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, tok := range []string{p1, p2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = do(t, a, "POST", path("/api/v1/work-orders/%d/claim", id), tok, nil).status
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Fatalf("round %d: claim answers %v, want one 200 and one 409", round, codes)
		}
		winner := map[bool]string{true: p1, false: p2}[codes[0] == 200]
		expect(t, do(t, a, "POST", path("/api/v1/work-orders/%d/claim", id), winner, nil), 200, "")
		expect(t, do(t, a, "POST", path("/api/v1/work-orders/%d/complete", id), winner, map[string]any{"outcome": "已受理并筛选"}), 200, "")
	}
}

// An order nobody takes before its deadline escalates: it ends as
// escalated and the district's queue gets an urgent order for the same
// request, which the supervisor's app receives.
func TestSLAExpiryEscalatesToTheParentUnit(t *testing.T) {
	a, base, box := dispatchApp(t, map[string]string{"TIAOJIE_SLA": "screen_request=2s"})
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	admin, _ := staffLogin(t, a, "admin")
	sup, _ := staffLogin(t, a, "supervisor1")
	station := stationID(t, a, "双凤桥派出所")
	// Round the clock, so that the test does not depend on the hour it runs.
	expect(t, do(t, a, "PUT", path("/api/v1/admin/units/%d/dispatch", station), admin,
		map[string]any{"assignment": "free", "hours": "00:00-24:00", "weekends": true}), 200, "")
	supApp := connectStaff(t, base, sup, false)

	req := fileAt(t, a, citizen, station, "拖欠工资三个月未结清")
	up := supApp.next("order", 10*time.Second)
	if up.Order.ResourceID != req || up.Order.Priority != 1 || !strings.Contains(up.Order.Title, "超时升级") {
		t.Fatalf("escalated order %+v", up.Order)
	}
	orders, _ := a.svc.dispatch.store.OrdersAbout(context.Background(), "request", req)
	if len(orders) != 2 || orders[0].State != "escalated" || orders[1].EscalatedFrom != orders[0].ID || orders[1].UnitID == station {
		t.Fatalf("orders after the deadline: %+v", orders)
	}
	supApp.ack(up.DeliveryID)
	inbox := do(t, a, "GET", "/api/v1/notifications", sup, nil)
	expect(t, inbox, 200, "")
	if !strings.Contains(string(inbox.raw), `"kind":"escalated"`) || !strings.Contains(string(inbox.raw), `"resource_type":"work_order"`) {
		t.Fatalf("the district supervisor's inbox lacks the escalation: %s", inbox.raw)
	}
}

// A unit that assigns round-robin addresses each new order to the next
// on-duty member in turn; least-loaded to the one holding the fewest.
func TestAutomaticAssignmentRoundRobinAndLeastLoaded(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	admin, _ := staffLogin(t, a, "admin")
	station := stationID(t, a, "两路派出所")
	created := do(t, a, "POST", "/api/v1/admin/users", admin, map[string]any{"username": "police3b", "name": "吴警官",
		"password": "demo-pass-2026", "roles": []string{"police"}, "org_id": station})
	expect(t, created, 201, "")
	expect(t, do(t, a, "PUT", path("/api/v1/admin/units/%d/dispatch", station), admin, map[string]any{"assignment": "round_robin"}), 200, "")
	expect(t, do(t, a, "PUT", path("/api/v1/admin/units/%d/dispatch", station), admin, map[string]any{"assignment": "sometimes"}), 422, "validation.failed")

	addressed := func() int64 {
		t.Helper()
		req := fileAt(t, a, citizen, station, "小区电梯噪音纠纷")
		orders, _ := a.svc.dispatch.store.OrdersAbout(context.Background(), "request", req)
		if len(orders) != 1 || orders[0].PersonID == 0 {
			t.Fatalf("orders %+v: want one addressed to a member", orders)
		}
		return orders[0].PersonID
	}
	first, second, third := addressed(), addressed(), addressed()
	if first == second || first != third {
		t.Fatalf("round robin gave %d, %d, %d", first, second, third)
	}

	// Least loaded: the member holding the fewest open orders gets the next.
	expect(t, do(t, a, "PUT", path("/api/v1/admin/units/%d/dispatch", station), admin, map[string]any{"assignment": "least_loaded"}), 200, "")
	next := addressed() // first holds two open orders, second one
	if next != second {
		t.Fatalf("least loaded gave %d, want %d (one open order against two)", next, second)
	}
	// The addressed officer sees it in the backlog; the other can't claim it.
	mine := do(t, a, "GET", "/api/v1/work-orders?state=queued", tokenFor(t, a, userByID(t, a, next)), nil)
	expect(t, mine, 200, "")
	if !strings.Contains(string(mine.raw), fmt.Sprintf(`"person_id":%d`, next)) {
		t.Fatalf("backlog of the addressed officer: %s", mine.raw)
	}

	// Orders created together (a batch of group-committed filings) spread
	// as if made one by one: each pick counts the picks before it in the
	// batch, which the database cannot show yet. Both members now hold two.
	ctx := context.Background()
	batch := make([]workorder.NewOrder, 4)
	for i := range batch {
		batch[i] = workorder.NewOrder{Kind: "screen_request", UnitID: station, Title: "批量", ResourceType: "test", ResourceID: int64(i + 1),
			DedupeKey: fmt.Sprintf("test:least-loaded:%d", i)}
	}
	if err := a.svc.dispatch.orders.CreateFresh(ctx, batch); err != nil {
		t.Fatal(err)
	}
	per := map[int64]int{}
	for i := range batch {
		orders, err := a.svc.dispatch.store.OrdersAbout(ctx, "test", int64(i+1))
		if err != nil || len(orders) != 1 {
			t.Fatalf("batch order %d: %+v %v", i, orders, err)
		}
		per[orders[0].PersonID]++
	}
	if per[first] != 2 || per[second] != 2 {
		t.Fatalf("a batch of four on a least-loaded unit went %v, want two each to %d and %d", per, first, second)
	}
}

// Before the deadline the order's holder is warned on the stream.
func TestSLAWarningReachesTheUnitBeforeTheBreach(t *testing.T) {
	a, base, box := dispatchApp(t, map[string]string{"TIAOJIE_SLA": "screen_request=3s"})
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	admin, _ := staffLogin(t, a, "admin")
	police, _ := staffLogin(t, a, "police1")
	station := stationID(t, a, "双凤桥派出所")
	expect(t, do(t, a, "PUT", path("/api/v1/admin/units/%d/dispatch", station), admin,
		map[string]any{"assignment": "free", "hours": "00:00-24:00", "weekends": true}), 200, "")
	app := connectStaff(t, base, police, false)
	fileAt(t, a, citizen, station, "装修噪音影响休息")
	o := app.next("order", 5*time.Second)
	app.ack(o.DeliveryID)
	expect(t, do(t, a, "POST", path("/api/v1/work-orders/%d/claim", o.Order.ID), police, nil), 200, "")
	notice := app.next("notice", 5*time.Second)
	if notice.Notice != "sla_warning" || notice.OrderID != o.Order.ID {
		t.Fatalf("notice %+v", notice)
	}
	// Waiting on the citizen stops the clock: no escalation while paused.
	expect(t, do(t, a, "POST", path("/api/v1/work-orders/%d/wait", o.Order.ID), police, map[string]any{"reason": "等待当事人补充材料"}), 200, "")
	time.Sleep(3 * time.Second)
	got := do(t, a, "GET", path("/api/v1/work-orders/%d", o.Order.ID), police, nil)
	if got.str("state") != "claimed" || got.body["paused"] != true {
		t.Fatalf("a paused order escalated or lost its pause: %s", got.raw)
	}
	resumed := do(t, a, "POST", path("/api/v1/work-orders/%d/resume", o.Order.ID), police, nil)
	expect(t, resumed, 200, "")
	before, _ := time.Parse(time.RFC3339, got.str("due_at"))
	after, _ := time.Parse(time.RFC3339, resumed.str("due_at"))
	if !after.After(before.Add(2 * time.Second)) {
		t.Fatalf("resume should move the deadline by the time waited: %s → %s", before, after)
	}
	inbox := do(t, a, "GET", "/api/v1/notifications", police, nil)
	if !strings.Contains(string(inbox.raw), `"kind":"sla_warning"`) {
		t.Fatalf("the claimer's inbox lacks the SLA warning: %s", inbox.raw)
	}
}

func userByID(t *testing.T, a *application, id int64) *account.User {
	t.Helper()
	u, err := a.svc.accounts.Users.User(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A fired warning rule sends a warning instruction sheet (预警指令单): a work
// order to the station, which reaches the officer's app live.
func TestAFiredWarningSendsAnInstructionSheetOrder(t *testing.T) {
	a, base, box := dispatchApp(t, map[string]string{"TIAOJIE_WARNING_INTERVAL": "100ms"})
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	station := stationID(t, a, "双凤桥派出所")
	app := connectStaff(t, base, police, false)
	for i := 0; i < 3; i++ { // the seeded rule: the same person ≥ 3 requests in 30 days
		fileAt(t, a, citizen, station, fmt.Sprintf("第%d次反映邻里纠纷", i+1))
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case m := <-app.msgs:
			if m.Type == "order" && m.Order.Kind == "warning_instruction" {
				if m.Order.ResourceType != "warning" || m.Order.UnitID != station {
					t.Fatalf("instruction sheet %+v", m.Order)
				}
				app.ack(m.DeliveryID)
				w := do(t, a, "GET", "/api/v1/warnings", police, nil)
				if !strings.Contains(string(w.raw), fmt.Sprintf(`"id":%d`, m.Order.ResourceID)) {
					t.Fatalf("the sheet's warning %d is not in the station's warnings: %s", m.Order.ResourceID, w.raw)
				}
				return
			}
		case <-deadline:
			t.Fatal("no warning instruction sheet reached the officer's app within 10 s")
		}
	}
}

func pushAck(deliveryID string) push.ClientMessage {
	return push.ClientMessage{Type: "ack", DeliveryID: deliveryID}
}
