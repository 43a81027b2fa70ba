package mediation

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Screening is the triage decision of staff (先筛选): a classification, or a
// rejection with its reason.
type Screening struct {
	Classification Classification
	Reject         bool
	Reason         string
}

// Screen classifies a filed request and routes it to a lead and an assistant
// (or rejects it). When nobody is free the case stays screened and the
// station gets an assignment work order to staff it by hand.
func (s *Service) Screen(ctx context.Context, a domain.Actor, id int64, sc Screening) (*Request, error) {
	sc.Reason = strings.TrimSpace(sc.Reason)
	var p domain.Problems
	if sc.Reject {
		if sc.Reason == "" {
			p.Add("reason", domain.FieldRequired, "say why the request is rejected")
		}
	} else if !sc.Classification.Valid() {
		p.Add("classification", domain.FieldUnsupported, "must be civil, public_security or minor_criminal_civil")
	}
	if utf8.RuneCountInString(sc.Reason) > 500 {
		p.Add("reason", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, func(ctx context.Context, r *Request, c *changes) error {
		if !a.Has(RolePolice, RoleSupervisor, RoleAdmin) {
			return errNotYours()
		}
		if sc.Reject {
			r.RejectReason = sc.Reason
			c.settle("request.rejected")
			return c.move(r, ActionReject, "rejected", sc.Reason)
		}
		r.Classification = sc.Classification
		if err := c.move(r, ActionScreen, "screened", string(sc.Classification)); err != nil {
			return err
		}
		c.settle("request.screened")
		return s.route(ctx, r, c)
	})
}

// route assigns the lead and the assistant, or asks the station to.
func (s *Service) route(ctx context.Context, r *Request, c *changes) error {
	candidates, err := s.Directory.Candidates(ctx, r.Filing.StationID)
	if err != nil {
		return err
	}
	asg, err := Route(RoutingInput{Classification: r.Classification, StationID: r.Filing.StationID, Category: r.Filing.Category,
		ChosenID: r.Filing.ChosenID, Candidates: candidates})
	if domain.IsKind(err, domain.KindFailedPrecondition) {
		e, _ := domain.AsError(err)
		c.note("routing_failed", e.Code)
		c.order(manualAssignmentOrder(r))
		return nil
	}
	if err != nil {
		return err
	}
	r.LeadID, r.AssistantID = asg.Lead.UserID, asg.Assistant.UserID
	note := "lead " + strconv.FormatInt(r.LeadID, 10) + ", assistant " + strconv.FormatInt(r.AssistantID, 10)
	if asg.ChosenHonoured {
		note += " (chosen by the citizen)"
	}
	if err := c.move(r, ActionAssign, "assigned", note); err != nil {
		return err
	}
	if !asg.NextShift.IsZero() {
		c.note(EventNextShift, nextShiftNote(asg, r.Classification))
	}
	for _, who := range []struct {
		id    int64
		role  string
		title string
	}{{r.LeadID, "lead", "您有新的调解案件（主调）"}, {r.AssistantID, "assistant", "您有新的调解案件（协助）"}} {
		c.order(OrderRequest{Kind: "assignment", UnitID: r.Filing.StationID, PersonID: who.id, Priority: 2, Title: who.title,
			ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "assign-"+who.role+"-"+strconv.Itoa(r.Version))})
	}
	return nil
}

// Transition applies one of the actions people take by hand: start, agree,
// fail, refer, close, follow_up, withdraw. Exactly one of two concurrent
// transitions wins; the other gets a conflict.
func (s *Service) Transition(ctx context.Context, a domain.Actor, id int64, action Action, note string) (*Request, error) {
	return s.TransitionAnswered(ctx, a, id, action, note, nil)
}

// handAction checks a hand action and its note.
func handAction(action Action, note string) (string, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return "", domain.Invalid(domain.FieldError{Field: "note", Code: domain.FieldTooLong, Message: "is too long"})
	}
	switch action {
	case ActionStart, ActionAgree, ActionFail, ActionRefer, ActionClose, ActionFollowUp, ActionWithdraw:
	default:
		return "", domain.Invalid(domain.FieldError{Field: "action", Code: domain.FieldUnsupported,
			Message: "must be start, agree, fail, refer, close, follow_up or withdraw"})
	}
	return note, nil
}

