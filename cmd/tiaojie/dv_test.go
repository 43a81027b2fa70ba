package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// dvWarnings runs the warning evaluation and answers the subjects of the
// dv_household warnings the supervisor sees.
func dvWarnings(t *testing.T, a *application, token string) []string {
	t.Helper()
	if _, _, err := a.svc.warnings.ProcessPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := do(t, a, "GET", "/api/v1/warnings?limit=100", token, nil)
	expect(t, r, 200, "")
	var out []string
	for _, it := range r.body["items"].([]any) {
		x := it.(map[string]any)
		if x["rule_kind"] == "dv_household" {
			out = append(out, fmt.Sprint(x["subject"], " ", x["severity"], " ", x["count"]))
		}
	}
	sort.Strings(out)
	return out
}

// The seed's 案例三 with the demo accounts on MariaDB and Redis: a couple
// from a household staff flagged with a domestic-violence history come to
// the mediation room twice, each filing alone and neither writing of
// violence; the red dv_household warning fires on the household. A person
// flagged by phone marks the filings that name them as a party.
func TestDomesticViolenceFlagsDriveTheHouseholdWarning(t *testing.T) {
	a, box, _ := integrationApp(t)
	husband, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	wife, _ := citizenLogin(t, a, box, randomPhone())
	other, _ := citizenLogin(t, a, box, randomPhone())
	police1, _ := staffLogin(t, a, "police1")
	police2, _ := staffLogin(t, a, "police2")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	s1, s2 := stationID(t, a, "双凤桥派出所"), stationID(t, a, "回兴派出所")
	file := func(token string, station int64, category, place, description string, parties []map[string]string, key string) {
		t.Helper()
		expect(t, do(t, a, "POST", "/api/v1/requests", token, map[string]any{"kind": "mediation", "category": category, "description": description,
			"station_id": station, "place": place, "parties": parties}, "Idempotency-Key", key), 201, "")
	}

	// The demo household is flagged; the two filings say nothing of violence
	// and come from two people, the address typed two ways.
	file(husband, s1, "neighbour", "双凤桥街道碧津社区 3栋2单元", "楼上噪音影响休息，协商未果", []map[string]string{}, "dv-1")
	if got := dvWarnings(t, a, supervisor); len(got) != 0 {
		t.Fatalf("a warning after one visit: %v", got)
	}
	file(wife, s1, "family", "双凤桥街道碧津社区３栋２单元", "夫妻因家务琐事争吵，请求调解", []map[string]string{}, "dv-2")
	want := "household:" + strings.ReplaceAll(DemoDVHousehold, " ", "") + " red 2"
	if got := dvWarnings(t, a, supervisor); len(got) != 1 || got[0] != want {
		t.Fatalf("dv_household warnings %v, want [%s]", got, want)
	}

	// A person flagged by phone: filings naming them count, wherever filed.
	flagged := do(t, a, "POST", "/api/v1/dv-flags", police1, map[string]any{"kind": "person", "phone": "13900000055", "name": "赵某",
		"station_id": s1, "note": "曾因家暴被行政拘留"})
	expect(t, flagged, 201, "")
	if flagged.str("phone") != "139****0055" || flagged.body["address"] != nil {
		t.Fatalf("the flag shows %s", flagged.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/dv-flags", police2, map[string]any{"kind": "person", "phone": "13900000056", "station_id": s1}), 403, "dv_flag.not_your_station")
	expect(t, do(t, a, "POST", "/api/v1/dv-flags", police1, map[string]any{"kind": "household", "station_id": s1}), 422, "validation.failed")
	party := []map[string]string{{"name": "赵某", "phone": "13900000055", "relation": "前夫"}}
	file(other, s2, "debt", "回兴街道龙塔社区5号", "前夫拖欠抚养费", party, "dv-3")
	file(other, s2, "labour", "回兴街道龙塔社区5号", "前夫单位拖欠工资影响抚养费", party, "dv-4")
	if got := dvWarnings(t, a, supervisor); len(got) != 2 || got[1] != "household:回兴街道龙塔社区5号 red 2" {
		t.Fatalf("dv_household warnings %v, want the flagged party's household too", got)
	}

	// The flags are listed in scope, phones masked; clearing is in scope too.
	list := do(t, a, "GET", "/api/v1/dv-flags", police1, nil)
	expect(t, list, 200, "")
	if items := list.body["items"].([]any); len(items) != 2 || strings.Contains(string(list.raw), "13900000055") {
		t.Fatalf("police1's flags: %s", list.raw)
	}
	if items := do(t, a, "GET", "/api/v1/dv-flags", police2, nil).body["items"].([]any); len(items) != 0 {
		t.Fatalf("police2 sees another station's flags: %v", items)
	}
	expect(t, do(t, a, "DELETE", path("/api/v1/dv-flags/%d", flagged.id()), lawyer, nil), 403, "")
	expect(t, do(t, a, "DELETE", path("/api/v1/dv-flags/%d", flagged.id()), police2, nil), 404, "dv_flag.not_found")
	expect(t, do(t, a, "DELETE", path("/api/v1/dv-flags/%d", flagged.id()), police1, nil), 204, "")
	expect(t, do(t, a, "DELETE", path("/api/v1/dv-flags/%d", flagged.id()), police1, nil), 404, "dv_flag.not_found")

	// Cleared, the person no longer marks a filing: a new household naming
	// them twice raises nothing.
	file(other, s2, "debt", "回兴街道龙塔社区6号", "前夫拖欠抚养费", party, "dv-5")
	file(other, s2, "consumer", "回兴街道龙塔社区6号", "前夫拖欠抚养费", party, "dv-6")
	if got := dvWarnings(t, a, supervisor); len(got) != 2 {
		t.Fatalf("a cleared flag still counts: %v", got)
	}
}
