package mediation

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// RoleFirmHead is a lawyer heading their law firm (the account area
// defines it): they see the cases the firm's lawyers lead, assist or were
// chosen for.
const RoleFirmHead = "firm_head"

// Firms answers the law-firm view: the firm a firm's head heads, and a
// person's firm (0 for none).
type Firms interface {
	FirmScope(ctx context.Context, a domain.Actor) (firmID int64, all bool, err error)
	FirmOf(ctx context.Context, userID int64) (int64, error)
}

// firmView reports whether the actor reads as a firm's head (and not through
// a wider role), with their firm.
func (s *Service) firmView(ctx context.Context, a domain.Actor) (int64, bool, error) {
	if s.Firms == nil || !a.Has(RoleFirmHead) || a.Has(RolePolice, RoleSupervisor, RoleAdmin) {
		return 0, false, nil
	}
	firm, _, err := s.Firms.FirmScope(ctx, a)
	if domain.IsKind(err, domain.KindForbidden) { // a head without a firm reads as a lawyer
		return 0, false, nil
	}
	return firm, err == nil, err
}

// ledByFirm reports whether the lead, the assistant or the chosen lawyer of
// r is of the firm.
func (s *Service) ledByFirm(ctx context.Context, r *Request, firm int64) (bool, error) {
	for _, id := range []int64{r.LeadID, r.AssistantID, r.Filing.ChosenID} {
		if id == 0 {
			continue
		}
		f, err := s.Firms.FirmOf(ctx, id)
		if err != nil || f == firm {
			return err == nil, err
		}
	}
	return false, nil
}
