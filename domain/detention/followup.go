package detention

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// FollowUp is the follow-up after a release (跟踪回访): the home station
// visits the person and assesses their social behaviour; the case is closed
// (结案销号) only when the centre signs it off.
type FollowUp struct {
	ID             int64
	DetaineeID     int64
	CentreID       int64
	StationID      int64 // the home station that does the visits
	State          FollowUpState
	ReleasedOn     time.Time
	DueAt          time.Time // release day + FollowUpDays
	Assessment     string    // Assess* values; empty until assessed
	AssessmentNote string
	AssessedBy     int64
	AssessedAt     *time.Time
	ClosedBy       int64
	ClosedAt       *time.Time
	CloseNote      string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int
}

// FollowUpState is where a follow-up stands.
type FollowUpState string

const (
	FollowUpOpen     FollowUpState = "open"     // released, nobody visited yet
	FollowUpVisiting FollowUpState = "visiting" // visited at least once
	FollowUpAssessed FollowUpState = "assessed" // social behaviour assessed
	FollowUpClosed   FollowUpState = "closed"   // signed off: 结案销号
)

// FollowUpAction is what staff do to a follow-up.
type FollowUpAction string

const (
	ActionVisit   FollowUpAction = "visit"
	ActionAssess  FollowUpAction = "assess"
	ActionSignOff FollowUpAction = "close"
)

// followUpMoves is the state machine: a visit must come before the
// assessment, the assessment before the sign-off, and nothing after it.
// More visits and a revised assessment are allowed until then.
var followUpMoves = map[FollowUpState]map[FollowUpAction]FollowUpState{
	FollowUpOpen:     {ActionVisit: FollowUpVisiting},
	FollowUpVisiting: {ActionVisit: FollowUpVisiting, ActionAssess: FollowUpAssessed},
	FollowUpAssessed: {ActionVisit: FollowUpAssessed, ActionAssess: FollowUpAssessed, ActionSignOff: FollowUpClosed},
}

// NextFollowUp is the state after action, or a failed precondition.
func NextFollowUp(from FollowUpState, action FollowUpAction) (FollowUpState, error) {
	if to, ok := followUpMoves[from][action]; ok {
		return to, nil
	}
	msg := map[FollowUpAction]string{
		ActionVisit:   "The follow-up is closed.",
		ActionAssess:  "Record a visit before the assessment.",
		ActionSignOff: "Assess the person's social behaviour before signing off.",
	}[action]
	if from == FollowUpClosed {
		msg = "The follow-up is closed."
	}
	return from, domain.Errorf(domain.KindFailedPrecondition, "follow_up.illegal_transition", "%s", msg)
}

// FollowUpVisit is one visit of a follow-up.
type FollowUpVisit struct {
	ID         int64
	FollowUpID int64
	On         time.Time
	Method     string // VisitMethods
	Note       string
	RecordedBy int64
	CreatedAt  time.Time
}

// VisitMethods are how a follow-up visit happens: 上门走访, 电话回访,
// 视频回访, 约谈, other.
var VisitMethods = []string{"home", "phone", "video", "interview", "other"}

// Social-behaviour assessments.
const (
	AssessGood = "good"
	AssessFair = "fair"
	AssessPoor = "poor"
)

// FollowUpView is a follow-up with its visits and whom it is about.
type FollowUpView struct {
	FollowUp FollowUp
	Visits   []FollowUpVisit
	Detainee Detainee
}

// FollowUp is a follow-up the actor may see: staff of the home station and
// of the centre (and supervisors above either). Reading it is audited.
func (s *Custody) FollowUp(ctx context.Context, a domain.Actor, id int64) (*FollowUpView, error) {
	f, _, err := s.visibleFollowUp(ctx, a, id)
	if err != nil {
		return nil, err
	}
	v := &FollowUpView{FollowUp: *f}
	if v.Visits, err = s.FollowUps.FollowUpVisits(ctx, id); err != nil {
		return nil, err
	}
	d, err := s.Detainees.Detainee(ctx, f.DetaineeID)
	if err != nil {
		return nil, err
	}
	v.Detainee = *d
	return v, s.audit(ctx, a, s.Clock.Now(), "follow_up.read", "follow_up", id, "")
}

// NewFollowUpVisit is a visit the home station records.
type NewFollowUpVisit struct {
	On     time.Time
	Method string
	Note   string
}

