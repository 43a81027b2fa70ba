package main

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// manualAssignmentOrders keeps mediation.ManualAssignmentOrders over the
// work-order store, in the caller's transaction.
//
// INTERIM: this is the one place a case staffed by hand touches work orders
// directly. When the work-order lifecycle (finish/cancel the open orders of
// given kinds for a subject, in the caller's transaction) is merged, replace
// the body of FinishManualAssignment with that call and delete this file.
type manualAssignmentOrders struct{ store *mysql.OrderStore }

var _ mediation.ManualAssignmentOrders = manualAssignmentOrders{}

// FinishManualAssignment completes the request's open unit-addressed
// assignment orders (the station's "人工指派" order and escalations of
// assignment orders) with the outcome, and cancels the open assignment
// orders addressed to people no longer staffing the case.
func (m manualAssignmentOrders) FinishManualAssignment(ctx context.Context, a domain.Actor, requestID int64, staffed []int64, outcome string, at time.Time) error {
	orders, err := m.store.OrdersAbout(ctx, "request", requestID)
	if err != nil {
		return err
	}
	for i := range orders {
		o := &orders[i]
		if o.Kind != workorder.KindAssignment || !o.State.Open() || o.PersonID != 0 && slices.Contains(staffed, o.PersonID) {
			continue
		}
		action := workorder.ActComplete
		if o.PersonID != 0 {
			action = workorder.ActCancel
		}
		o.State, o.UpdatedAt, o.ClosedAt, o.PausedAt = workorder.Completed, at, &at, nil
		if action == workorder.ActCancel {
			o.State = workorder.Cancelled
		} else {
			o.Outcome = outcome
			if o.AssigneeID == 0 {
				o.AssigneeID, o.ClaimedAt = a.UserID, &at
			}
		}
		ok, err := m.store.Update(ctx, o)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "work_order.changed", "The work order changed meanwhile; reload it and try again.")
		}
		if err := m.store.AddEvent(ctx, workorder.Event{OrderID: o.ID, At: at, ActorID: a.UserID, Action: string(action), Detail: "case staffed by hand"}); err != nil {
			return err
		}
	}
	return nil
}
