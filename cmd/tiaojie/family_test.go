package main

import "testing"

// A family member finds the detainees a centre linked them to (the family
// app's 我的家属): only their own links, with the centre's name; a citizen
// linked to nobody gets an empty list, staff are refused.
func TestFamilySeesTheirDetainees(t *testing.T) {
	a, box, _ := integrationApp(t)
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	stranger, _ := citizenLogin(t, a, box, randomPhone())
	police, _ := staffLogin(t, a, "police1")

	r := do(t, a, "GET", "/api/v1/me/detainees", family, nil)
	expect(t, r, 200, "")
	list := r.bodyList()
	if len(list) != 1 || list[0]["name"] != "刘某" || list[0]["relationship"] != "配偶" || list[0]["status"] != "detained" ||
		list[0]["centre_name"] != "渝北区拘留所" || list[0]["punishment_to"] == "" {
		t.Fatalf("the demo citizen's detainees: %s", r.raw)
	}
	if _, leaked := list[0]["id_number_masked"]; leaked {
		t.Fatalf("the family view carries the centre's record: %s", r.raw)
	}

	r = do(t, a, "GET", "/api/v1/me/detainees", stranger, nil)
	expect(t, r, 200, "")
	if string(r.raw) != "[]" {
		t.Fatalf("a citizen linked to nobody got %s", r.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/me/detainees", police, nil), 403, "")
	expect(t, do(t, a, "GET", "/api/v1/me/detainees", "", nil), 401, "")
}
