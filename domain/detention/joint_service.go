package detention

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// NewJoint is a joint mediation the centre starts: for a detainee, or for
// the mediation request filed on their behalf.
type NewJoint struct {
	DetaineeID     int64
	RequestID      int64
	BusinessLine   string
	Summary        string
	PartnerUnitIDs []int64
}

const maxPartners = 10

// StartJoint pushes a detainee's dispute to partner units (请求推送): each
// unit gets a work order, in the transaction of the mediation.
func (s *Custody) StartJoint(ctx context.Context, a domain.Actor, n NewJoint) (*JointMediation, error) {
	var p domain.Problems
	if n.DetaineeID <= 0 && n.RequestID <= 0 {
		p.Add("detainee_id", domain.FieldRequired, "give detainee_id or request_id")
	}
	line, ok := s.businessLine(n.BusinessLine)
	if !ok {
		p.Add("business_line", domain.FieldInvalid, "is not a business line of joint mediation")
	}
	n.Summary = checkText(&p, "summary", n.Summary, true, 2000)
	partners := slices.Compact(slices.Sorted(slices.Values(n.PartnerUnitIDs)))
	switch {
	case len(partners) == 0:
		p.Add("partner_unit_ids", domain.FieldRequired, "name at least one partner unit")
	case len(partners) > maxPartners:
		p.Add("partner_unit_ids", domain.FieldTooLong, fmt.Sprintf("names at most %d units", maxPartners))
	case partners[0] <= 0:
		p.Add("partner_unit_ids", domain.FieldInvalid, "are unit IDs")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	detaineeID, err := s.detaineeOfJoint(ctx, n)
	if err != nil {
		return nil, err
	}
	var out *JointMediation
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		d, err := s.detainedFor(ctx, a, detaineeID)
		if err != nil {
			return err
		}
		for _, u := range partners {
			if _, err := s.Orgs.Org(ctx, u); err != nil || u == d.CentreID {
				if err != nil && !domain.IsKind(err, domain.KindNotFound) {
					return err
				}
				return domain.Invalid(domain.FieldError{Field: "partner_unit_ids", Code: domain.FieldDoesNotExist,
					Message: fmt.Sprintf("unit %d is not a partner unit", u)})
			}
		}
		now := s.Clock.Now()
		j := &JointMediation{CentreID: d.CentreID, DetaineeID: d.ID, RequestID: n.RequestID, BusinessLine: line.Code, Summary: n.Summary,
			Partners: partners, State: JointConsulting, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.Joints.CreateJoint(ctx, j); err != nil {
			return err
		}
		if n.RequestID > 0 { // the centre's order about the family's request is done
			if err := s.Orders.SettleOrders(ctx, a, "joint.started", n.RequestID); err != nil {
				return err
			}
		}
		for _, u := range partners {
			if err := s.Orders.CreateOrder(ctx, OrderJointMediation, u, 0, 2, "联调联处请求："+line.Name, "joint_mediation", j.ID,
				fmt.Sprintf("joint_mediation:%d:unit:%d", j.ID, u)); err != nil {
				return err
			}
		}
		// 拘调融合: the detainee's home station is told of the joint mediation.
		if d.HomeStationID > 0 {
			if err := s.Orders.CreateOrder(ctx, OrderHomeStation, d.HomeStationID, 0, 3, "辖区被拘留人员联调联处已发起："+d.Name+"（"+line.Name+"）",
				"joint_mediation", j.ID, fmt.Sprintf("joint_mediation:%d:home_station", j.ID)); err != nil {
				return err
			}
		}
		out = j
		return s.audit(ctx, a, now, "joint_mediation.create", "joint_mediation", j.ID, fmt.Sprintf("%s, %d units", line.Code, len(partners)))
	})
	return out, err
}

// detaineeOfJoint is the detainee a new joint mediation is for, taken from
// its request when one is named.
func (s *Custody) detaineeOfJoint(ctx context.Context, n NewJoint) (int64, error) {
	if n.RequestID <= 0 {
		return n.DetaineeID, nil
	}
	id, err := s.Requests.DetaineeOfRequest(ctx, n.RequestID)
	switch {
	case domain.IsKind(err, domain.KindNotFound):
		return 0, domain.Invalid(domain.FieldError{Field: "request_id", Code: domain.FieldDoesNotExist, Message: "is not a request"})
	case err != nil:
		return 0, err
	case id == 0:
		return 0, domain.Invalid(domain.FieldError{Field: "request_id", Code: domain.FieldInvalid, Message: "was not filed for a detainee"})
	case n.DetaineeID > 0 && n.DetaineeID != id:
		return 0, domain.Invalid(domain.FieldError{Field: "detainee_id", Code: domain.FieldInvalid, Message: "is not the detainee of the request"})
	}
	return id, nil
}

