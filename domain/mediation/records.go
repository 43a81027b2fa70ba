package mediation

import (
	"context"
	"strconv"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// RecordInput is what the lead writes into a mediation record.
type RecordInput struct {
	Sessions  []Session
	Outcome   Outcome
	RiskScore int
	RiskNotes string
	Agreement *Agreement
}

// SaveRecord creates or edits the record of a case. Only the lead writes it,
// only while the case is being mediated or awaiting closure, and only while
// the record is a draft or was returned. A new risk score is a signal for the
// warning rules.
func (s *Service) SaveRecord(ctx context.Context, a domain.Actor, id int64, in RecordInput) (*Record, error) {
	in.RiskNotes = strings.TrimSpace(in.RiskNotes)
	var out *Record
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Requests.Request(ctx, id)
		if err != nil {
			return err
		}
		if err := s.mayRead(ctx, a, r); err != nil {
			return err
		}
		if a.UserID != r.LeadID {
			return domain.Errorf(domain.KindForbidden, "record.lead_only", "Only the lead of a case writes its record.")
		}
		switch r.Status {
		case StatusInMediation, StatusAgreed, StatusFailed, StatusReferredToLitigation:
		default:
			return domain.Errorf(domain.KindFailedPrecondition, "record.case_not_in_mediation", "A record is written once mediation has started.")
		}
		now := s.Clock.Now()
		rec, err := s.Records.RecordOfRequest(ctx, id)
		switch {
		case domain.IsKind(err, domain.KindNotFound):
			rec = &Record{CaseID: id, AuthorID: a.UserID, Review: ReviewDraft, CreatedAt: now}
		case err != nil:
			return err
		default:
			if _, err := NextReview(rec.Review, ReviewEdit, Reviewer{IsAuthor: rec.AuthorID == a.UserID}, ""); err != nil {
				return err
			}
		}
		oldRisk, isNew := rec.RiskScore, rec.ID == 0
		rec.Sessions, rec.Outcome, rec.RiskScore, rec.RiskNotes, rec.Agreement = in.Sessions, in.Outcome, in.RiskScore, in.RiskNotes, in.Agreement
		if err := rec.Validate(); err != nil {
			return err
		}
		rec.Version++
		rec.UpdatedAt = now
		if err := s.Records.SaveRecord(ctx, rec); err != nil {
			return err
		}
		if err := s.Requests.AppendEvent(ctx, &Event{RequestID: id, At: now, ActorID: a.UserID, ActorRole: a.PrimaryRole(),
			Type: "record_saved", FromStatus: r.Status, ToStatus: r.Status}); err != nil {
			return err
		}
		if err := s.Audit.Audit(ctx, domain.AuditOf(a, now, "record.save", "request", id, "")); err != nil {
			return err
		}
		if err := s.worked(ctx, a, r); err != nil {
			return err
		}
		if isNew || oldRisk != rec.RiskScore {
			if err := s.Signals.Emit(ctx, Signal{Type: "risk_assessed", RequestID: id, PersonID: r.FilerID, Category: r.Filing.Category,
				StationID: r.Filing.StationID, Place: r.Filing.Place, RiskScore: rec.RiskScore, At: now}); err != nil {
				return err
			}
		}
		out = rec
		return nil
	})
	return out, err
}

