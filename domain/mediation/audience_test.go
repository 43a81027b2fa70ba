package mediation

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

func TestWhoSeesWhat(t *testing.T) {
	r := &Request{FilerID: 1, LeadID: 2, AssistantID: 3}
	for _, c := range []struct {
		name     string
		actor    domain.Actor
		audience Audience
		full     bool
	}{
		{"the filer gets the filer's view and their own phones", domain.Actor{UserID: 1, Roles: []string{RoleCitizen}}, AudienceFiler, true},
		{"another citizen gets the filer's view, phones masked", domain.Actor{UserID: 9, Roles: []string{RoleCitizen}}, AudienceFiler, false},
		{"the lead lawyer is staff and calls people", domain.Actor{UserID: 2, Roles: []string{RoleLawyer}}, AudienceStaff, true},
		{"the assistant officer is staff and calls people", domain.Actor{UserID: 3, Roles: []string{RolePolice}}, AudienceStaff, true},
		{"any police officer sees phones in full", domain.Actor{UserID: 8, Roles: []string{RolePolice}}, AudienceStaff, true},
		{"a lawyer not on the case sees phones masked", domain.Actor{UserID: 7, Roles: []string{RoleLawyer}}, AudienceStaff, false},
		{"a supervisor sees the case file, phones masked", domain.Actor{UserID: 6, Roles: []string{RoleSupervisor}}, AudienceStaff, false},
		{"detention staff are staff", domain.Actor{UserID: 5, Roles: []string{RoleDetention}}, AudienceStaff, false},
		{"a partner unit is staff", domain.Actor{UserID: 4, Roles: []string{"partner"}}, AudienceStaff, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := AudienceOf(c.actor); got != c.audience {
				t.Errorf("audience %s, want %s", got, c.audience)
			}
			if got := SeesFullPhones(r, c.actor); got != c.full {
				t.Errorf("full phones %v, want %v", got, c.full)
			}
		})
	}
	if !StaffOnlyNote(Event{Type: "record_approve"}) || StaffOnlyNote(Event{Type: "close"}) {
		t.Error("reviewers' notes (record_*) are staff-only, a closing note is not")
	}
}
