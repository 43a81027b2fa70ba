package mediation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Confirmation is a mediation agreement's way through judicial
// confirmation (司法确认): handed to a court once the record is approved at
// both levels, then decided by the court. The record stays approved
// throughout; the confirmation moves on beside it.
type Confirmation struct {
	RequestID    int64
	CourtID      int64 // the partner unit (court) it was handed to
	RequestedBy  int64
	RequestedAt  time.Time
	Note         string
	Result       JudicialResult // pending, then confirmed or refused
	DecidedOn    string         // the date of the court's ruling, 2026-11-23
	DocumentNo   string         // the ruling's number, e.g. (2026)渝0112民特123号
	AttachmentID int64          // the ruling, an attachment of the request (0: none)
	DecidedBy    int64
	DecidedAt    *time.Time
	Version      int
}

// ConfirmationStore keeps confirmations, one per request. Save inserts
// (Version 1) or updates when the stored version is Version-1, and
// answers a conflict otherwise.
type ConfirmationStore interface {
	Confirmation(ctx context.Context, requestID int64) (*Confirmation, error) // not found when never requested
	SaveConfirmation(ctx context.Context, c *Confirmation) error
}

// Courts says which organisations may confirm an agreement.
type Courts interface {
	IsPartnerUnit(ctx context.Context, id int64) (bool, error)
}

// RolePartner is the staff of partner units (courts among them).
const RolePartner = "partner"

// Decision is the court's answer.
type Decision struct {
	Result       JudicialResult
	DecidedOn    string
	DocumentNo   string
	AttachmentID int64
}

// RequestConfirmation hands an approved agreement to a court: the lead, or
// police and supervisors over the station, name the court; the court's
// queue gets a judicial_confirmation order carrying the case. Once only —
// a refused confirmation is not sent again (the parties go to court).
func (s *Service) RequestConfirmation(ctx context.Context, a domain.Actor, id, courtID int64, note string) (*Confirmation, error) {
	note = strings.TrimSpace(note)
	var p domain.Problems
	if courtID <= 0 {
		p.Add("court_id", domain.FieldRequired, "name the court")
	}
	if utf8.RuneCountInString(note) > 1000 {
		p.Add("note", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if ok, err := s.Courts.IsPartnerUnit(ctx, courtID); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Invalid(domain.FieldError{Field: "court_id", Code: domain.FieldDoesNotExist, Message: "is not a partner unit"})
	}
	var out *Confirmation
	_, err := s.change(ctx, a, id, func(ctx context.Context, r *Request, c *changes) error {
		if err := s.mayAct(ctx, a, r, ActionClose); err != nil {
			return err
		}
		rec, err := s.Records.RecordOfRequest(ctx, r.ID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		if rec == nil || rec.Review != ReviewApproved || rec.Outcome != OutcomeAgreed || rec.Agreement == nil {
			return domain.Errorf(domain.KindFailedPrecondition, "judicial.not_approved",
				"Only an agreement whose record is approved at both levels can be sent for judicial confirmation.")
		}
		if _, err := s.Confirmations.Confirmation(ctx, r.ID); err == nil {
			return domain.Errorf(domain.KindConflict, "judicial.already_requested", "This agreement was already sent for judicial confirmation.")
		} else if !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		out = &Confirmation{RequestID: r.ID, CourtID: courtID, RequestedBy: a.UserID, RequestedAt: c.now, Note: note, Result: JudicialPending, Version: 1}
		if err := s.Confirmations.SaveConfirmation(ctx, out); err != nil {
			return err
		}
		c.note("judicial_confirmation_requested", note)
		c.order(OrderRequest{Kind: "judicial_confirmation", UnitID: courtID, Priority: 2, Title: "司法确认申请",
			ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "judicial-confirmation")})
		return nil
	})
	return out, err
}

// DecideConfirmation records the court's ruling on the case: staff of the
// court it was handed to say confirmed or refused, the date and number of
// the ruling and, if uploaded, the ruling itself. It completes the court's
// order.
func (s *Service) DecideConfirmation(ctx context.Context, a domain.Actor, id int64, d Decision) (*Confirmation, error) {
	d.DocumentNo = strings.TrimSpace(d.DocumentNo)
	var p domain.Problems
	if d.Result != JudicialConfirmed && d.Result != JudicialRefused {
		p.Add("result", domain.FieldUnsupported, "must be confirmed or refused")
	}
	if _, err := time.Parse("2006-01-02", d.DecidedOn); err != nil {
		p.Add("decided_on", domain.FieldInvalid, "is a date like 2026-11-23")
	}
	if d.DocumentNo == "" {
		p.Add("document_no", domain.FieldRequired, "is required")
	} else if utf8.RuneCountInString(d.DocumentNo) > 100 {
		p.Add("document_no", domain.FieldTooLong, "is too long")
	}
	if d.AttachmentID < 0 {
		p.Add("attachment_id", domain.FieldInvalid, "is not an ID")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Confirmation
	_, err := s.change(ctx, a, id, func(ctx context.Context, r *Request, c *changes) error {
		conf, err := s.Confirmations.Confirmation(ctx, r.ID)
		if err != nil {
			return err
		}
		if !a.Has(RolePartner) || a.OrgID != conf.CourtID {
			return domain.Errorf(domain.KindForbidden, "judicial.not_your_court", "Only the court this agreement was sent to decides it.")
		}
		if conf.Result != JudicialPending {
			return domain.Errorf(domain.KindConflict, "judicial.already_decided", "The court has already decided this confirmation.")
		}
		if d.AttachmentID != 0 {
			atts, err := s.Attachments.AttachmentsOf(ctx, r.ID)
			if err != nil {
				return err
			}
			found := false
			for _, at := range atts {
				found = found || at.ID == d.AttachmentID
			}
			if !found {
				return domain.Invalid(domain.FieldError{Field: "attachment_id", Code: domain.FieldDoesNotExist, Message: "is not an attachment of this request"})
			}
		}
		now := c.now
		conf.Result, conf.DecidedOn, conf.DocumentNo, conf.AttachmentID, conf.DecidedBy, conf.DecidedAt = d.Result, d.DecidedOn, d.DocumentNo, d.AttachmentID, a.UserID, &now
		conf.Version++
		if err := s.Confirmations.SaveConfirmation(ctx, conf); err != nil {
			return err
		}
		c.note("judicial_confirmation_"+string(d.Result), d.DocumentNo)
		c.settle("case.judicially_decided")
		out = conf
		return nil
	})
	return out, err
}

// courtReads reports whether a is staff of the court a request's agreement
// was handed to: the court reads the case it is asked to confirm.
func (s *Service) courtReads(ctx context.Context, a domain.Actor, r *Request) (bool, error) {
	if s.Confirmations == nil || !a.Has(RolePartner) || a.OrgID == 0 {
		return false, nil
	}
	conf, err := s.Confirmations.Confirmation(ctx, r.ID)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && conf.CourtID == a.OrgID, err
}
