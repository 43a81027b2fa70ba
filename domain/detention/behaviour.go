package detention

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// BehaviourRecord is one note of how a detainee behaves in detention (在所表现).
type BehaviourRecord struct {
	ID         int64
	DetaineeID int64
	On         time.Time // the day it happened
	Kind       string    // one of the Behaviour* kinds
	Note       string
	RecordedBy int64
	CreatedAt  time.Time
}

// Behaviour kinds. Which of them count against a detainee is configured in
// RiskFactors.NegativeKinds.
const (
	BehaviourGood      = "good"      // 表现良好
	BehaviourViolation = "violation" // 违反监规
	BehaviourConflict  = "conflict"  // 与他人冲突
	BehaviourRefusal   = "refusal"   // 抗拒管教
	BehaviourSelfHarm  = "self_harm" // 自伤自残
	BehaviourThreat    = "threat"    // 扬言报复
	BehaviourOther     = "other"
)

// BehaviourKinds lists the kinds staff may record.
var BehaviourKinds = []string{BehaviourGood, BehaviourViolation, BehaviourConflict, BehaviourRefusal, BehaviourSelfHarm, BehaviourThreat, BehaviourOther}

// LabelSource says what changed a label.
type LabelSource string

const (
	LabelByIntake    LabelSource = "intake"
	LabelByBehaviour LabelSource = "behaviour"
	LabelByOverride  LabelSource = "override"
	LabelByMediation LabelSource = "mediation" // a joint mediation settled the dispute
)

// LabelChange is one line of a detainee's label history.
type LabelChange struct {
	ID         int64
	DetaineeID int64
	At         time.Time
	ActorID    int64
	From       RiskLabel // empty at intake
	To         RiskLabel
	Score      int
	Source     LabelSource
	Reason     string
}

// NewBehaviour is a behaviour record staff add.
type NewBehaviour struct {
	On   time.Time
	Kind string
	Note string
}

// RecordBehaviour adds a behaviour record for a detainee still detained and
// re-evaluates their label.
func (s *Custody) RecordBehaviour(ctx context.Context, a domain.Actor, detaineeID int64, n NewBehaviour) (*Detainee, error) {
	var p domain.Problems
	if !slices.Contains(BehaviourKinds, n.Kind) {
		p.Add("kind", domain.FieldInvalid, "is one of "+strings.Join(BehaviourKinds, ", "))
	}
	if n.On.IsZero() {
		p.Add("date", domain.FieldRequired, "is required")
	} else if n.On.After(s.Clock.Now()) {
		p.Add("date", domain.FieldOutOfRange, "is in the future")
	}
	n.Note = checkText(&p, "note", n.Note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Detainee
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.detainedFor(ctx, a, detaineeID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		b := &BehaviourRecord{DetaineeID: d.ID, On: n.On, Kind: n.Kind, Note: n.Note, RecordedBy: a.UserID, CreatedAt: now}
		if err := s.Detainees.AddBehaviour(ctx, b); err != nil {
			return err
		}
		if err := s.audit(ctx, a, now, "detainee.behaviour", "detainee", d.ID, n.Kind); err != nil {
			return err
		}
		out = d
		return s.relabel(ctx, a, d, LabelByBehaviour, "behaviour "+n.Kind, now)
	})
	return out, err
}

// OverrideLabel sets a detainee's label by hand, with the reason. The label
// holds until a re-evaluation finds a higher risk.
func (s *Custody) OverrideLabel(ctx context.Context, a domain.Actor, detaineeID int64, label RiskLabel, reason string) (*Detainee, error) {
	var p domain.Problems
	if !label.Valid() {
		p.Add("label", domain.FieldInvalid, "is blue, yellow or red")
	}
	reason = checkText(&p, "reason", reason, true, 500)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Detainee
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.detainedFor(ctx, a, detaineeID)
		if err != nil {
			return err
		}
		out = d
		if d.Label == label && d.LabelOverridden && d.LabelReason == reason {
			return nil // a repeated request
		}
		now := s.Clock.Now()
		from := d.Label
		d.Label, d.LabelOverridden, d.LabelReason, d.UpdatedAt = label, true, reason, now
		if err := s.updateDetainee(ctx, d); err != nil {
			return err
		}
		if from == label {
			return s.audit(ctx, a, now, "detainee.label_pin", "detainee", d.ID, string(label))
		}
		return s.recordLabel(ctx, a, d, &LabelChange{DetaineeID: d.ID, At: now, ActorID: a.UserID, From: from, To: label, Score: d.Score,
			Source: LabelByOverride, Reason: reason})
	})
	return out, err
}

