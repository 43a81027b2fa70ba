package mediation

import (
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// Audience is which view of a request someone gets. The filer (a citizen, or
// a family member filing for a detainee) follows their own matter: its
// progress, the sessions, the outcome and the agreement. The case file — the
// lawyer's risk assessment and notes, the review workflow and reviewers'
// comments — is the staff's working material and never leaves the staff side.
// Staff in turn see who filed, so that they can call the filer back.
type Audience string

const (
	AudienceFiler Audience = "filer"
	AudienceStaff Audience = "staff"
)

// staffRoles work cases; anyone holding none of them gets the filer's view.
var staffRoles = []string{RoleLawyer, RoleMediator, RolePolice, RoleSupervisor, RoleAdmin, RoleDetention, "partner"}

// AudienceOf says which view of a request a gets.
func AudienceOf(a domain.Actor) Audience {
	if a.Has(staffRoles...) {
		return AudienceStaff
	}
	return AudienceFiler
}

// SeesFullPhones reports whether a may see the phone numbers on r unmasked:
// the filer (their own entries) and those who must call the people — the
// case's lead and assistant, and the police. Everyone else sees them masked
// (domain.MaskPhone).
func SeesFullPhones(r *Request, a domain.Actor) bool {
	return a.UserID == r.FilerID || a.UserID == r.LeadID || a.UserID == r.AssistantID || a.Has(RolePolice)
}

// StaffOnlyNote reports whether an event's note is the staff's working
// material (a reviewer's comment on the record), which the filer's timeline
// shows without: the filer still sees that the record moved on, not what the
// reviewers wrote.
func StaffOnlyNote(e Event) bool { return strings.HasPrefix(e.Type, "record_") }

// Filer is who filed a request, as their account says now (an anonymised
// account gives empty fields). Stores fill it on reads; only staff views show it.
type Filer struct {
	Name  string
	Phone string
}
