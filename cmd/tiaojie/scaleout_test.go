package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
	"github.com/tiaojie/tiaojie/push"
	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// Two instances share one MariaDB and one Redis: an officer's app connected
// to instance A receives the orders filed through instance B; both run the
// outbox relay and the SLA clocks, and still every order is delivered once
// and an overdue order escalates once.
func TestTwoInstancesShareTheWork(t *testing.T) {
	dsn := mysqltest.NewDSN(t)
	_, prefix := redistest.New(t)
	env := map[string]string{"TIAOJIE_MYSQL_DSN": dsn, "TIAOJIE_REDIS_URL": redistest.URL(), "TIAOJIE_REDIS_PREFIX": prefix,
		"TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret, "TIAOJIE_DUTY_HOURS": "00:00-24:00",
		"TIAOJIE_ACK_TIMEOUT": "1s", "TIAOJIE_DISPATCH_TICK": "50ms", "TIAOJIE_SLA": "screen_request=4s"}
	logs := &lockedBuffer{}
	a, baseA := startApp(t, testConfig(t, env), logs)
	b, _ := startApp(t, testConfig(t, env), logs)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	b.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, b, box, DemoCitizenPhone) // through B
	police, _ := staffLogin(t, a, "police1")
	admin, _ := staffLogin(t, b, "admin")
	station := stationID(t, a, "双凤桥派出所")
	expect(t, do(t, b, "PUT", path("/api/v1/admin/units/%d/dispatch", station), admin,
		map[string]any{"assignment": "free", "hours": "00:00-24:00", "weekends": true}), 200, "")
	app := connectStaff(t, baseA, police, false) // on A

	const n = 20
	filed := map[int64]bool{}
	for i := 0; i < n; i++ {
		filed[fileAt(t, b, citizen, station, "两个实例共享的工单测试纠纷")] = true
	}
	seen := map[int64]int{}
	for len(seen) < n {
		m := app.next("order", 10*time.Second)
		// Acknowledged, not claimed: each still runs into its deadline. (No
		// wait for the confirmation: the next orders are already coming.)
		app.send(push.ClientMessage{Type: "ack", DeliveryID: m.DeliveryID})
		if m.Order.Kind != "screen_request" || !filed[m.Order.ResourceID] {
			continue // warning instruction sheets: the same citizen filed 20 times
		}
		seen[m.Order.ResourceID]++
		if seen[m.Order.ResourceID] > 1 && !m.Redelivery {
			t.Fatalf("request %d's order delivered twice as new", m.Order.ResourceID)
		}
	}
	// Both instances' clocks run; each overdue order escalates exactly once.
	time.Sleep(5 * time.Second)
	for req := range filed {
		orders, err := a.svc.dispatch.store.OrdersAbout(context.Background(), "request", req)
		if err != nil {
			t.Fatal(err)
		}
		escalated := 0
		for _, o := range orders {
			if o.EscalatedFrom != 0 {
				escalated++
			}
		}
		if len(orders) != 2 || escalated != 1 {
			t.Fatalf("request %d: %d orders, %d escalations; want the screening order and one escalation", req, len(orders), escalated)
		}
	}
}

// A video room lives on the instance that placed it: the family, asking
// instance B for a join token, is told to signal on A; B's own signalling
// endpoint sends it there too; on A the host and the family see each other.
func TestTwoInstancesPlaceAVideoRoomOnOne(t *testing.T) {
	dsn := mysqltest.NewDSN(t)
	_, prefix := redistest.New(t)
	lnA, lnB := listenLoopback(t), listenLoopback(t)
	urlA, urlB := "http://"+lnA.Addr().String(), "http://"+lnB.Addr().String()
	env := func(self string) map[string]string {
		return map[string]string{"TIAOJIE_MYSQL_DSN": dsn, "TIAOJIE_REDIS_URL": redistest.URL(), "TIAOJIE_REDIS_PREFIX": prefix,
			"TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret, "TIAOJIE_DUTY_HOURS": "00:00-24:00", "TIAOJIE_PUBLIC_URL": self}
	}
	logs := &lockedBuffer{}
	a, _ := startAppBehind(t, testConfig(t, env(urlA)), logs, lnA)
	b, _ := startAppBehind(t, testConfig(t, env(urlB)), logs, lnB)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	})
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	b.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, b, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "两个实例上的视频调解", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), lawyer, nil)
	expect(t, room, 201, "")
	roomID := room.str("id")

	hostGrant := do(t, a, "POST", "/api/v1/rooms/"+roomID+"/join-token", lawyer, nil) // A places the room
	familyGrant := do(t, b, "POST", "/api/v1/rooms/"+roomID+"/join-token", citizen, nil)
	want := urlA + "/api/v1/rooms/" + roomID + "/signal"
	if hostGrant.str("signal_url") != want || familyGrant.str("signal_url") != want {
		t.Fatalf("both grants should point at A: %q, %q", hostGrant.str("signal_url"), familyGrant.str("signal_url"))
	}
	wsOf := func(u string) string { return "ws" + strings.TrimPrefix(u, "http") }
	if _, resp, err := websocket.DefaultDialer.Dial(wsOf(urlB)+"/api/v1/rooms/"+roomID+"/signal", nil); err == nil || resp == nil ||
		resp.StatusCode != 409 || resp.Header.Get("Location") != want {
		t.Fatalf("B's signalling endpoint should send the client to A: %v %v", err, resp)
	}
	api := rtctest.NewAPI(t)
	host := rtctest.Join(t, api, hostGrant.str("participant_id"), rtctest.DialWS(t, wsOf(hostGrant.str("signal_url"))), hostGrant.str("token"))
	host.WaitMsg(realtime.TypeWelcome, nil)
	fam := rtctest.Join(t, api, familyGrant.str("participant_id"), rtctest.DialWS(t, wsOf(familyGrant.str("signal_url"))), familyGrant.str("token"))
	fam.WaitMsg(realtime.TypeWelcome, nil)
	host.WaitMsg(realtime.TypeLobby, nil)
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: familyGrant.str("participant_id")})
	host.ReceivesFrom(familyGrant.str("participant_id"))
	fam.ReceivesFrom(hostGrant.str("participant_id"))
}

// listenLoopback opens a listener on a free loopback port, kept open until
// a server takes it.
func listenLoopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
