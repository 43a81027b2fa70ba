package account

// Roles of the product (see SPEC.md, "Who uses it").
const (
	RoleCitizen           = "citizen"
	RoleLawyer            = "lawyer"
	RoleMediator          = "mediator"
	RolePolice            = "police"
	RoleDetentionStaff    = "detention_staff"
	RoleDetentionTerminal = "detention_terminal" // a detention-centre video terminal
	RolePartner           = "partner"
	RoleSupervisor        = "supervisor"
	RoleAdmin             = "admin"
	// RoleFirmHead is a lawyer who heads their law firm (律所主任): besides
	// their own cases they see the firm's lawyers, cases, attendance,
	// assessment and subsidies — their firm's only. Admins give it, always
	// together with lawyer, to an account with a firm.
	RoleFirmHead = "firm_head"
)

// StaffRoles are the roles an admin may give a staff account.
var StaffRoles = []string{RoleLawyer, RoleMediator, RolePolice, RoleDetentionStaff, RoleDetentionTerminal, RolePartner, RoleSupervisor, RoleAdmin, RoleFirmHead}

// AllRoles lists every role, citizens included.
var AllRoles = append([]string{RoleCitizen}, StaffRoles...)

func isStaffRole(r string) bool {
	for _, s := range StaffRoles {
		if s == r {
			return true
		}
	}
	return false
}

// DistrictWide reports whether a role sees every station of its district
// subtree rather than only its own organisation.
func DistrictWide(roles []string) bool {
	for _, r := range roles {
		if r == RoleSupervisor || r == RoleAdmin {
			return true
		}
	}
	return false
}