// Review moves a record through two-level approval: the author submits, a
// police officer of the station approves or returns it, then a supervisor.
// Each step notifies the next reviewer's unit with a work order.
func (s *Service) Review(ctx context.Context, a domain.Actor, id int64, action ReviewAction, comment string) (*Record, error) {
	comment = strings.TrimSpace(comment)
	if action != ReviewSubmit && action != ReviewApprove && action != ReviewReturn {
		return nil, domain.Invalid(domain.FieldError{Field: "action", Code: domain.FieldUnsupported, Message: "must be submit, approve or return"})
	}
	if len([]rune(comment)) > 2000 {
		return nil, domain.Invalid(domain.FieldError{Field: "comment", Code: domain.FieldTooLong, Message: "is too long"})
	}
	var out *Record
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Requests.Request(ctx, id)
		if err != nil {
			return err
		}
		if err := s.mayRead(ctx, a, r); err != nil {
			return err
		}
		rec, err := s.Records.RecordOfRequest(ctx, id)
		if err != nil {
			return err
		}
		who, err := s.reviewer(ctx, a, r, rec)
		if err != nil {
			return err
		}
		who.ApprovedFirst = firstLevelApprover(rec) == a.UserID
		from := rec.Review
		next, err := NextReview(from, action, who, comment)
		if err != nil {
			return err
		}
		if action == ReviewSubmit {
			if err := rec.Submittable(); err != nil {
				return err
			}
		}
		now := s.Clock.Now()
		rec.Review, rec.Version, rec.UpdatedAt = next, rec.Version+1, now
		if err := s.Records.SaveRecord(ctx, rec); err != nil {
			return err
		}
		if action != ReviewSubmit {
			c := ReviewComment{ReviewerID: a.UserID, Stage: from, Approved: action == ReviewApprove, Text: comment, At: now}
			if err := s.Records.AppendReview(ctx, rec.ID, c); err != nil {
				return err
			}
			rec.Comments = append(rec.Comments, c)
		}
		if err := s.Requests.AppendEvent(ctx, &Event{RequestID: id, At: now, ActorID: a.UserID, ActorRole: a.PrimaryRole(),
			Type: "record_" + string(action), FromStatus: r.Status, ToStatus: r.Status, Note: comment}); err != nil {
			return err
		}
		if err := s.Audit.Audit(ctx, domain.AuditOf(a, now, "record."+string(action), "request", id, string(from)+"->"+string(next))); err != nil {
			return err
		}
		cause := "record.reviewed" // this level's review order is done
		if action == ReviewSubmit {
			cause = "record.submitted" // a returned record's order to fix it is done
		}
		if err := s.Orders.SettleOrders(ctx, a, cause, r.ID); err != nil {
			return err
		}
		if err := s.worked(ctx, a, r); err != nil {
			return err
		}
		if err := s.orderNextReviewer(ctx, r, rec); err != nil {
			return err
		}
		out = rec
		return nil
	})
	return out, err
}

// firstLevelApprover is who approved the first level of the record's
// current round: the latest first-level approval (a return starts a new
// round, whose approval comes later).
func firstLevelApprover(rec *Record) int64 {
	for i := len(rec.Comments) - 1; i >= 0; i-- {
		if c := rec.Comments[i]; c.Stage == ReviewPendingPolice && c.Approved {
			return c.ReviewerID
		}
	}
	return 0
}

func (s *Service) orderNextReviewer(ctx context.Context, r *Request, rec *Record) error {
	stage := strconv.Itoa(rec.Version)
	switch rec.Review {
	case ReviewPendingPolice:
		unit, err := s.levelOneUnit(ctx, r, rec)
		if err != nil {
			return err
		}
		return s.Orders.CreateOrder(ctx, OrderRequest{Kind: "record_review", UnitID: unit, Priority: 2,
			Title: "调解记录待审核（一级）", ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "review-"+stage)})
	case ReviewPendingSupervisor:
		district, err := s.Directory.ParentUnit(ctx, r.Filing.StationID)
		if err != nil {
			return err
		}
		return s.Orders.CreateOrder(ctx, OrderRequest{Kind: "record_review", UnitID: district, Priority: 2,
			Title: "调解记录待审批（二级）", ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "review-"+stage)})
	case ReviewReturned:
		return s.Orders.CreateOrder(ctx, OrderRequest{Kind: "record_returned", UnitID: r.Filing.StationID, PersonID: rec.AuthorID, Priority: 2,
			Title: "调解记录被退回，请修改", ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "returned-"+stage)})
	}
	return nil
}

// worked ends the actor's own assignment order of a case they work on —
// its lead or assistant saving, submitting or reviewing its record, or
// opening a video room. Starting mediation ends the lead's and the
// assistant's orders, but someone reassigned into a case already being
// mediated never starts it: their own first work is what finishes their
// order, and nobody else's.
func (s *Service) worked(ctx context.Context, a domain.Actor, r *Request) error {
	if a.UserID == 0 || a.UserID != r.LeadID && a.UserID != r.AssistantID {
		return nil
	}
	return s.Orders.SettleOrders(ctx, a, "case.worked", r.ID)
}