// transition is a validated hand action; also, when not nil, changes
// what else the action records (the return visit's answer).
func (s *Service) transition(ctx context.Context, a domain.Actor, id int64, action Action, note string, also func(*Request, *changes)) (*Request, error) {
	return s.change(ctx, a, id, func(ctx context.Context, r *Request, c *changes) error {
		if err := s.mayAct(ctx, a, r, action); err != nil {
			return err
		}
		if action == ActionClose {
			rec, err := s.Records.RecordOfRequest(ctx, r.ID)
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return err
			}
			if rec == nil || rec.Review != ReviewApproved {
				return domain.Errorf(domain.KindFailedPrecondition, "case.record_not_approved",
					"A case closes only when its mediation record has been approved at both levels.")
			}
			now := c.now
			r.ClosedAt = &now
		}
		if err := c.move(r, action, string(action), note); err != nil {
			return err
		}
		if also != nil {
			also(r, c)
		}
		if cause := orderCause[action]; cause != "" {
			c.settle(cause)
		}
		// The lead or assistant ending the mediation (agreed, failed,
		// referred) worked the case: their own assignment order is done.
		if (action == ActionAgree || action == ActionFail || action == ActionRefer) && a.UserID != 0 && (a.UserID == r.LeadID || a.UserID == r.AssistantID) {
			c.settle("case.worked")
		}
		if action == ActionClose {
			c.order(OrderRequest{Kind: "follow_up", UnitID: r.Filing.StationID, PersonID: r.LeadID, Priority: 3, Title: "结案回访",
				ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "follow-up")})
		}
		return nil
	})
}

// orderCause is the work-order lifecycle cause of each hand action that
// ends orders (see domain/workorder Lifecycle).
var orderCause = map[Action]string{
	ActionStart:    "case.started",
	ActionClose:    "case.closed",
	ActionFollowUp: "case.followed_up",
	ActionWithdraw: "request.withdrawn",
}

// mayAct says who may take each hand action: the filer withdraws; the lead
// runs the mediation; police of the station and supervisors may too; closing
// and following up are also open to the station's police.
func (s *Service) mayAct(ctx context.Context, a domain.Actor, r *Request, action Action) error {
	if action == ActionWithdraw {
		if a.UserID == r.FilerID {
			return nil
		}
		return errNotYours()
	}
	if a.UserID != 0 && a.UserID == r.LeadID {
		return nil
	}
	if a.Has(RolePolice, RoleSupervisor, RoleAdmin) {
		if ok, err := s.inScope(ctx, a, r.Filing.StationID); err != nil || ok {
			return err
		}
	}
	return errNotYours()
}

// Rate records the filer's satisfaction with a closed case, once.
func (s *Service) Rate(ctx context.Context, a domain.Actor, id int64, stars int, comment string) (*Request, error) {
	comment = strings.TrimSpace(comment)
	var p domain.Problems
	if stars < 1 || stars > 5 {
		p.Add("stars", domain.FieldOutOfRange, "must be 1 to 5")
	}
	if utf8.RuneCountInString(comment) > 500 {
		p.Add("comment", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, func(ctx context.Context, r *Request, c *changes) error {
		if a.UserID != r.FilerID {
			return errNotYours()
		}
		if r.Status != StatusClosed && r.Status != StatusFollowedUp {
			return domain.Errorf(domain.KindFailedPrecondition, "request.not_closed", "A case can be rated once it is closed.")
		}
		if r.Rating != nil {
			return domain.Errorf(domain.KindConflict, "request.already_rated", "This case has already been rated.")
		}
		r.Rating = &Rating{Stars: stars, Comment: comment, At: c.now}
		c.note("rated", strconv.Itoa(stars))
		return nil
	})
}

func errNotYours() error {
	return domain.Errorf(domain.KindForbidden, "request.not_yours", "You may not do this to this request.")
}

func key(id int64, what string) string { return "request:" + strconv.FormatInt(id, 10) + ":" + what }
