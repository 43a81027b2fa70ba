package mediation

import (
	"context"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// The conflict rule (驻所律师不得代理所调解、咨询事项): a stationed lawyer
// may not represent a party in a matter they mediated or consulted on.
// Every time a case names someone to lead or assist it, the involvement is
// recorded (and kept after a reassignment takes them off the case); before
// a lawyer appears for a party, a conflict check finds the matters of that
// party the lawyer was involved in and warns.

// Involvement is one person's part in one request.
type Involvement struct {
	PersonID  int64
	RequestID int64
	Role      string // lead, assistant
	At        time.Time
}

// Matter is a request a person was involved in, as a conflict check shows it.
type Matter struct {
	RequestID  int64
	Role       string
	Kind       Kind
	Category   string
	StationID  int64
	InvolvedAt time.Time
}

// Involvements keeps who worked on which request.
type Involvements interface {
	// RecordInvolvement adds involvements; one already recorded is kept.
	RecordInvolvement(ctx context.Context, is ...Involvement) error
	// MattersWithParty lists the requests person was involved in whose
	// filer or a party has the phone, newest first.
	MattersWithParty(ctx context.Context, personID int64, phone string) ([]Matter, error)
}

// ConflictCheck is the answer of a conflict check: Conflict is true when
// the lawyer was involved in a matter of the party.
type ConflictCheck struct {
	LawyerID int64
	Conflict bool
	Matters  []Matter
}

// recordInvolvement notes the people a change newly named to lead or
// assist r, in the change's transaction.
func (s *Service) recordInvolvement(ctx context.Context, r *Request, lead, assistant int64, at time.Time) error {
	if s.Involvements == nil {
		return nil
	}
	var is []Involvement
	if r.LeadID != 0 && r.LeadID != lead {
		is = append(is, Involvement{PersonID: r.LeadID, RequestID: r.ID, Role: "lead", At: at})
	}
	if r.AssistantID != 0 && r.AssistantID != assistant {
		is = append(is, Involvement{PersonID: r.AssistantID, RequestID: r.ID, Role: "assistant", At: at})
	}
	if len(is) == 0 {
		return nil
	}
	return s.Involvements.RecordInvolvement(ctx, is...)
}

// CheckConflict answers whether lawyerID was involved in a matter of the
// party with phone. A lawyer checks themselves (lawyerID 0 or their own);
// police, supervisors and admins check a lawyer who appears for a party
// before them. Audited without the phone: it reads who worked on what.
func (s *Service) CheckConflict(ctx context.Context, a domain.Actor, lawyerID int64, phone string) (*ConflictCheck, error) {
	phone = strings.TrimSpace(phone)
	if !mobile.MatchString(phone) {
		return nil, domain.Invalid(domain.FieldError{Field: "party_phone", Code: domain.FieldInvalid, Message: "must be an 11-digit mobile number"})
	}
	switch {
	case a.Has(RolePolice, RoleSupervisor, RoleAdmin):
		if lawyerID <= 0 {
			return nil, domain.Invalid(domain.FieldError{Field: "lawyer_id", Code: domain.FieldRequired, Message: "is required"})
		}
	case a.Has(RoleLawyer, RoleMediator):
		if lawyerID != 0 && lawyerID != a.UserID {
			return nil, domain.Errorf(domain.KindForbidden, "conflict.own_only", "A lawyer checks their own conflicts only.")
		}
		lawyerID = a.UserID
	default:
		return nil, domain.Errorf(domain.KindForbidden, "conflict.own_only", "A lawyer checks their own conflicts only.")
	}
	if s.Involvements == nil {
		return nil, domain.Errorf(domain.KindUnavailable, "service.unavailable", "Conflict checks are not available.")
	}
	matters, err := s.Involvements.MattersWithParty(ctx, lawyerID, phone)
	if err != nil {
		return nil, err
	}
	out := &ConflictCheck{LawyerID: lawyerID, Conflict: len(matters) > 0, Matters: matters}
	detail := "clear"
	if out.Conflict {
		detail = "conflict"
	}
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "conflict.check", "user", lawyerID, detail)); err != nil {
		return nil, err
	}
	return out, nil
}
