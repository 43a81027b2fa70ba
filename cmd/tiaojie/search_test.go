package main

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func tagsOf(r reply) string {
	var out []string
	items, _ := r.body["tags"].([]any)
	for _, it := range items {
		out = append(out, it.(string))
	}
	return strings.Join(out, ",")
}

func idsOf(r reply) string {
	var out []string
	items, _ := r.body["items"].([]any)
	for _, it := range items {
		out = append(out, strconv.FormatInt(int64(it.(map[string]any)["id"].(float64)), 10))
	}
	return strings.Join(out, ",")
}

// Tags (自选标签) and custom search (自定义检索) with the demo accounts on
// MariaDB and Redis: staff tag the cases they see from the district's and
// station's vocabulary or freely; search finds cases by party phone, name,
// community, tag and dates within the caller's stations only; the CSV
// export masks phones; every search is audited without the number.
func TestTagsAndCustomSearchThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police1, _ := staffLogin(t, a, "police1")
	police2, _ := staffLogin(t, a, "police2")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	admin, _ := staffLogin(t, a, "admin")
	s1, s2 := stationID(t, a, "双凤桥派出所"), stationID(t, a, "回兴派出所")

	file := func(station int64, category, place, party, phone, key string) int64 {
		r := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{
			"kind": "mediation", "category": category, "description": "多次协商未果，请求调解", "station_id": station, "place": place,
			"parties": []map[string]string{{"name": party, "phone": phone, "relation": "对方"}},
		}, "Idempotency-Key", key)
		expect(t, r, 201, "")
		return r.id()
	}
	one := file(s1, "family", "双凤桥街道碧津社区1栋", "王五", "13900000001", "search-1")
	two := file(s2, "debt", "回兴街道", "李四", "13900000002", "search-2")

	// The vocabulary of station 1: the district's suggestions and its own.
	voc := do(t, a, "GET", path("/api/v1/tag-vocabulary?station_id=%d", s1), police1, nil)
	expect(t, voc, 200, "")
	if !strings.Contains(string(voc.raw), "家暴史") || !strings.Contains(string(voc.raw), "高空抛物") {
		t.Fatalf("station 1's vocabulary lacks the demo district's or station's tags: %s", voc.raw)
	}
	expect(t, do(t, a, "GET", path("/api/v1/tag-vocabulary?station_id=%d", s1), police2, nil), 403, "tag.not_your_station")
	added := do(t, a, "POST", "/api/v1/tag-vocabulary", police1, map[string]any{"org_id": s1, "name": "邻里停车"})
	expect(t, added, 201, "")
	expect(t, do(t, a, "POST", "/api/v1/tag-vocabulary", police1, map[string]any{"org_id": s1, "name": "邻里停车"}), 409, "tag_vocabulary.exists")
	expect(t, do(t, a, "POST", "/api/v1/tag-vocabulary", police2, map[string]any{"org_id": s1, "name": "别人的"}), 403, "tag_vocabulary.not_yours")
	expect(t, do(t, a, "DELETE", path("/api/v1/tag-vocabulary/%d", added.id()), police2, nil), 404, "tag_vocabulary.not_found")
	expect(t, do(t, a, "DELETE", path("/api/v1/tag-vocabulary/%d", added.id()), police1, nil), 204, "")

	// Tagging: from the vocabulary or free; the same tag twice is one tag.
	tagURL := path("/api/v1/requests/%d/tags", one)
	expect(t, do(t, a, "POST", tagURL, police1, map[string]string{"tag": "家暴史"}), 200, "")
	again := do(t, a, "POST", tagURL, police1, map[string]string{"tag": "家暴史"})
	free := do(t, a, "POST", tagURL, supervisor, map[string]string{"tag": "碧津重点户"})
	if tagsOf(again) != "家暴史" || tagsOf(free) != "家暴史,碧津重点户" {
		t.Fatalf("tags after adding twice %q, after a free tag %q", tagsOf(again), tagsOf(free))
	}
	expect(t, do(t, a, "POST", tagURL, police2, map[string]string{"tag": "家暴史"}), 404, "request.not_found")
	expect(t, do(t, a, "POST", tagURL, citizen, map[string]string{"tag": "家暴史"}), 403, "")
	expect(t, do(t, a, "POST", tagURL, police1, map[string]string{"tag": "a,b"}), 422, "validation.failed")
	if d := do(t, a, "GET", path("/api/v1/requests/%d", one), police1, nil); tagsOf(d) != "家暴史,碧津重点户" {
		t.Fatalf("the case page shows tags %q", tagsOf(d))
	}
	if d := do(t, a, "GET", path("/api/v1/requests/%d", one), citizen, nil); d.status != 200 || tagsOf(d) != "" {
		t.Fatalf("the filer sees staff tags %q (%d)", tagsOf(d), d.status)
	}
	removeURL := tagURL + "/" + url.PathEscape("碧津重点户")
	if r := do(t, a, "DELETE", removeURL, police1, nil); r.status != 200 || tagsOf(r) != "家暴史" {
		t.Fatalf("remove: %d %s", r.status, r.raw)
	}
	expect(t, do(t, a, "DELETE", removeURL, police1, nil), 404, "tag.not_found")

	// Statistics group by tag; the total still counts each case once.
	st := do(t, a, "GET", "/api/v1/stats/requests?group_by=tag", supervisor, nil)
	expect(t, st, 200, "")
	rowsByTag, _ := st.body["rows"].([]any)
	total, _ := st.body["total"].(map[string]any)
	if len(rowsByTag) != 1 || rowsByTag[0].(map[string]any)["key"] != "家暴史" || rowsByTag[0].(map[string]any)["filed"] != 1.0 || total["filed"] != 2.0 {
		t.Fatalf("statistics by tag: %s", st.raw)
	}

	// Search within the caller's stations.
	today := time.Now().In(a.cfg.HTTP.Location).Format("2006-01-02")
	for _, tc := range []struct {
		name, token, query, want string
	}{
		{"a party's phone at the officer's station", police1, "party_phone=13900000001", fmt.Sprint(one)},
		{"the same phone from another station finds nothing", police2, "party_phone=13900000001", ""},
		{"the filer's phone across the district", supervisor, "party_phone=" + DemoCitizenPhone, fmt.Sprintf("%d,%d", two, one)},
		// (the demo's concluded case at 两路 was filed by 李四 too: the station narrows it)
		{"a name from its start", supervisor, fmt.Sprintf("station_id=%d&party_name=", s2) + url.QueryEscape("李"), fmt.Sprint(two)},
		{"a community", supervisor, "place=" + url.QueryEscape("碧津社区"), fmt.Sprint(one)},
		{"a tag", supervisor, "tag=" + url.QueryEscape("家暴史"), fmt.Sprint(one)},
		{"a category and station", supervisor, fmt.Sprintf("category=debt&station_id=%d", s2), fmt.Sprint(two)},
		{"today's filings", supervisor, "from=" + today + "&to=" + today, fmt.Sprintf("%d,%d", two, one)},
		{"a status", supervisor, "status=closed", ""},
	} {
		r := do(t, a, "GET", "/api/v1/search/requests?"+tc.query, tc.token, nil)
		if r.status != 200 || idsOf(r) != tc.want {
			t.Errorf("%s: %d %s, want ids [%s]", tc.name, r.status, r.raw, tc.want)
		}
	}
	expect(t, do(t, a, "GET", "/api/v1/search/requests?party_phone=139", supervisor, nil), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/search/requests?from=yesterday", supervisor, nil), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/search/requests", citizen, nil), 403, "")

	// The export: Chinese headers and labels, phones masked, tags joined.
	csv := do(t, a, "GET", "/api/v1/search/requests?format=csv&party_name="+url.QueryEscape("王"), supervisor, nil)
	expect(t, csv, 200, "")
	rows := expectReadableCSV(t, "search", csv.raw, "派出所", "类型", "类别", "状态")
	if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "王五(139****0001)") || !strings.Contains(strings.Join(rows[1], "|"), "家暴史") {
		t.Fatalf("export rows %q", rows)
	}
	if strings.Contains(string(csv.raw), "13900000001") {
		t.Fatal("the export holds a phone number in full")
	}

	// Every search is audited, the phone masked in the log.
	sup := demoUserNamed(t, a, "supervisor1")
	audit := do(t, a, "GET", path("/api/v1/admin/audit-log?actor_id=%d&resource_type=request&limit=100", sup), admin, nil)
	expect(t, audit, 200, "")
	searches, exports := 0, 0
	for _, it := range audit.body["items"].([]any) {
		e := it.(map[string]any)
		switch e["action"] {
		case "request.search":
			searches++
		case "request.export":
			exports++
		}
		if d, _ := e["detail"].(string); strings.Contains(d, DemoCitizenPhone) {
			t.Fatalf("the audit log holds a searched phone in full: %q", d)
		}
	}
	if searches != 7 || exports != 1 {
		t.Fatalf("audited %d searches and %d exports by the supervisor, want 7 and 1 (the refused ones are not searches)", searches, exports)
	}
}
