package account

import "testing"

// firm_head goes with lawyer, and a new head belongs to a firm.
func TestFirmHeadRole(t *testing.T) {
	cases := []struct {
		name  string
		roles []string
		firm  int64
		ok    bool
	}{
		{"a lawyer of a firm may head it", []string{RoleLawyer, RoleFirmHead}, 7, true},
		{"firm_head alone is refused: a head is one of the firm's lawyers", []string{RoleFirmHead}, 7, false},
		{"a police officer cannot head a firm", []string{RolePolice, RoleFirmHead}, 7, false},
		{"a head without a firm is refused", []string{RoleLawyer, RoleFirmHead}, 0, false},
		{"a lawyer without firm_head needs no firm", []string{RoleLawyer}, 0, true},
	}
	for _, tc := range cases {
		n := NewStaff{Username: "chen", Name: "陈律师", Password: "long-enough-password", Roles: tc.roles, OrgID: 3, FirmID: tc.firm}
		if err := n.validate(); (err == nil) != tc.ok {
			t.Errorf("%s: validate = %v", tc.name, err)
		}
	}
}
