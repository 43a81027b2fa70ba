package main

import "testing"

// A check-in answer is what the database keeps: checking in again the same
// day reads the first check-in back, and the two answers are equal (on
// MariaDB the first used to carry nanoseconds, the read microseconds).
func TestCheckInAnswerEqualsItsLaterRead(t *testing.T) {
	a, _, _ := dispatchApp(t, nil)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	station := demoUser(t, a, "lawyer").StationIDs[0]
	first := do(t, a, "POST", "/api/v1/duty/check-in", lawyer, map[string]any{"station_id": station})
	expect(t, first, 200, "")
	again := do(t, a, "POST", "/api/v1/duty/check-in", lawyer, map[string]any{"station_id": station})
	expect(t, again, 200, "")
	if first.str("check_in_at") != again.str("check_in_at") {
		t.Fatalf("check-in answered %s, read back as %s", first.str("check_in_at"), again.str("check_in_at"))
	}
}
