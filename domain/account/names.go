package account

import (
	"context"
	"slices"

	"github.com/tiaojie/tiaojie/domain"
)

// MaxNamesAsked is how many accounts one names look-up may name.
const MaxNamesAsked = 100

// StaffName is a staff member as colleagues see them on a case: a name and
// the roles, nothing that reaches them (no phone, username or organisation).
type StaffName struct {
	ID    int64
	Name  string
	Roles []string
}

// StaffNames answers the names of the staff accounts among ids, so that a
// case page shows "李警官" where the case names an officer, a reviewer or a
// court's clerk. Citizens' and family members' accounts and unknown IDs are
// left out: a citizen's name reaches staff only through a case they may see.
func (s *Service) StaffNames(ctx context.Context, ids []int64) ([]StaffName, error) {
	if len(ids) > MaxNamesAsked {
		return nil, domain.Invalid(domain.FieldError{Field: "ids", Code: domain.FieldOutOfRange, Message: "at most 100 IDs"})
	}
	seen := map[int64]bool{}
	out := []StaffName{}
	for _, id := range ids {
		if id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		u, err := s.Users.User(ctx, id)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(u.Roles, func(r string) bool { return slices.Contains(StaffRoles, r) }) {
			continue
		}
		out = append(out, StaffName{ID: u.ID, Name: u.Name, Roles: append([]string(nil), u.Roles...)})
	}
	return out, nil
}

// PartnerUnits are the partner organisations (courts, the women's
// federation…) a case may be handed to, for pickers.
func (s *Service) PartnerUnits(ctx context.Context) ([]Org, error) {
	return s.Orgs.Orgs(ctx, OrgPartner, "")
}
