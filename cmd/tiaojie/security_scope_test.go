package main

import (
	"slices"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// otherDistrict is a second district beside the demo's, with a station and
// an admin, a supervisor and an officer of its own.
type otherDistrict struct {
	district, station           int64
	admin, supervisor, police   string
	adminID, supervisorID, poID int64
}

func newOtherDistrict(t *testing.T, a *application) otherDistrict {
	t.Helper()
	ctx, acc, sys := t.Context(), a.svc.accounts, domain.System
	d, err := acc.CreateOrg(ctx, sys, 0, account.OrgDistrict, "江北区分局")
	if err != nil {
		t.Fatal(err)
	}
	st, err := acc.CreateOrg(ctx, sys, d.ID, account.OrgStation, "观音桥派出所")
	if err != nil {
		t.Fatal(err)
	}
	o := otherDistrict{district: d.ID, station: st.ID}
	for _, p := range []struct {
		username, role string
		org            int64
		id             *int64
		token          *string
	}{
		{"admin2", account.RoleAdmin, d.ID, &o.adminID, &o.admin},
		{"supervisor9", account.RoleSupervisor, d.ID, &o.supervisorID, &o.supervisor},
		{"police9", account.RolePolice, st.ID, &o.poID, &o.police},
	} {
		u, err := acc.CreateStaff(ctx, sys, account.NewStaff{Username: p.username, Name: "江北" + p.role, Password: DemoPassword, Roles: []string{p.role}, OrgID: p.org})
		if err != nil {
			t.Fatal(err)
		}
		*p.id = u.ID
		*p.token, _ = staffLogin(t, a, p.username)
	}
	return o
}

// Medium 4 (issue 16): an admin acts only on their organisation's subtree.
// A second district's admin neither lists, resets, exports nor creates
// accounts in the first district, nor touches its organisations; the
// first district's admin still does all of it.
func TestSecurityAdminsStayInTheirDistrict(t *testing.T) {
	a, _, _ := integrationApp(t) // MariaDB: the scoped user list is one query
	other := newOtherDistrict(t, a)
	admin1, _ := staffLogin(t, a, "admin")
	officer := demoUserNamed(t, a, "police1")
	lawyer := demoUserNamed(t, a, "lawyer1")
	station1 := stationID(t, a, "双凤桥派出所")

	listed := func(token string) []int64 {
		r := do(t, a, "GET", "/api/v1/admin/users?limit=100", token, nil)
		expect(t, r, 200, "")
		var ids []int64
		for _, it := range r.body["items"].([]any) {
			ids = append(ids, int64(it.(map[string]any)["id"].(float64)))
		}
		return ids
	}
	if ids := listed(other.admin); slices.Contains(ids, officer) || slices.Contains(ids, lawyer) || !slices.Contains(ids, other.poID) {
		t.Errorf("the other district's admin lists %v: want their own officer %d, not police1 %d or lawyer1 %d", ids, other.poID, officer, lawyer)
	}
	if ids := listed(admin1); !slices.Contains(ids, officer) || !slices.Contains(ids, lawyer) || slices.Contains(ids, other.poID) {
		t.Errorf("the demo admin lists %v: want police1 and lawyer1, not the other district's officer", ids)
	}
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", officer), other.admin, map[string]any{"password": "taken-over-2026"}), 404, "user.not_found")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", lawyer), other.admin, map[string]any{"disabled": true}), 404, "user.not_found")
	expect(t, do(t, a, "GET", path("/api/v1/admin/users/%d/export", officer), other.admin, nil), 404, "user.not_found")
	expect(t, do(t, a, "POST", "/api/v1/admin/users", other.admin, map[string]any{"username": "mole1", "name": "内鬼", "password": DemoPassword,
		"roles": []string{"police"}, "org_id": station1}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/admin/users", other.admin, map[string]any{"username": "mole2", "name": "内鬼", "password": DemoPassword,
		"roles": []string{"lawyer"}, "org_id": demoUserOrg(t, a, "lawyer1"), "station_ids": []int64{station1}}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/admin/organizations", other.admin, map[string]any{"parent_id": demoUserOrg(t, a, "admin"), "kind": "station", "name": "假派出所"}), 422, "validation.failed")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/organizations/%d", station1), other.admin, map[string]any{"name": "改名"}), 404, "org.not_found")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/organizations/%d", other.station), other.admin, map[string]any{"parent_id": demoUserOrg(t, a, "admin")}), 422, "validation.failed")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/organizations/%d", other.district), other.admin, map[string]any{"parent_id": demoUserOrg(t, a, "admin")}), 404, "org.not_found")
	expect(t, do(t, a, "GET", "/api/v1/me", police1Token(t, a), nil), 200, "") // the officer's password still works

	// The first district's admin keeps every power over their own.
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", officer), admin1, map[string]any{"disabled": false}), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/admin/users/%d/export", officer), admin1, nil), 200, "")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", other.poID), admin1, map[string]any{"disabled": true}), 404, "user.not_found")
	expect(t, do(t, a, "POST", "/api/v1/admin/users", other.admin, map[string]any{"username": "police9b", "name": "江北民警", "password": DemoPassword,
		"roles": []string{"police"}, "org_id": other.station}), 201, "")
}