// AddFollowUpVisit records a visit (home station staff).
func (s *Custody) AddFollowUpVisit(ctx context.Context, a domain.Actor, id int64, n NewFollowUpVisit) (*FollowUp, error) {
	var p domain.Problems
	if n.On.IsZero() {
		p.Add("date", domain.FieldRequired, "is required")
	} else if n.On.After(s.Clock.Now()) {
		p.Add("date", domain.FieldOutOfRange, "is in the future")
	}
	if !slices.Contains(VisitMethods, n.Method) {
		p.Add("method", domain.FieldInvalid, "is one of "+strings.Join(VisitMethods, ", "))
	}
	n.Note = checkText(&p, "note", n.Note, true, 2000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.actOnFollowUp(ctx, a, id, ActionVisit, true, func(ctx context.Context, f *FollowUp, now time.Time) error {
		return s.FollowUps.AddFollowUpVisit(ctx, &FollowUpVisit{FollowUpID: f.ID, On: n.On, Method: n.Method, Note: n.Note, RecordedBy: a.UserID, CreatedAt: now})
	})
}

// AssessFollowUp records (or revises) the social-behaviour assessment
// (home station staff).
func (s *Custody) AssessFollowUp(ctx context.Context, a domain.Actor, id int64, assessment, note string) (*FollowUp, error) {
	var p domain.Problems
	if !slices.Contains([]string{AssessGood, AssessFair, AssessPoor}, assessment) {
		p.Add("assessment", domain.FieldInvalid, "is good, fair or poor")
	}
	note = checkText(&p, "note", note, true, 2000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.actOnFollowUp(ctx, a, id, ActionAssess, true, func(ctx context.Context, f *FollowUp, now time.Time) error {
		f.Assessment, f.AssessmentNote, f.AssessedBy, f.AssessedAt = assessment, note, a.UserID, &now
		return s.Orders.SettleOrders(ctx, a, "follow_up.assessed", f.ID) // the station's work is done
	})
}

// CloseFollowUp signs the follow-up off and closes the case (结案销号):
// the centre decides, on the assessment of how the person behaves since.
func (s *Custody) CloseFollowUp(ctx context.Context, a domain.Actor, id int64, note string) (*FollowUp, error) {
	var p domain.Problems
	note = checkText(&p, "note", note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.actOnFollowUp(ctx, a, id, ActionSignOff, false, func(ctx context.Context, f *FollowUp, now time.Time) error {
		f.ClosedBy, f.ClosedAt, f.CloseNote = a.UserID, &now, note
		return s.Orders.SettleOrders(ctx, a, "follow_up.closed", f.ID)
	})
}

// actOnFollowUp loads a follow-up the actor may see, checks the actor's
// side (the home station for visits and assessments, the centre for the
// sign-off) and the state machine, lets fn change it, and writes it with
// its audit line.
func (s *Custody) actOnFollowUp(ctx context.Context, a domain.Actor, id int64, action FollowUpAction, byStation bool,
	fn func(ctx context.Context, f *FollowUp, now time.Time) error) (*FollowUp, error) {
	var out *FollowUp
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		f, side, err := s.visibleFollowUp(ctx, a, id)
		if err != nil {
			return err
		}
		if byStation && !side.station {
			return domain.Errorf(domain.KindForbidden, "follow_up.station_only", "Only the home station records visits and assessments.")
		}
		if !byStation && !side.centre {
			return domain.Errorf(domain.KindForbidden, "follow_up.centre_only", "Only the detention centre signs off a follow-up.")
		}
		to, err := NextFollowUp(f.State, action)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := fn(ctx, f, now); err != nil {
			return err
		}
		f.State, f.UpdatedAt = to, now
		ok, err := s.FollowUps.UpdateFollowUp(ctx, f)
		if err != nil {
			return err
		}
		if !ok {
			return changedMeanwhile("follow_up")
		}
		out = f
		return s.audit(ctx, a, now, "follow_up."+string(action), "follow_up", f.ID, string(to))
	})
	return out, err
}

type followUpSide struct{ station, centre bool }

func (s *Custody) visibleFollowUp(ctx context.Context, a domain.Actor, id int64) (*FollowUp, followUpSide, error) {
	var side followUpSide
	f, err := s.FollowUps.FollowUp(ctx, id)
	if err != nil {
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, side, followUpNotFound()
		}
		return nil, side, err
	}
	if side.station, err = s.reaches(ctx, a, f.StationID); err != nil {
		return nil, side, err
	}
	if side.centre, err = s.runsCentre(ctx, a, f.CentreID); err != nil {
		return nil, side, err
	}
	if !side.station && !side.centre {
		return nil, side, followUpNotFound()
	}
	return f, side, nil
}

func followUpNotFound() error {
	return domain.Errorf(domain.KindNotFound, "follow_up.not_found", "No such follow-up.")
}
