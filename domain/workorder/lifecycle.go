package workorder

import (
	"context"
	"slices"
	"sort"

	"github.com/tiaojie/tiaojie/domain"
)

// An order asks someone to do a piece of work about one subject (a request,
// a booking, a warning…). When the work is done through the subject's own
// action — the request is screened, the booking decided — nobody should
// still have to claim the order, and its clock must not escalate work that
// is finished. So every area names the cause when it acts, and Settle ends
// the subject's open orders the lifecycle table lists for that cause, in
// the transaction of the action itself.

// Causes: the domain actions that end orders.
const (
	CauseRequestScreened   = "request.screened"  // staff screened (classified) the request
	CauseRequestRejected   = "request.rejected"  // staff turned the request away
	CauseRequestWithdrawn  = "request.withdrawn" // the citizen withdrew it
	CauseCaseAssigned      = "case.assigned"     // a lead was assigned (by routing later or by hand): 人工指派 is done
	CauseCaseReassigned    = "case.reassigned"   // another lead or assistant: the earlier assignment orders are void
	CauseCaseStarted       = "case.started"      // the lead opened mediation
	CauseCaseClosed        = "case.closed"       // the case closed
	CauseCaseFollowedUp    = "case.followed_up"  // the return visit after closing was made
	CauseRecordSubmitted   = "record.submitted"  // the author (re)submitted the record
	CauseRecordReviewed    = "record.reviewed"   // a reviewer approved or returned the record at their level
	CauseJointStarted      = "joint.started"     // the centre pushed a detainee's request to partner units
	CauseJointDecided      = "joint.decided"     // the joint mediation was decided
	CauseVisitDecided      = "visit.decided"     // the centre approved or refused the booking
	CauseVisitCancelled    = "visit.cancelled"   // the booking was cancelled (family, centre, release, blocked day)
	CauseVisitRescheduled  = "visit.rescheduled" // the booking moved; a new approval order follows
	CauseFollowUpAssessed  = "follow_up.assessed"
	CauseFollowUpClosed    = "follow_up.closed"
	CauseLabelChanged      = "detainee.label_changed" // a detainee's label rose again or fell to blue
	CauseDetaineeLeft      = "detainee.left"          // released or transferred
	CauseWarningHandled    = "warning.handled"
	CauseWarningClosed     = "warning.closed"
	CauseJudiciallyDecided = "case.judicially_decided" // the court recorded its ruling on the agreement
	// Police–justice fusion (警法融合): a visit to a person of the special
	// population register, and a joint meeting's action item closed.
	CauseSpecialVisited      = "special_person.visited"
	CauseSpecialLeft         = "special_person.left" // released from management, re-offended or moved to another area
	CauseMeetingActionClosed = "meeting_action.closed"
	CauseIncidentAssisted    = "incident.assisted" // the legal worker recorded their part in the incident
	CauseIncidentEnded       = "incident.ended"    // the incident was resolved, referred or closed
	CauseFindingRectified    = "finding.rectified" // the station reported the finding rectified
	CauseExpertAnswered      = "expert.answered"   // the expert accepted or declined the invitation
	CauseExpertWithdrawn     = "expert.withdrawn"  // the inviter withdrew the invitation
	// The lead or assistant worked the case themselves (saved, submitted
	// or reviewed its record, opened a video room, ended the mediation):
	// their own assignment order is done. Someone reassigned into a case
	// already being mediated never starts it (OwnOnly).
	CauseCaseWorked = "case.worked"
)

// Ending is what a cause does to the open orders of one kind.
type Ending struct {
	Kind string
	To   State // Completed: the cause did the work; Cancelled: the work is no longer needed
}

// Rule is one line of the lifecycle: a cause, the type of subject it acts
// on, how an order it ends reads (its outcome) and the endings.
type Rule struct {
	Cause    string
	Resource string
	Outcome  string
	Ends     []Ending
}

// ownOnly are the causes that end only the orders addressed to the actor
// (their own part of the work), none of others' nor the unit's.
var ownOnly = map[string]bool{CauseCaseWorked: true}

// OwnOnly reports whether cause ends only the actor's own orders.
func OwnOnly(cause string) bool { return ownOnly[cause] }

func done(kinds ...string) []Ending {
	out := make([]Ending, len(kinds))
	for i, k := range kinds {
		out[i] = Ending{k, Completed}
	}
	return out
}

func void(kinds ...string) []Ending {
	out := make([]Ending, len(kinds))
	for i, k := range kinds {
		out[i] = Ending{k, Cancelled}
	}
	return out
}

