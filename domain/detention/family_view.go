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
	links, err := s.familyLinks(ctx, a)
	if err != nil {
		return nil, err
	}
	out := make([]FamilyDetainee, 0, len(links))
	ids := make([]int64, 0, len(links))
	centres := centreNames{orgs: s.Orgs}
	for _, l := range links {
		d, err := s.Detainees.Detainee(ctx, l.DetaineeID)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		name, err := centres.name(ctx, d.CentreID)
		if err != nil {
			return nil, err
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
	links, err := s.familyLinks(ctx, a)
	if err != nil {
		return nil, err
	}
	var out []FamilyJoint
	seen := map[int64]bool{}
	centres := centreNames{orgs: s.Orgs}
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
			name, err := centres.name(ctx, j.CentreID)
			if err != nil {
				return nil, err
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

// familyLinks are the calling citizen's links to detainees.
func (s *Custody) familyLinks(ctx context.Context, a domain.Actor) ([]FamilyLink, error) {
	if !a.Has(citizenRole) {
		return nil, domain.Errorf(domain.KindForbidden, "auth.role_forbidden", "Only a citizen has family links.")
	}
	return s.Detainees.FamilyLinksOf(ctx, a.UserID)
}

// centreNames names the centres of a family's list, each read once (a
// centre gone from the directory has no name).
type centreNames struct {
	orgs  Orgs
	names map[int64]string
}

func (c *centreNames) name(ctx context.Context, id int64) (string, error) {
	if name, ok := c.names[id]; ok {
		return name, nil
	}
	o, err := c.orgs.Org(ctx, id)
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return "", err
	}
	if c.names == nil {
		c.names = map[int64]string{}
	}
	c.names[id] = o.Name
	return o.Name, nil
}