type jointSide struct{ centre, partner bool }

// visibleJoint loads a joint mediation the actor takes part in: the
// centre's staff (and supervisors above it) and the staff of the invited
// units (and supervisors above them). Anyone else is told it does not exist.
func (s *Custody) visibleJoint(ctx context.Context, a domain.Actor, id int64) (*JointMediation, jointSide, error) {
	var side jointSide
	j, err := s.Joints.Joint(ctx, id)
	if err != nil {
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, side, jointNotFound()
		}
		return nil, side, err
	}
	if side.centre, err = s.runsCentre(ctx, a, j.CentreID); err != nil {
		return nil, side, err
	}
	for _, u := range j.Partners {
		if ok, err := s.reaches(ctx, a, u); err != nil {
			return nil, side, err
		} else if ok {
			side.partner = true
			break
		}
	}
	if !side.centre && !side.partner {
		return nil, side, jointNotFound()
	}
	return j, side, nil
}

func jointNotFound() error {
	return domain.Errorf(domain.KindNotFound, "joint_mediation.not_found", "No such joint mediation.")
}

// JointView is a joint mediation with the caller's own feedback on it (a
// partner unit's staff member's; nil: none yet).
type JointView struct {
	JointMediation
	MyFeedback *Feedback
}

// Joint is a joint mediation the actor takes part in.
func (s *Custody) Joint(ctx context.Context, a domain.Actor, id int64) (*JointView, error) {
	j, _, err := s.visibleJoint(ctx, a, id)
	if err != nil {
		return nil, err
	}
	mine, err := feedbackOf(ctx, s.Feedback, a.UserID, FeedbackJoint, []int64{j.ID})
	if err != nil {
		return nil, err
	}
	return &JointView{JointMediation: *j, MyFeedback: given(mine, j.ID)}, nil
}

// JointMessages pages the consultation thread, newest first.
func (s *Custody) JointMessages(ctx context.Context, a domain.Actor, id, beforeID int64, limit int) ([]JointMessage, error) {
	if _, _, err := s.visibleJoint(ctx, a, id); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	return s.Joints.JointMessages(ctx, id, beforeID, limit)
}

// PostJointMessage adds a message to the thread while the units consult.
// Attachments are files already uploaded to the mediation's request.
func (s *Custody) PostJointMessage(ctx context.Context, a domain.Actor, id int64, body string, attachmentIDs []int64) (*JointMessage, error) {
	var p domain.Problems
	body = checkText(&p, "body", body, true, 2000)
	attachmentIDs = slices.Compact(slices.Sorted(slices.Values(attachmentIDs)))
	if len(attachmentIDs) > 10 {
		p.Add("attachment_ids", domain.FieldTooLong, "names at most 10 attachments")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *JointMessage
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		j, _, err := s.visibleJoint(ctx, a, id)
		if err != nil {
			return err
		}
		if _, err := NextJoint(j.State, JointPost, ""); err != nil {
			return err
		}
		if err := s.checkAttachments(ctx, j, attachmentIDs); err != nil {
			return err
		}
		m := &JointMessage{MediationID: j.ID, AuthorID: a.UserID, AuthorOrgID: a.OrgID, Body: body, AttachmentIDs: attachmentIDs, CreatedAt: s.Clock.Now()}
		if err := s.Joints.AddJointMessage(ctx, m); err != nil {
			return err
		}
		out = m
		return s.audit(ctx, a, m.CreatedAt, "joint_mediation.message", "joint_mediation", j.ID, "")
	})
	return out, err
}

func (s *Custody) checkAttachments(ctx context.Context, j *JointMediation, ids []int64) error {
	for _, id := range ids {
		req, err := s.Attachments.RequestOfAttachment(ctx, id)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		if err != nil || id <= 0 || j.RequestID == 0 || req != j.RequestID {
			return domain.Invalid(domain.FieldError{Field: "attachment_ids", Code: domain.FieldDoesNotExist,
				Message: "are attachments of this mediation's request"})
		}
	}
	return nil
}