// Lifecycle is the table docs/DISPATCH.md shows ("Which action ends an
// order").
var Lifecycle = []Rule{
	{CauseRequestScreened, "request", "申请已筛选", done(KindScreenRequest)},
	// A rejection is the screening's answer, so it completes the screening;
	// what was waiting on the case goes.
	{CauseRequestRejected, "request", "申请已驳回", append(done(KindScreenRequest), void(KindAssignment, KindDetaineeFiling)...)},
	{CauseRequestWithdrawn, "request", "申请人已撤回", void(KindScreenRequest, KindDetaineeFiling, KindAssignment, KindRecordReview,
		KindRecordReturned)},
	{CauseCaseAssigned, "request", "已指派主调", done(KindAssignment)},
	{CauseCaseReassigned, "request", "已改派", void(KindAssignment)},
	{CauseCaseStarted, "request", "调解已开始", done(KindAssignment)},
	{CauseCaseWorked, "request", "已着手办理", done(KindAssignment)}, // the actor's own only (OwnOnly)
	{CauseCaseClosed, "request", "案件已结案", void(KindDetaineeFiling)},
	{CauseCaseFollowedUp, "request", "已回访", done(KindFollowUp)},
	{CauseRecordSubmitted, "request", "记录已重新提交", done(KindRecordReturned)},
	{CauseRecordReviewed, "request", "记录已审核", done(KindRecordReview)},
	{CauseJointStarted, "request", "已发起联调联处", done(KindDetaineeFiling)},
	{CauseJointDecided, "joint_mediation", "联调联处已决定", done(KindJointMediation, KindHomeStation)},
	{CauseVisitDecided, "visit_booking", "会见预约已审核", done(KindVisitApproval)},
	{CauseVisitCancelled, "visit_booking", "会见预约已取消", void(KindVisitApproval, KindHomeStation)},
	{CauseVisitRescheduled, "visit_booking", "会见预约已改期", void(KindVisitApproval, KindHomeStation)},
	{CauseFollowUpAssessed, "follow_up", "回访已评估", done(KindFollowUp)},
	{CauseFollowUpClosed, "follow_up", "回访已结案销号", done(KindFollowUp)},
	{CauseLabelChanged, "detainee", "风险标签已变化", void(KindAttention)},
	{CauseDetaineeLeft, "detainee", "被拘留人已离所", void(KindAttention)},
	{CauseWarningHandled, "warning", "预警已处置", done(KindWarning)},
	{CauseWarningClosed, "warning", "预警已关闭", done(KindWarning)},
	{CauseJudiciallyDecided, "request", "法院已作出司法确认裁定", done(KindJudicialConfirmation)},
	{CauseSpecialVisited, "special_person", "已走访", done(KindSpecialContact, KindSpecialPatrol)},
	{CauseSpecialLeft, "special_person", "已不在本辖区管控", void(KindSpecialContact, KindSpecialPatrol)},
	{CauseMeetingActionClosed, "meeting_action", "会商事项已办结", done(KindMeetingAction)},
	{CauseIncidentAssisted, "incident", "法律工作者已出具意见", done(KindIncidentAssist)},
	{CauseIncidentEnded, "incident", "警情纠纷已办结", void(KindIncidentAssist)},
	{CauseFindingRectified, "pairing_finding", "问题已整改", done(KindRectification)},
	{CauseExpertAnswered, "expert_invitation", "专家已答复邀请", done(KindExpertInvitation)},
	{CauseExpertWithdrawn, "expert_invitation", "邀请已撤回", void(KindExpertInvitation)},
}

// RuleOf is the lifecycle line of a cause.
func RuleOf(cause string) (Rule, bool) {
	for _, r := range Lifecycle {
		if r.Cause == cause {
			return r, true
		}
	}
	return Rule{}, false
}

// Settle ends, in the transaction ctx carries (it opens one otherwise), the
// open orders about the subject that the lifecycle lists for cause: each is
// completed or cancelled with a history line naming the cause and an audit
// line of the actor who took the action. Escalated copies of an order (the
// parent unit's) are about the same subject and end with it. It reports how
// many orders it ended; an unknown cause is a programming error. Orders
// addressed to one of the people in keep stay open: a reassignment voids
// the orders of those taken off the case, not of those who stay on it. A
// cause of OwnOnly ends only the actor's own orders.
func (s *Service) Settle(ctx context.Context, a domain.Actor, cause string, resourceID int64, keep ...int64) (int, error) {
	rule, ok := RuleOf(cause)
	if !ok {
		return 0, domain.Errorf(domain.KindInternal, "work_order.unknown_cause", "No lifecycle rule for %q.", cause)
	}
	kinds := make([]string, len(rule.Ends))
	for i, e := range rule.Ends {
		kinds[i] = e.Kind
	}
	n := 0
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		open, err := s.Store.OpenOf(ctx, rule.Resource, resourceID, kinds)
		if err != nil {
			return err
		}
		sort.Slice(open, func(i, j int) bool { return open[i].ID < open[j].ID })
		now := s.Clock.Now()
		for i := range open {
			o := &open[i]
			idx := slices.IndexFunc(rule.Ends, func(e Ending) bool { return e.Kind == o.Kind })
			if idx < 0 || !o.State.Open() || o.PersonID != 0 && slices.Contains(keep, o.PersonID) || ownOnly[cause] && o.PersonID != a.UserID {
				continue
			}
			action := ActFinish
			if rule.Ends[idx].To == Cancelled {
				action = ActCancel
			}
			to, err := Next(o.State, action)
			if err != nil {
				return err
			}
			o.State, o.Outcome, o.ClosedAt, o.PausedAt, o.UpdatedAt = to, rule.Outcome, &now, nil, now
			ok, err := s.Store.Update(ctx, o)
			if err != nil {
				return err
			}
			if !ok {
				return domain.Errorf(domain.KindConflict, "work_order.changed", "A work order of this matter changed meanwhile; try again.")
			}
			if err := s.Store.AddEvent(ctx, Event{OrderID: o.ID, At: now, ActorID: a.UserID, Action: string(action), Detail: "by " + cause}); err != nil {
				return err
			}
			if s.Audit != nil {
				if err := s.Audit.Audit(ctx, domain.AuditOf(a, now, "work_order."+string(action), "work_order", o.ID, cause)); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, err
}
