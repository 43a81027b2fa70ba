package detention

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// FamilyDetainee is a detainee as a registered family member sees them in
// the phone app: who, where and until when — not the centre's profile.
type FamilyDetainee struct {
	Detainee     Detainee
	CentreName   string
	Relationship string
}

// MyDetainees lists the detainees the calling citizen is registered family
// of (linked by a centre), oldest link first, so the family app can book
// visits and file for them. Reading the list is audited.
func (s *Custody) MyDetainees(ctx context.Context, a domain.Actor) ([]FamilyDetainee, error) {
	if !a.Has(citizenRole) {
		return nil, domain.Errorf(domain.KindForbidden, "auth.role_forbidden", "Only a citizen has family links.")
	}
	links, err := s.Detainees.FamilyLinksOf(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]FamilyDetainee, 0, len(links))
	ids := make([]int64, 0, len(links))
	names := map[int64]string{}
	for _, l := range links {
		d, err := s.Detainees.Detainee(ctx, l.DetaineeID)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		name, ok := names[d.CentreID]
		if !ok {
			o, err := s.Orgs.Org(ctx, d.CentreID)
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return nil, err
			}
			name, names[d.CentreID] = o.Name, o.Name
		}
		out = append(out, FamilyDetainee{Detainee: *d, CentreName: name, Relationship: l.Relationship})
		ids = append(ids, d.ID)
	}
	return out, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "detainee.family_list", "detainee", ids))
}
