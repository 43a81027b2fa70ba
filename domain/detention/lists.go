package detention

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

const policeRole = "police"

// JointFilter selects joint mediations for a list: those of Centres or
// inviting one of Units (at least one of them non-empty when asked),
// narrowed by state and detainee, paged by ID.
type JointFilter struct {
	Centres    []int64
	Units      []int64 // invited units: a partner's own list
	State      JointState
	DetaineeID int64
	BeforeID   int64 // cursor: mediations with a smaller ID (newest first)
	Limit      int
}

// FollowUpFilter selects follow-ups for a staff list: those of Centres or
// of Stations (at least one of them non-empty when asked), narrowed by
// state, paged by ID.
type FollowUpFilter struct {
	Centres  []int64
	Stations []int64
	State    FollowUpState
	BeforeID int64 // cursor: follow-ups with a smaller ID (newest first)
	Limit    int
}

// JointListItem is a joint mediation as the centre's list shows it: with
// whom it is about, and the caller's own feedback on it (nil: none).
type JointListItem struct {
	JointMediation
	DetaineeName string
	MyFeedback   *Feedback
}

// ListJoints pages the joint mediations the actor takes part in, newest
// first: those of the centres they work, and those their own unit was
// invited to (a court's, a justice office's or a firm's staff find the
// joint mediations they consulted on, to rate them once decided).
func (s *Custody) ListJoints(ctx context.Context, a domain.Actor, f JointFilter) ([]JointListItem, error) {
	switch f.State {
	case "", JointConsulting, JointAgreed, JointFailed:
	default:
		return nil, domain.Invalid(domain.FieldError{Field: "state", Code: domain.FieldInvalid, Message: "is consulting, agreed or failed"})
	}
	mine, err := s.centresOf(ctx, a)
	if err != nil {
		return nil, err
	}
	f.Centres, f.Units = mine, nil
	if a.OrgID != 0 && !a.Has(citizenRole) {
		f.Units = []int64{a.OrgID}
	}
	if len(f.Centres) == 0 && len(f.Units) == 0 {
		return nil, nil
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	list, err := s.Joints.Joints(ctx, f)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	names := map[int64]string{}
	out := make([]JointListItem, len(list))
	ids := make([]int64, len(list))
	for i, j := range list {
		name, ok := names[j.DetaineeID]
		if !ok {
			d, err := s.Detainees.Detainee(ctx, j.DetaineeID)
			if err != nil {
				return nil, err
			}
			name, names[j.DetaineeID] = d.Name, d.Name
		}
		out[i], ids[i] = JointListItem{JointMediation: j, DetaineeName: name}, j.ID
	}
	rated, err := feedbackOf(ctx, s.Feedback, a.UserID, FeedbackJoint, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].MyFeedback = given(rated, out[i].ID)
	}
	return out, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "joint_mediation.list", "joint_mediation", ids))
}

// ListFollowUps pages the follow-ups the actor takes part in, newest first:
// those of the centres they work and of the home stations they reach
// (police of the station, supervisors and admins above it).
func (s *Custody) ListFollowUps(ctx context.Context, a domain.Actor, f FollowUpFilter) ([]FollowUpView, error) {
	switch f.State {
	case "", FollowUpOpen, FollowUpVisiting, FollowUpAssessed, FollowUpClosed:
	default:
		return nil, domain.Invalid(domain.FieldError{Field: "state", Code: domain.FieldInvalid, Message: "is open, visiting, assessed or closed"})
	}
	centres, err := s.centresOf(ctx, a)
	if err != nil {
		return nil, err
	}
	stations, err := s.stationsOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(centres) == 0 && len(stations) == 0 {
		return nil, nil
	}
	f.Centres, f.Stations = centres, stations
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	list, err := s.FollowUps.FollowUps(ctx, f)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]FollowUpView, len(list))
	ids := make([]int64, len(list))
	for i, fu := range list {
		d, err := s.Detainees.Detainee(ctx, fu.DetaineeID)
		if err != nil {
			return nil, err
		}
		out[i], ids[i] = FollowUpView{FollowUp: fu, Detainee: *d}, fu.ID
	}
	return out, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "follow_up.list", "follow_up", ids))
}

// stationsOf are the police stations whose follow-ups the actor sees.
func (s *Custody) stationsOf(ctx context.Context, a domain.Actor) ([]int64, error) {
	if a.OrgID == 0 || !a.Has(policeRole, supervisorRole, adminRole) {
		return nil, nil
	}
	all, err := s.Orgs.OrgsOfKind(ctx, OrgKindStation)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, st := range all {
		if ok, err := s.reaches(ctx, a, st.ID); err != nil {
			return nil, err
		} else if ok {
			out = append(out, st.ID)
		}
	}
	return out, nil
}

// JointUnitKinds are the kinds of organisation a joint mediation invites:
// partner units (法院执行局, 妇联 …), justice offices, law firms and police
// stations.
var JointUnitKinds = []string{"partner", "justice_office", "law_firm", OrgKindStation}

// JointUnits lists the units a joint mediation may invite (for pickers),
// and names the authors' units of a consultation thread.
func (s *Custody) JointUnits(ctx context.Context) ([]Org, error) {
	var out []Org
	for _, k := range JointUnitKinds {
		list, err := s.Orgs.OrgsOfKind(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}
