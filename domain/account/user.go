package account

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// User is an account.
type User struct {
	ID           int64
	Username     string // staff
	Phone        string // citizens (and staff who give one)
	Name         string
	Roles        []string
	OrgID        int64 // staff: their organisation
	FirmID       int64 // lawyers: their law firm
	StationIDs   []int64
	PasswordHash string
	MiniAppID    string // the mini-program identity linked to a citizen
	Disabled     bool
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Has reports whether the user holds role r.
func (u *User) Has(r string) bool {
	for _, have := range u.Roles {
		if have == r {
			return true
		}
	}
	return false
}

// Actor is the user as the rules of other areas see them.
func (u *User) Actor() domain.Actor {
	return domain.Actor{UserID: u.ID, Roles: append([]string(nil), u.Roles...), OrgID: u.OrgID}
}

var (
	mobile   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	username = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)
)

func validUsername(s string) bool { return username.MatchString(s) }

// ParsePhone checks a mainland mobile number.
func ParsePhone(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !mobile.MatchString(s) {
		return "", domain.Invalid(domain.FieldError{Field: field, Code: domain.FieldInvalid, Message: "must be an 11-digit mobile number"})
	}
	return s, nil
}

// NewStaff is what an admin fills in to create a staff account.
type NewStaff struct {
	Username   string
	Name       string
	Password   string
	Roles      []string
	OrgID      int64
	FirmID     int64
	StationIDs []int64
	Phone      string
}

// MinPasswordLen is the shortest staff password accepted.
const MinPasswordLen = 10

func (n *NewStaff) validate() error {
	n.Username, n.Name, n.Phone = strings.TrimSpace(strings.ToLower(n.Username)), strings.TrimSpace(n.Name), strings.TrimSpace(n.Phone)
	var p domain.Problems
	if !username.MatchString(n.Username) {
		p.Add("username", domain.FieldInvalid, "3–32 lowercase letters, digits, _ . -, starting with a letter")
	}
	if n.Name == "" {
		p.Add("name", domain.FieldRequired, "is required")
	} else if utf8.RuneCountInString(n.Name) > 50 {
		p.Add("name", domain.FieldTooLong, "is too long")
	}
	if err := validatePassword(n.Password); err != nil {
		p.Add("password", domain.FieldTooShort, "at least 10 characters")
	}
	if err := validateStaffRoles(n.Roles); err != nil {
		p.Add("roles", domain.FieldUnsupported, err.Error())
	}
	if n.OrgID <= 0 {
		p.Add("org_id", domain.FieldRequired, "a staff account belongs to an organisation")
	}
	if slices.Contains(n.Roles, RoleFirmHead) && n.FirmID <= 0 {
		p.Add("firm_id", domain.FieldRequired, "a firm's head belongs to a law firm")
	}
	if n.Phone != "" && !mobile.MatchString(n.Phone) {
		p.Add("phone", domain.FieldInvalid, "must be an 11-digit mobile number")
	}
	return p.Err()
}

func validatePassword(pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLen || len(pw) > 128 {
		return domain.Invalid(domain.FieldError{Field: "password", Code: domain.FieldTooShort, Message: "at least 10 characters"})
	}
	return nil
}

func validateStaffRoles(roles []string) error {
	if len(roles) == 0 || len(roles) > 4 {
		return domain.Errorf(domain.KindInvalid, "validation.failed", "give one to four staff roles")
	}
	for _, r := range roles {
		if !isStaffRole(r) {
			return domain.Errorf(domain.KindInvalid, "validation.failed", "%q is not a staff role", r)
		}
	}
	if slices.Contains(roles, RoleFirmHead) && !slices.Contains(roles, RoleLawyer) {
		return domain.Errorf(domain.KindInvalid, "validation.failed", "firm_head goes with lawyer: a firm's head is one of its lawyers")
	}
	return nil
}
