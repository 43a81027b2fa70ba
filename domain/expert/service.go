package expert

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Store keeps experts and invitations; every method joins the transaction
// ctx carries.
type Store interface {
	CreateExpert(ctx context.Context, e *Expert) error // a second expert of one account is a conflict
	UpdateExpert(ctx context.Context, e *Expert) error
	Expert(ctx context.Context, id int64) (*Expert, error)
	Experts(ctx context.Context, kind Kind, specialty string, activeOnly bool) ([]Expert, error)

	CreateInvitation(ctx context.Context, inv *Invitation) error
	Invitation(ctx context.Context, id int64) (*Invitation, error)
	UpdateInvitation(ctx context.Context, inv *Invitation) (bool, error) // optimistic on Version
	// Invitations of one case, or (resourceType "") those to one expert account.
	Invitations(ctx context.Context, resourceType string, resourceID, expertUserID int64) ([]Invitation, error)
}

// Account is a staff account an expert works through.
type Account struct {
	ID       int64
	OrgID    int64
	Name     string
	Disabled bool
}

// Accounts finds staff accounts.
type Accounts interface {
	Account(ctx context.Context, id int64) (*Account, error)
}

// Cases checks that the actor may work the case an expert is invited to
// (not found otherwise).
type Cases interface {
	CanWork(ctx context.Context, a domain.Actor, resourceType string, resourceID int64) error
}

// Orders makes and ends work orders (*workorder.Service).
type Orders interface {
	Create(ctx context.Context, n workorder.NewOrder) error
	Settle(ctx context.Context, a domain.Actor, cause string, resourceID int64, keep ...int64) (int, error)
}

// Service runs the pool.
type Service struct {
	Tx       domain.TxRunner
	Store    Store
	Accounts Accounts
	Cases    Cases
	Orders   Orders
	Audit    domain.Auditor
	Clock    domain.Clock
}

func text(p *domain.Problems, field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		p.Add(field, domain.FieldRequired, "is required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, domain.FieldTooLong, fmt.Sprintf("is at most %d characters", max))
	}
	return v
}

func (e *Expert) validate() error {
	var p domain.Problems
	if !slices.Contains(Kinds, e.Kind) {
		p.Add("kind", domain.FieldUnsupported, "is not a kind of expert")
	}
	if e.UserID <= 0 {
		p.Add("user_id", domain.FieldRequired, "names the staff account the expert works through")
	}
	e.Bio = text(&p, "bio", e.Bio, false, 1000)
	var specs []string
	for _, s := range e.Specialties {
		if s = text(&p, "specialties", s, false, 30); s != "" && !slices.Contains(specs, s) {
			specs = append(specs, s)
		}
	}
	if len(specs) > 20 {
		p.Add("specialties", domain.FieldTooLong, "at most 20")
	}
	e.Specialties = specs
	return p.Err()
}

// SaveExpert adds an expert (id 0) or changes one (supervisors and admins;
// the route guard checks the role). The name and unit come from the account.
func (s *Service) SaveExpert(ctx context.Context, a domain.Actor, id int64, e Expert) (*Expert, error) {
	if err := e.validate(); err != nil {
		return nil, err
	}
	var out *Expert
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		acc, err := s.Accounts.Account(ctx, e.UserID)
		if err != nil || acc.Disabled {
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return err
			}
			return domain.Invalid(domain.FieldError{Field: "user_id", Code: domain.FieldDoesNotExist, Message: "is not an enabled staff account"})
		}
		now := s.Clock.Now()
		e.Name, e.UnitID, e.UpdatedAt = acc.Name, acc.OrgID, now
		if id == 0 {
			e.CreatedAt = now
			if err := s.Store.CreateExpert(ctx, &e); err != nil {
				if domain.IsKind(err, domain.KindConflict) {
					return domain.Errorf(domain.KindConflict, "expert.exists", "This account is already in the expert pool.")
				}
				return err
			}
		} else {
			cur, err := s.Store.Expert(ctx, id)
			if err != nil {
				return err
			}
			e.ID, e.CreatedAt = id, cur.CreatedAt
			if err := s.Store.UpdateExpert(ctx, &e); err != nil {
				if domain.IsKind(err, domain.KindConflict) {
					return domain.Errorf(domain.KindConflict, "expert.exists", "This account is already in the expert pool.")
				}
				return err
			}
		}
		out = &e
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "expert.save", "expert", e.ID, string(e.Kind)))
	})
	return out, err
}

// Experts lists the pool, optionally by kind and specialty.
func (s *Service) Experts(ctx context.Context, kind Kind, specialty string, activeOnly bool) ([]Expert, error) {
	if kind != "" && !slices.Contains(Kinds, kind) {
		return nil, domain.Invalid(domain.FieldError{Field: "kind", Code: domain.FieldUnsupported, Message: "is not a kind of expert"})
	}
	return s.Store.Experts(ctx, kind, strings.TrimSpace(specialty), activeOnly)
}

// NewInvitation is what staff ask of an expert.
type NewInvitation struct {
	ExpertID     int64
	ResourceType string
	ResourceID   int64
	Purpose      Purpose
	Note         string
}

