package main

import (
	"strings"
	"testing"
)

// The demo shows a room invitation: the concluded case's video room
// invited the other party, whose inbox has the link and whose invitation
// the case timeline records.
func TestTheDemoCaseRoomInvitedTheOtherParty(t *testing.T) {
	a, box, _ := integrationApp(t)
	lawyer, _ := staffLogin(t, a, "lawyer4")
	list := do(t, a, "GET", "/api/v1/requests", lawyer, nil)
	expect(t, list, 200, "")
	var id int64
	for _, r := range items(list) {
		if strings.Contains(r["description"].(string), "物业费争议") {
			id = num(r["id"])
		}
	}
	if id == 0 {
		t.Fatalf("the demo case is not among lawyer4's: %s", list.raw)
	}
	events := do(t, a, "GET", path("/api/v1/requests/%d/events", id), lawyer, nil)
	expect(t, events, 200, "")
	types := map[string]bool{}
	for _, e := range items(events) {
		types[e["type"].(string)] = true
	}
	if !types["room_opened"] || !types["room_invited"] {
		t.Errorf("the demo case's timeline has no room and invitation: %s", events.raw)
	}
	other, _ := citizenLogin(t, a, box, DemoOtherPartyPhone)
	if !inboxHas(t, a, other, "room_invitation", "/h5/room/case-") {
		t.Errorf("the other party's inbox has no room invitation")
	}
}