// DecideJoint records the decision of the joint session the centre led.
// An agreement settles the detainee's dispute, which re-evaluates their
// label.
func (s *Custody) DecideJoint(ctx context.Context, a domain.Actor, id int64, dec JointDecision) (*JointMediation, error) {
	var p domain.Problems
	if dec.At.IsZero() {
		p.Add("decided_at", domain.FieldRequired, "is required")
	} else if dec.At.After(s.Clock.Now().Add(time.Minute)) {
		p.Add("decided_at", domain.FieldOutOfRange, "is in the future")
	}
	dec.Place = checkText(&p, "place", dec.Place, true, 200)
	var people []string
	for _, name := range dec.Participants {
		if name = strings.TrimSpace(name); name != "" {
			people = append(people, cutText(name, 50))
		}
	}
	if len(people) == 0 {
		p.Add("participants", domain.FieldRequired, "name who took part")
	} else if len(people) > 30 {
		p.Add("participants", domain.FieldTooLong, "names at most 30 people")
	}
	dec.Participants = people
	if dec.Outcome != OutcomeAgreed && dec.Outcome != OutcomeFailed {
		p.Add("outcome", domain.FieldInvalid, "is agreed or failed")
	}
	dec.Notes = checkText(&p, "notes", dec.Notes, false, 2000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	dec.RecordedBy = a.UserID
	return s.actOnJoint(ctx, a, id, JointDecide, dec.Outcome, func(ctx context.Context, j *JointMediation, now time.Time) error {
		j.Decision = &dec
		if err := s.Orders.SettleOrders(ctx, a, "joint.decided", j.ID); err != nil {
			return err
		}
		if err := s.tellFamily(ctx, j, dec.Outcome); err != nil {
			return err
		}
		if dec.Outcome != OutcomeAgreed {
			return nil
		}
		d, err := s.Detainees.Detainee(ctx, j.DetaineeID)
		if err != nil {
			return err
		}
		if d.DisputeResolved || d.Status != Detained {
			return nil
		}
		d.DisputeResolved = true
		return s.relabel(ctx, a, d, LabelByMediation, fmt.Sprintf("joint mediation %d agreed", j.ID), now)
	})
}

// MarkEarlyRelease records that an agreement is grounds for ending judicial
// detention early or shortening administrative detention, approved by the
// acting supervisor (of the centre or above it). It is recorded once.
func (s *Custody) MarkEarlyRelease(ctx context.Context, a domain.Actor, id int64, er EarlyRelease) (*JointMediation, error) {
	var p domain.Problems
	switch er.Kind {
	case EndJudicialDetention:
		er.Days = 0
	case ShortenAdministrativeDays:
		if er.Days < 1 || er.Days > maxShortenAdministrativeBy {
			p.Add("days", domain.FieldOutOfRange, fmt.Sprintf("is 1 to %d", maxShortenAdministrativeBy))
		}
	default:
		p.Add("kind", domain.FieldInvalid, "is end_judicial or shorten_administrative")
	}
	er.Note = checkText(&p, "note", er.Note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if !a.Has(supervisorRole) {
		return nil, domain.Errorf(domain.KindForbidden, "joint_mediation.supervisor_only", "A supervisor approves an early release.")
	}
	return s.actOnJoint(ctx, a, id, JointEarlyRelease, "", func(_ context.Context, j *JointMediation, now time.Time) error {
		if j.EarlyRelease != nil {
			return domain.Errorf(domain.KindConflict, "joint_mediation.early_release_recorded", "An early release is already recorded for this mediation.")
		}
		er.ApprovedBy, er.ApprovedAt = a.UserID, now
		j.EarlyRelease = &er
		return nil
	})
}

// actOnJoint runs a centre-side action: the actor must work the centre; the
// state machine must allow it; fn changes the mediation, which is written
// with its audit line.
func (s *Custody) actOnJoint(ctx context.Context, a domain.Actor, id int64, action JointAction, outcome string,
	fn func(ctx context.Context, j *JointMediation, now time.Time) error) (*JointMediation, error) {
	var out *JointMediation
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		j, side, err := s.visibleJoint(ctx, a, id)
		if err != nil {
			return err
		}
		if !side.centre {
			return domain.Errorf(domain.KindForbidden, "joint_mediation.centre_only", "The detention centre records decisions.")
		}
		to, err := NextJoint(j.State, action, outcome)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := fn(ctx, j, now); err != nil {
			return err
		}
		j.State, j.UpdatedAt = to, now
		ok, err := s.Joints.UpdateJoint(ctx, j)
		if err != nil {
			return err
		}
		if !ok {
			return changedMeanwhile("joint_mediation")
		}
		out = j
		return s.audit(ctx, a, now, "joint_mediation."+string(action), "joint_mediation", j.ID, string(to))
	})
	return out, err
}
