package workorder_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	wo "github.com/tiaojie/tiaojie/domain/workorder"
)

// allKinds are the kinds of orders the code base makes.
var allKinds = []string{wo.KindScreenRequest, wo.KindAssignment, wo.KindVisitApproval, wo.KindJointMediation, wo.KindWarning,
	wo.KindFollowUp, wo.KindRecordReview, wo.KindRecordReturned, wo.KindAttention, wo.KindDetaineeFiling, wo.KindJudicialConfirmation,
	wo.KindSpecialContact, wo.KindSpecialPatrol, wo.KindMeetingAction,
	wo.KindIncidentAssist, wo.KindRectification, wo.KindExpertInvitation,
	wo.KindHomeStation}

// The lifecycle, one row per cause and kind: what the action does to the
// subject's open order of that kind ("" leaves it alone).
func TestLifecycleTable(t *testing.T) {
	const (
		done = wo.Completed
		void = wo.Cancelled
	)
	rows := []struct {
		cause string
		kind  string
		want  wo.State
	}{
		{wo.CauseRequestScreened, wo.KindScreenRequest, done},
		{wo.CauseRequestScreened, wo.KindDetaineeFiling, ""}, // the centre still has its part to play
		{wo.CauseRequestRejected, wo.KindScreenRequest, done},
		{wo.CauseRequestRejected, wo.KindAssignment, void},
		{wo.CauseRequestRejected, wo.KindDetaineeFiling, void},
		{wo.CauseRequestWithdrawn, wo.KindScreenRequest, void},
		{wo.CauseRequestWithdrawn, wo.KindAssignment, void},
		{wo.CauseRequestWithdrawn, wo.KindDetaineeFiling, void},
		{wo.CauseRequestWithdrawn, wo.KindRecordReview, void},
		{wo.CauseRequestWithdrawn, wo.KindRecordReturned, void},
		{wo.CauseCaseAssigned, wo.KindAssignment, done}, // 人工指派 is done by assigning by hand
		{wo.CauseCaseReassigned, wo.KindAssignment, void},
		{wo.CauseCaseStarted, wo.KindAssignment, done},
		{wo.CauseCaseStarted, wo.KindScreenRequest, ""},
		{wo.CauseCaseWorked, wo.KindAssignment, done}, // the actor's own only
		{wo.CauseCaseWorked, wo.KindRecordReview, ""},
		{wo.CauseCaseClosed, wo.KindDetaineeFiling, void},
		{wo.CauseCaseClosed, wo.KindFollowUp, ""}, // the close makes the follow-up order
		{wo.CauseCaseFollowedUp, wo.KindFollowUp, done},
		{wo.CauseRecordSubmitted, wo.KindRecordReturned, done},
		{wo.CauseRecordSubmitted, wo.KindRecordReview, ""},
		{wo.CauseRecordReviewed, wo.KindRecordReview, done},
		{wo.CauseJointStarted, wo.KindDetaineeFiling, done},
		{wo.CauseJointDecided, wo.KindJointMediation, done},
		{wo.CauseVisitDecided, wo.KindVisitApproval, done},
		{wo.CauseVisitCancelled, wo.KindVisitApproval, void},
		{wo.CauseVisitRescheduled, wo.KindVisitApproval, void},
		{wo.CauseFollowUpAssessed, wo.KindFollowUp, done},
		{wo.CauseFollowUpClosed, wo.KindFollowUp, done},
		{wo.CauseLabelChanged, wo.KindAttention, void},
		{wo.CauseDetaineeLeft, wo.KindAttention, void},
		{wo.CauseWarningHandled, wo.KindWarning, done},
		{wo.CauseWarningClosed, wo.KindWarning, done},
		{wo.CauseJudiciallyDecided, wo.KindJudicialConfirmation, done},
		{wo.CauseJudiciallyDecided, wo.KindFollowUp, ""},
		{wo.CauseSpecialVisited, wo.KindSpecialContact, done},
		{wo.CauseSpecialVisited, wo.KindSpecialPatrol, done},
		{wo.CauseSpecialLeft, wo.KindSpecialContact, void},
		{wo.CauseSpecialLeft, wo.KindSpecialPatrol, void},
		{wo.CauseMeetingActionClosed, wo.KindMeetingAction, done},
		{wo.CauseIncidentAssisted, wo.KindIncidentAssist, done},
		{wo.CauseIncidentEnded, wo.KindIncidentAssist, void},
		{wo.CauseFindingRectified, wo.KindRectification, done},
		{wo.CauseExpertAnswered, wo.KindExpertInvitation, done},
		{wo.CauseExpertWithdrawn, wo.KindExpertInvitation, void},
	}
	for _, r := range rows {
		t.Run(r.cause+" "+r.kind, func(t *testing.T) {
			rule, ok := wo.RuleOf(r.cause)
			if !ok {
				t.Fatalf("no rule for %s", r.cause)
			}
			var got wo.State
			for _, e := range rule.Ends {
				if e.Kind == r.kind {
					got = e.To
				}
			}
			if got != r.want {
				t.Fatalf("%s leaves an open %s order %q, want %q", r.cause, r.kind, got, r.want)
			}
		})
	}
}