// detainedFor loads (in the transaction) a detainee the actor may act on,
// who must still be detained.
func (s *Custody) detainedFor(ctx context.Context, a domain.Actor, id int64) (*Detainee, error) {
	d, err := s.visibleDetainee(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if d.Status != Detained {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "detainee.not_detained", "The detainee has already left the centre.")
	}
	return d, nil
}

func (s *Custody) updateDetainee(ctx context.Context, d *Detainee) error {
	ok, err := s.Detainees.UpdateDetainee(ctx, d)
	if err != nil {
		return err
	}
	if !ok {
		return changedMeanwhile("detainee")
	}
	return nil
}

// relabel computes a detainee's score anew and writes the label it gives
// (see Relabel), recording a change when the label moved.
func (s *Custody) relabel(ctx context.Context, a domain.Actor, d *Detainee, source LabelSource, why string, now time.Time) error {
	behaviours, err := s.Detainees.Behaviours(ctx, d.ID)
	if err != nil {
		return err
	}
	score := s.Risk.Score(d, behaviours)
	from := d.Label
	d.Score = score.Score
	d.Label, d.LabelOverridden = Relabel(d.Label, d.LabelOverridden, score.Label)
	if !d.LabelOverridden {
		d.LabelReason = ""
	}
	d.UpdatedAt = now
	if err := s.updateDetainee(ctx, d); err != nil {
		return err
	}
	if from == d.Label {
		return nil
	}
	reason := why
	if len(score.Reasons) > 0 {
		reason += "; " + strings.Join(score.Reasons, ",")
	}
	return s.recordLabel(ctx, a, d, &LabelChange{DetaineeID: d.ID, At: now, ActorID: a.UserID, From: from, To: d.Label, Score: score.Score,
		Source: source, Reason: reason})
}

// recordLabel writes a label change to the history and the audit log and,
// when the label rose to yellow or red, asks the centre for extra attention.
func (s *Custody) recordLabel(ctx context.Context, a domain.Actor, d *Detainee, c *LabelChange) error {
	c.Reason = cutText(c.Reason, 500)
	if err := s.Detainees.AddLabelChange(ctx, c); err != nil {
		return err
	}
	if err := s.audit(ctx, a, c.At, "detainee.label", "detainee", d.ID, fmt.Sprintf("%s→%s (%s)", c.From, c.To, c.Source)); err != nil {
		return err
	}
	if !NeedsAttention(c.From, c.To) {
		if c.To.Severity() < RiskYellow.Severity() { // back to blue: no extra attention needed
			return s.Orders.SettleOrders(ctx, a, "detainee.label_changed", d.ID)
		}
		return nil
	}
	// A rise to red supersedes the yellow order.
	if err := s.Orders.SettleOrders(ctx, a, "detainee.label_changed", d.ID); err != nil {
		return err
	}
	priority, title := 2, "关注对象："+d.Name+"（黄标），请加强管教"
	if c.To == RiskRed {
		priority, title = 1, "危险对象："+d.Name+"（红标），请增配管教民警、医生"
	}
	return s.Orders.CreateOrder(ctx, OrderAttention, d.CentreID, 0, priority, title, "detainee", d.ID,
		fmt.Sprintf("detainee:%d:label:%d", d.ID, c.ID))
}

// NeedsAttention reports whether a label change asks for extra staff: the
// label rose to yellow or red (an intake has no previous label).
func NeedsAttention(from, to RiskLabel) bool {
	return to.Severity() >= RiskYellow.Severity() && to.Severity() > from.Severity()
}
