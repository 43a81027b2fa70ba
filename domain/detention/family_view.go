package detention

import (
	"cmp"
	"context"
	"slices"

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

// FamilyJoint is a joint mediation as the detainee's registered family
// sees it in the phone app: about whom, where, which business line, how it
// stands and how it ended, and their own feedback on it (nil: none yet) —
// not the consultation thread, the partner units, the notes or an early
// release.
type FamilyJoint struct {
	Joint        JointMediation
	DetaineeName string
	CentreName   string
	LineName     string
	MyFeedback   *Feedback
}

// MyJoints lists the joint mediations of the detainees the calling citizen
// is registered family of, newest first, so the family app can rate a
// decided one (拘调融合: 服务完成后，用户可通过应用进行意见反馈). Reading the
// list is audited.
func (s *Custody) MyJoints(ctx context.Context, a domain.Actor) ([]FamilyJoint, error) {
	if !a.Has(citizenRole) {
		return nil, domain.Errorf(domain.KindForbidden, "auth.role_forbidden", "Only a citizen has family links.")
	}
	links, err := s.Detainees.FamilyLinksOf(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	var out []FamilyJoint
	seen := map[int64]bool{}
	centres := map[int64]string{}
	for _, l := range links {
		if seen[l.DetaineeID] {
			continue
		}
		seen[l.DetaineeID] = true
		d, err := s.Detainees.Detainee(ctx, l.DetaineeID)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		joints, err := s.Joints.JointsOf(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, j := range joints {
			name, ok := centres[j.CentreID]
			if !ok {
				o, err := s.Orgs.Org(ctx, j.CentreID)
				if err != nil && !domain.IsKind(err, domain.KindNotFound) {
					return nil, err
				}
				name, centres[j.CentreID] = o.Name, o.Name
			}
			line, _ := s.businessLine(j.BusinessLine)
			out = append(out, FamilyJoint{Joint: j, DetaineeName: d.Name, CentreName: name, LineName: line.Name})
		}
	}
	slices.SortFunc(out, func(x, y FamilyJoint) int { return cmp.Compare(y.Joint.ID, x.Joint.ID) })
	ids := make([]int64, len(out))
	for i := range out {
		ids[i] = out[i].Joint.ID
	}
	mine, err := feedbackOf(ctx, s.Feedback, a.UserID, FeedbackJoint, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].MyFeedback = given(mine, ids[i])
	}
	if out == nil {
		out = []FamilyJoint{}
	}
	return out, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "joint_mediation.family_list", "joint_mediation", ids))
}