func demoUserOrg(t *testing.T, a *application, username string) int64 {
	t.Helper()
	u, ok, err := a.svc.accounts.Users.UserByUsername(t.Context(), username)
	if err != nil || !ok {
		t.Fatalf("user %s: %v", username, err)
	}
	return u.OrgID
}

func police1Token(t *testing.T, a *application) string {
	t.Helper()
	tok, _ := staffLogin(t, a, "police1")
	return tok
}

// Medium 6 (issue 16): a supervisor sets the duty roster of their own
// district's stations only.
func TestSecurityRosterStaysInTheDistrict(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	other := newOtherDistrict(t, a)
	sup1, _ := staffLogin(t, a, "supervisor1")
	station := stationID(t, a, "双凤桥派出所")
	roster := map[string]any{"hours": "08:00-12:00", "weekdays": []int{1}}
	expect(t, do(t, a, "PUT", path("/api/v1/admin/stations/%d/duty-roster", station), other.supervisor, roster), 404, "station.not_found")
	expect(t, do(t, a, "PUT", path("/api/v1/admin/stations/%d/duty-roster", station), other.admin, roster), 404, "station.not_found")
	expect(t, do(t, a, "GET", path("/api/v1/admin/stations/%d/duty-roster", station), other.supervisor, nil), 404, "station.not_found")
	if r := do(t, a, "GET", path("/api/v1/admin/stations/%d/duty-roster", station), sup1, nil); r.str("hours") == "08:00-12:00" {
		t.Fatalf("another district's supervisor changed the roster: %s", r.raw)
	}
	expect(t, do(t, a, "PUT", path("/api/v1/admin/stations/%d/duty-roster", station), sup1, roster), 200, "")
	expect(t, do(t, a, "PUT", path("/api/v1/admin/stations/%d/duty-roster", other.station), other.supervisor, roster), 200, "")
}

// Medium 12 (issue 16): one person holding both roles cannot approve both
// levels of a record's review; someone else takes the second.
func TestSecurityTwoLevelReviewNeedsTwoPeople(t *testing.T) {
	a := newTestApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}))
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	station := stationID(t, a, "双凤桥派出所")
	if _, err := a.svc.accounts.CreateStaff(t.Context(), domain.System, account.NewStaff{Username: "chief1", Name: "所长", Password: DemoPassword,
		Roles: []string{account.RolePolice, account.RoleSupervisor}, OrgID: station}); err != nil {
		t.Fatal(err)
	}
	chief, _ := staffLogin(t, a, "chief1")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "楼上漏水损坏天花板", "station_id": station, "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, filed, 201, "")
	id := filed.id()
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), chief, map[string]any{"classification": "civil"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "双方同意赔偿"}},
		"outcome":  "agreed", "risk_score": 30, "agreement": map[string]any{"terms": "赔偿维修费800元", "amount_fen": 80000, "judicial_confirmation": "pending"},
	}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), chief, map[string]any{"decision": "approve", "comment": "一级通过"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), chief, map[string]any{"decision": "approve"}), 403, "record.not_your_review")
	approved := do(t, a, "POST", path("/api/v1/requests/%d/approve", id), supervisor, map[string]any{"decision": "approve"})
	expect(t, approved, 200, "")
	if approved.str("review") != "approved" {
		t.Fatalf("review %s", approved.str("review"))
	}
}