// Every kind ends somehow besides by hand, every cause ends something, and
// docs/DISPATCH.md shows every cause and kind.
func TestEveryKindHasAnEndingAndTheDocsShowIt(t *testing.T) {
	doc, err := os.ReadFile("../../docs/DISPATCH.md")
	if err != nil {
		t.Fatal(err)
	}
	ended := map[string]bool{}
	causes := map[string]bool{}
	for _, r := range wo.Lifecycle {
		if causes[r.Cause] {
			t.Errorf("cause %s has two rules", r.Cause)
		}
		causes[r.Cause] = true
		if len(r.Ends) == 0 || r.Resource == "" || r.Outcome == "" {
			t.Errorf("rule %s ends nothing or lacks its subject or outcome", r.Cause)
		}
		for _, e := range r.Ends {
			if e.To != wo.Completed && e.To != wo.Cancelled {
				t.Errorf("rule %s ends %s as %s", r.Cause, e.Kind, e.To)
			}
			ended[e.Kind] = true
		}
		if !strings.Contains(string(doc), "`"+r.Cause+"`") {
			t.Errorf("docs/DISPATCH.md does not show cause %s", r.Cause)
		}
	}
	for _, k := range allKinds {
		if !ended[k] {
			t.Errorf("no domain action ends a %s order", k)
		}
		if !strings.Contains(string(doc), "`"+k+"`") {
			t.Errorf("docs/DISPATCH.md does not show kind %s", k)
		}
	}
}

func TestFinishByTheDomainFromEveryOpenState(t *testing.T) {
	for _, s := range []wo.State{wo.Queued, wo.Delivered, wo.Claimed} {
		if to, err := wo.Next(s, wo.ActFinish); err != nil || to != wo.Completed {
			t.Errorf("finish from %s: %s, %v", s, to, err)
		}
	}
	for _, s := range []wo.State{wo.Completed, wo.Cancelled, wo.Escalated} {
		if _, err := wo.Next(s, wo.ActFinish); !domain.IsKind(err, domain.KindFailedPrecondition) {
			t.Errorf("finish from %s: %v, want a failed precondition", s, err)
		}
	}
}

