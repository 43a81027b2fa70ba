package account

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// FirmScope says whose law-firm figures an actor sees: supervisors and
// admins every firm's (all); a firm's head their own firm's; anyone else
// none (forbidden — a lawyer sees only their own attendance and cases).
func (s *Service) FirmScope(ctx context.Context, a domain.Actor) (firmID int64, all bool, err error) {
	if a.Has(RoleSupervisor, RoleAdmin) {
		return 0, true, nil
	}
	if a.Has(RoleFirmHead) {
		u, err := s.Users.User(ctx, a.UserID)
		if err != nil {
			return 0, false, err
		}
		if u.FirmID != 0 {
			return u.FirmID, false, nil
		}
	}
	return 0, false, ErrNotYourFirm()
}

// FirmOf is the law firm of a person (0 for none).
func (s *Service) FirmOf(ctx context.Context, userID int64) (int64, error) {
	u, err := s.Users.User(ctx, userID)
	if domain.IsKind(err, domain.KindNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return u.FirmID, nil
}

// ErrNotYourFirm refuses figures of a firm the actor does not head.
func ErrNotYourFirm() error {
	return domain.Errorf(domain.KindForbidden, "firm.not_yours", "You see the figures of your own law firm only.")
}

// IsPartnerUnit reports whether id is a partner unit (a court, a justice
// bureau…), which may be handed an agreement for judicial confirmation.
func (s *Service) IsPartnerUnit(ctx context.Context, id int64) (bool, error) {
	o, err := s.Orgs.Org(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && o.Kind == OrgPartner, err
}
