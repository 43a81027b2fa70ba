package detention

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// What feedback is about.
const (
	FeedbackVisit = "visit_booking"
	FeedbackJoint = "joint_mediation"
)

// Feedback is a rating (1–5) and a comment on a finished visit or a
// decided joint mediation (拘调融合: 服务完成后，用户可通过应用进行意见反馈),
// once per person and subject. It counts in the centre's statistics.
type Feedback struct {
	ID        int64
	CentreID  int64
	Subject   string // FeedbackVisit or FeedbackJoint
	SubjectID int64
	UserID    int64
	Stars     int
	Comment   string
	CreatedAt time.Time
}

// FeedbackTally is the feedback of one kind of subject at a centre.
type FeedbackTally struct {
	Subject  string
	Count    int64
	StarsSum int64
}

// FeedbackStore keeps feedback. A second feedback of a person on the same
// subject is a conflict.
type FeedbackStore interface {
	AddFeedback(ctx context.Context, f *Feedback) error
	// FeedbackBy is one person's feedback on subjects of one kind, by
	// subject ID, read in one query; subjects without it are absent.
	FeedbackBy(ctx context.Context, userID int64, subject string, subjectIDs []int64) (map[int64]Feedback, error)
	FeedbackTallies(ctx context.Context, centreID int64, from, to time.Time) ([]FeedbackTally, error)
}

func checkFeedback(stars int, comment string) (string, error) {
	var p domain.Problems
	if stars < 1 || stars > 5 {
		p.Add("stars", domain.FieldOutOfRange, "1 to 5")
	}
	comment = strings.TrimSpace(comment)
	if utf8.RuneCountInString(comment) > 500 {
		p.Add("comment", domain.FieldTooLong, "at most 500 characters")
	}
	return comment, p.Err()
}

// feedbackOf is the caller's own feedback on subjects, so that an app shows
// the rating given instead of the form: none without a store, a caller or
// subjects.
func feedbackOf(ctx context.Context, store FeedbackStore, userID int64, subject string, ids []int64) (map[int64]Feedback, error) {
	if store == nil || userID == 0 || len(ids) == 0 {
		return nil, nil
	}
	return store.FeedbackBy(ctx, userID, subject, ids)
}

// given is the feedback on id in m, nil when none.
func given(m map[int64]Feedback, id int64) *Feedback {
	if f, ok := m[id]; ok {
		return &f
	}
	return nil
}

func feedbackGiven() error {
	return domain.Errorf(domain.KindConflict, "feedback.already_given", "You have already given feedback on this.")
}

// VisitFeedback records the booking family member's rating of a visit
// that took place (attendance recorded as attended).
func (s *Visits) VisitFeedback(ctx context.Context, a domain.Actor, bookingID int64, stars int, comment string) (*Feedback, error) {
	comment, err := checkFeedback(stars, comment)
	if err != nil {
		return nil, err
	}
	if s.Feedback == nil {
		return nil, domain.Errorf(domain.KindUnavailable, "feedback.unavailable", "Feedback is not configured.")
	}
	var out *Feedback
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		b, staff, err := s.visibleBooking(ctx, a, bookingID)
		if err != nil {
			return err
		}
		if staff || b.BookerID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "feedback.not_yours", "Only the family member who booked gives feedback on a visit.")
		}
		if b.Status != BookingAttended {
			return domain.Errorf(domain.KindFailedPrecondition, "feedback.not_finished", "Feedback is given once the visit has taken place.")
		}
		now := s.Clock.Now()
		f := &Feedback{CentreID: b.CentreID, Subject: FeedbackVisit, SubjectID: b.ID, UserID: a.UserID, Stars: stars, Comment: comment, CreatedAt: now}
		if err := s.Feedback.AddFeedback(ctx, f); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return feedbackGiven()
			}
			return err
		}
		out = f
		return s.audit(ctx, a, now, "visit_booking.feedback", "visit_booking", b.ID, "")
	})
	return out, err
}

// JointFeedback records the rating of a decided joint mediation by the
// staff of a partner unit that took part, or by the detainee's registered
// family.
func (s *Custody) JointFeedback(ctx context.Context, a domain.Actor, jointID int64, stars int, comment string) (*Feedback, error) {
	comment, err := checkFeedback(stars, comment)
	if err != nil {
		return nil, err
	}
	if s.Feedback == nil {
		return nil, domain.Errorf(domain.KindUnavailable, "feedback.unavailable", "Feedback is not configured.")
	}
	var out *Feedback
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		j, err := s.Joints.Joint(ctx, jointID)
		if domain.IsKind(err, domain.KindNotFound) {
			return jointNotFound()
		}
		if err != nil {
			return err
		}
		allowed := false
		if a.Has(citizenRole) {
			if allowed, err = s.Detainees.IsFamily(ctx, j.DetaineeID, a.UserID); err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return err
			}
		} else {
			for _, u := range j.Partners {
				if a.OrgID == u && a.OrgID != 0 {
					allowed = true
				}
			}
		}
		if !allowed {
			return jointNotFound()
		}
		if j.State == JointConsulting {
			return domain.Errorf(domain.KindFailedPrecondition, "feedback.not_finished", "Feedback is given once the joint mediation is decided.")
		}
		now := s.Clock.Now()
		f := &Feedback{CentreID: j.CentreID, Subject: FeedbackJoint, SubjectID: j.ID, UserID: a.UserID, Stars: stars, Comment: comment, CreatedAt: now}
		if err := s.Feedback.AddFeedback(ctx, f); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return feedbackGiven()
			}
			return err
		}
		out = f
		return s.audit(ctx, a, now, "joint_mediation.feedback", "joint_mediation", j.ID, "")
	})
	return out, err
}

// CentreStats are a centre's figures over a period: for now the feedback
// of families and partners on visits and joint mediations.
type CentreStats struct {
	CentreID      int64
	From, To      time.Time
	VisitFeedback FeedbackTally
	JointFeedback FeedbackTally
}

// Stats counts a centre's feedback given in [from, to), for its staff and
// the supervisors and admins above it (others: not found).
func (s *Custody) Stats(ctx context.Context, a domain.Actor, centreID int64, from, to time.Time) (*CentreStats, error) {
	ok, err := s.runsCentre(ctx, a, centreID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.KindNotFound, "centre.not_found", "No such detention centre.")
	}
	if !to.After(from) {
		return nil, domain.Invalid(domain.FieldError{Field: "to", Code: domain.FieldOutOfRange, Message: "must be after from"})
	}
	out := &CentreStats{CentreID: centreID, From: from, To: to, VisitFeedback: FeedbackTally{Subject: FeedbackVisit},
		JointFeedback: FeedbackTally{Subject: FeedbackJoint}}
	if s.Feedback == nil {
		return out, nil
	}
	tallies, err := s.Feedback.FeedbackTallies(ctx, centreID, from, to)
	if err != nil {
		return nil, err
	}
	for _, t := range tallies {
		switch t.Subject {
		case FeedbackVisit:
			out.VisitFeedback = t
		case FeedbackJoint:
			out.JointFeedback = t
		}
	}
	return out, s.audit(ctx, a, s.Clock.Now(), "detention.stats", "org", centreID, "")
}

// Mean is the average rating, 0 without feedback.
func (t FeedbackTally) Mean() float64 {
	if t.Count == 0 {
		return 0
	}
	return float64(t.StarsSum) / float64(t.Count)
}