// Settle ends the open orders of the listed kinds about the subject, and
// only those, with a history line naming the cause and an audit line of
// the actor.
func TestSettleEndsOnlyTheListedOpenOrdersOfTheSubject(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	st := &memStore{orders: map[int64]*wo.Order{
		1: {ID: 1, Kind: wo.KindScreenRequest, State: wo.Queued, ResourceType: "request", ResourceID: 7, Version: 1},
		2: {ID: 2, Kind: wo.KindScreenRequest, State: wo.Claimed, ResourceType: "request", ResourceID: 7, Version: 3, PausedAt: &now}, // an escalated copy
		3: {ID: 3, Kind: wo.KindAssignment, State: wo.Queued, ResourceType: "request", ResourceID: 7, Version: 1},
		4: {ID: 4, Kind: wo.KindScreenRequest, State: wo.Queued, ResourceType: "request", ResourceID: 8, Version: 1},
		5: {ID: 5, Kind: wo.KindScreenRequest, State: wo.Escalated, ResourceType: "request", ResourceID: 7, Version: 2},
		6: {ID: 6, Kind: wo.KindScreenRequest, State: wo.Queued, ResourceType: "booking", ResourceID: 7, Version: 1},
	}}
	audit := &memAudit{}
	s := &wo.Service{Tx: noTx{}, Store: st, Audit: audit, Clock: domain.ClockFunc(func() time.Time { return now })}
	officer := domain.Actor{UserID: 42, Roles: []string{"police"}}
	n, err := s.Settle(context.Background(), officer, wo.CauseRequestScreened, 7)
	if err != nil || n != 2 {
		t.Fatalf("settled %d, %v; want 2", n, err)
	}
	for id, want := range map[int64]wo.State{1: wo.Completed, 2: wo.Completed, 3: wo.Queued, 4: wo.Queued, 5: wo.Escalated, 6: wo.Queued} {
		if got := st.orders[id].State; got != want {
			t.Errorf("order %d is %s, want %s", id, got, want)
		}
	}
	if o := st.orders[2]; o.ClosedAt == nil || o.PausedAt != nil || o.Outcome == "" {
		t.Errorf("a finished order keeps no close time, a pause or lacks its outcome: %+v", o)
	}
	if len(st.events) != 2 || st.events[0].ActorID != 42 || st.events[0].Action != "finish" || !strings.Contains(st.events[0].Detail, wo.CauseRequestScreened) {
		t.Errorf("history %+v", st.events)
	}
	if len(audit.entries) != 2 || audit.entries[0].Action != "work_order.finish" || audit.entries[0].ActorID != 42 {
		t.Errorf("audit %+v", audit.entries)
	}

	if n, err := s.Settle(context.Background(), officer, wo.CauseRequestWithdrawn, 7); err != nil || n != 1 || st.orders[3].State != wo.Cancelled {
		t.Errorf("withdrawal cancelled %d (%v); the assignment order is %s", n, err, st.orders[3].State)
	}
	st.orders[7] = &wo.Order{ID: 7, Kind: wo.KindAssignment, State: wo.Queued, PersonID: 501, ResourceType: "request", ResourceID: 9, Version: 1}
	st.orders[8] = &wo.Order{ID: 8, Kind: wo.KindAssignment, State: wo.Delivered, PersonID: 502, ResourceType: "request", ResourceID: 9, Version: 1}
	if n, err := s.Settle(context.Background(), officer, wo.CauseCaseReassigned, 9, 502, 503); err != nil || n != 1 ||
		st.orders[7].State != wo.Cancelled || st.orders[8].State != wo.Delivered {
		t.Errorf("a reassignment keeping person 502 ended %d (%v): 501's order %s, 502's %s; want only 501's cancelled",
			n, err, st.orders[7].State, st.orders[8].State)
	}
	// The newcomer's own work ends their order only: not a colleague's,
	// not the station's 人工指派 order (no person).
	st.orders[9] = &wo.Order{ID: 9, Kind: wo.KindAssignment, State: wo.Delivered, PersonID: 601, ResourceType: "request", ResourceID: 10, Version: 1}
	st.orders[10] = &wo.Order{ID: 10, Kind: wo.KindAssignment, State: wo.Queued, PersonID: 602, ResourceType: "request", ResourceID: 10, Version: 1}
	st.orders[11] = &wo.Order{ID: 11, Kind: wo.KindAssignment, State: wo.Queued, ResourceType: "request", ResourceID: 10, Version: 1}
	newcomer := domain.Actor{UserID: 601, Roles: []string{"lawyer"}}
	if !wo.OwnOnly(wo.CauseCaseWorked) || wo.OwnOnly(wo.CauseCaseStarted) {
		t.Errorf("case.worked is own-only, case.started is not")
	}
	if n, err := s.Settle(context.Background(), newcomer, wo.CauseCaseWorked, 10); err != nil || n != 1 ||
		st.orders[9].State != wo.Completed || st.orders[10].State != wo.Queued || st.orders[11].State != wo.Queued {
		t.Errorf("the newcomer's work ended %d (%v): theirs %s, a colleague's %s, the station's %s; want only theirs completed",
			n, err, st.orders[9].State, st.orders[10].State, st.orders[11].State)
	}
	if _, err := s.Settle(context.Background(), officer, "request.screned", 7); !domain.IsKind(err, domain.KindInternal) {
		t.Errorf("an unknown cause: %v, want an internal error", err)
	}
}

type noTx struct{}

func (noTx) WithTx(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }

type memAudit struct{ entries []domain.AuditEntry }

func (m *memAudit) Audit(_ context.Context, e ...domain.AuditEntry) error {
	m.entries = append(m.entries, e...)
	return nil
}

// memStore keeps orders in memory; only what Settle needs is implemented.
type memStore struct {
	wo.Store
	orders map[int64]*wo.Order
	events []wo.Event
}

func (m *memStore) OpenOf(_ context.Context, resourceType string, resourceID int64, kinds []string) ([]wo.Order, error) {
	var out []wo.Order
	for _, o := range m.orders {
		if o.ResourceType == resourceType && o.ResourceID == resourceID && slices.Contains(kinds, o.Kind) && o.State.Open() {
			out = append(out, *o)
		}
	}
	return out, nil
}

func (m *memStore) Update(_ context.Context, o *wo.Order) (bool, error) {
	cur := m.orders[o.ID]
	if cur.Version != o.Version {
		return false, nil
	}
	o.Version++
	c := *o
	m.orders[o.ID] = &c
	return true, nil
}

func (m *memStore) AddEvent(_ context.Context, events ...wo.Event) error {
	m.events = append(m.events, events...)
	return nil
}