// Invite asks an active expert to help with a case the actor works; the
// expert gets a work order.
func (s *Service) Invite(ctx context.Context, a domain.Actor, n NewInvitation) (*Invitation, error) {
	var p domain.Problems
	if n.ResourceType != "request" && n.ResourceType != "incident" {
		p.Add("resource_type", domain.FieldUnsupported, "is request or incident")
	}
	if n.ResourceID <= 0 {
		p.Add("resource_id", domain.FieldRequired, "is required")
	}
	if n.Purpose != DifficultCase && n.Purpose != JointMediation {
		p.Add("purpose", domain.FieldUnsupported, "is difficult_case or joint_mediation")
	}
	n.Note = text(&p, "note", n.Note, true, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := s.Cases.CanWork(ctx, a, n.ResourceType, n.ResourceID); err != nil {
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Invalid(domain.FieldError{Field: "resource_id", Code: domain.FieldDoesNotExist, Message: "is not a case you work"})
		}
		return nil, err
	}
	var out *Invitation
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		e, err := s.Store.Expert(ctx, n.ExpertID)
		if err != nil || !e.Active {
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return err
			}
			return domain.Invalid(domain.FieldError{Field: "expert_id", Code: domain.FieldDoesNotExist, Message: "is not an active expert"})
		}
		now := s.Clock.Now()
		inv := &Invitation{ExpertID: e.ID, ExpertUserID: e.UserID, ResourceType: n.ResourceType, ResourceID: n.ResourceID, Purpose: n.Purpose,
			Note: n.Note, State: Invited, InvitedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.Store.CreateInvitation(ctx, inv); err != nil {
			return err
		}
		label := map[Purpose]string{DifficultCase: "疑难案件", JointMediation: "联合调解"}[n.Purpose]
		if err := s.Orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindExpertInvitation, UnitID: e.UnitID, PersonID: e.UserID, Priority: 2,
			Title: "专家邀请：" + label, ResourceType: "expert_invitation", ResourceID: inv.ID,
			DedupeKey: fmt.Sprintf("expert_invitation:%d", inv.ID)}); err != nil {
			return err
		}
		out = inv
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "expert.invite", "expert_invitation", inv.ID, n.ResourceType))
	})
	return out, err
}

// visible loads an invitation the actor may see: the expert, the inviter,
// supervisors and admins.
func (s *Service) visible(ctx context.Context, a domain.Actor, id int64) (*Invitation, error) {
	inv, err := s.Store.Invitation(ctx, id)
	if err == nil && (inv.ExpertUserID == a.UserID || inv.InvitedBy == a.UserID || a.Has("supervisor", "admin")) {
		return inv, nil
	}
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return nil, err
	}
	return nil, domain.Errorf(domain.KindNotFound, "expert.invitation_not_found", "No such invitation.")
}

// Invitation is one invitation the actor may see.
func (s *Service) Invitation(ctx context.Context, a domain.Actor, id int64) (*Invitation, error) {
	return s.visible(ctx, a, id)
}

// MyInvitations are those to the actor as an expert.
func (s *Service) MyInvitations(ctx context.Context, a domain.Actor) ([]Invitation, error) {
	return s.Store.Invitations(ctx, "", 0, a.UserID)
}

// Act answers (accept, decline: the expert), concludes (the expert, with
// their opinion) or withdraws (the inviter, a supervisor) an invitation.
func (s *Service) Act(ctx context.Context, a domain.Actor, id int64, action Action, words string) (*Invitation, error) {
	var p domain.Problems
	words = text(&p, "text", words, action == ActConclude || action == ActDecline || action == ActWithdraw, 4000)
	if !slices.Contains(Actions, action) {
		p.Add("action", domain.FieldUnsupported, "is accept, decline, conclude or withdraw")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Invitation
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		inv, err := s.visible(ctx, a, id)
		if err != nil {
			return err
		}
		if action == ActWithdraw && inv.InvitedBy != a.UserID && !a.Has("supervisor", "admin") {
			return domain.Errorf(domain.KindForbidden, "expert.inviter_only", "Only who invited the expert can withdraw the invitation.")
		}
		if action != ActWithdraw && inv.ExpertUserID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "expert.expert_only", "Only the invited expert can answer.")
		}
		to, err := Next(inv.State, action)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		cause := ""
		switch action {
		case ActAccept, ActDecline:
			inv.Reply, inv.AnsweredAt, cause = words, &now, workorder.CauseExpertAnswered
		case ActConclude:
			inv.Opinion, inv.ConcludedAt = words, &now
		case ActWithdraw:
			inv.Reply, cause = words, workorder.CauseExpertWithdrawn
		}
		inv.State, inv.UpdatedAt = to, now
		ok, err := s.Store.UpdateInvitation(ctx, inv)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "expert.invitation_changed", "The invitation changed meanwhile; reload it and try again.")
		}
		if cause != "" {
			if _, err := s.Orders.Settle(ctx, a, cause, inv.ID); err != nil {
				return err
			}
		}
		out = inv
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "expert_invitation."+string(action), "expert_invitation", inv.ID, string(to)))
	})
	return out, err
}

// Guest reports whether the user is an expert who accepted (or concluded)
// an invitation to the case: they may read it.
func (s *Service) Guest(ctx context.Context, userID int64, resourceType string, resourceID int64) (bool, error) {
	invs, err := s.Store.Invitations(ctx, resourceType, resourceID, 0)
	if err != nil {
		return false, err
	}
	for _, inv := range invs {
		if inv.ExpertUserID == userID && (inv.State == Accepted || inv.State == Concluded) {
			return true, nil
		}
	}
	return false, nil
}

// CaseInvitations are the invitations of one case the actor works.
func (s *Service) CaseInvitations(ctx context.Context, a domain.Actor, resourceType string, resourceID int64) ([]Invitation, error) {
	if err := s.Cases.CanWork(ctx, a, resourceType, resourceID); err != nil {
		return nil, err
	}
	return s.Store.Invitations(ctx, resourceType, resourceID, 0)
}
