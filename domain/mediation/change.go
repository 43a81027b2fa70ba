package mediation

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// changes collects what one state change writes besides the request itself:
// timeline events and work orders. Everything is written in the transaction
// of the change.
type changes struct {
	actor  domain.Actor
	now    time.Time
	events []Event
	orders []OrderRequest
	causes []settlement // of the work-order lifecycle: ended before the new orders are made
}

// move applies a state-machine action to r and notes it on the timeline.
func (c *changes) move(r *Request, a Action, eventType, note string) error {
	to, err := Next(r.Status, a)
	if err != nil {
		return err
	}
	c.events = append(c.events, Event{RequestID: r.ID, At: c.now, ActorID: c.actor.UserID, ActorRole: c.actor.PrimaryRole(),
		Type: eventType, FromStatus: r.Status, ToStatus: to, Note: note})
	r.Status = to
	return nil
}

// note adds a timeline event that does not move the status.
func (c *changes) note(eventType, note string) {
	c.events = append(c.events, Event{At: c.now, ActorID: c.actor.UserID, ActorRole: c.actor.PrimaryRole(), Type: eventType, Note: note})
}

func (c *changes) order(o OrderRequest) { c.orders = append(c.orders, o) }

// settlement is a lifecycle cause and the people whose orders it spares.
type settlement struct {
	cause string
	keep  []int64
}

// settle notes that this change ends the request's open work orders its
// cause lists (screening ends the screening order…), except those addressed
// to the people in keep.
func (c *changes) settle(cause string, keep ...int64) {
	c.causes = append(c.causes, settlement{cause, keep})
}

// change loads a request the actor may see, lets fn change it, and writes the
// request (optimistically, one version up), its events, an audit line and its
// work orders in one transaction. A request the actor may not see is not
// found; a request changed by someone else meanwhile is a conflict.
func (s *Service) change(ctx context.Context, a domain.Actor, id int64, fn func(ctx context.Context, r *Request, c *changes) error) (*Request, error) {
	var out *Request
	var wasMediating bool
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Requests.Request(ctx, id)
		if err != nil {
			return err
		}
		if err := s.mayRead(ctx, a, r); err != nil {
			return err
		}
		before, lead, assistant := r.Status, r.LeadID, r.AssistantID
		wasMediating = mediating(before)
		c := &changes{actor: a, now: s.Clock.Now()}
		if err := fn(ctx, r, c); err != nil {
			return err
		}
		if err := s.recordInvolvement(ctx, r, lead, assistant, c.now); err != nil { // the conflict rule's record
			return err
		}
		r.Version++
		r.UpdatedAt = c.now
		if before == StatusFiled && r.Status != StatusFiled && r.FirstResponseAt == nil && !a.Has(RoleCitizen) {
			r.FirstResponseAt = &c.now
		}
		switch r.Status {
		case StatusAgreed, StatusFailed, StatusReferredToLitigation:
			r.Outcome = r.Status
		}
		if err := s.Requests.UpdateRequest(ctx, r); err != nil {
			return err
		}
		for i := range c.events {
			c.events[i].RequestID = r.ID
			if c.events[i].FromStatus == "" && c.events[i].ToStatus == "" {
				c.events[i].FromStatus, c.events[i].ToStatus = r.Status, r.Status
			}
			if err := s.Requests.AppendEvent(ctx, &c.events[i]); err != nil {
				return err
			}
		}
		if err := s.tellFilerOf(ctx, a, r, c.events); err != nil {
			return err
		}
		detail := string(before) + "->" + string(r.Status)
		if len(c.events) > 0 {
			detail = c.events[0].Type + " " + detail
		}
		if err := s.Audit.Audit(ctx, domain.AuditOf(a, c.now, "request.change", "request", r.ID, detail)); err != nil {
			return err
		}
		for _, st := range c.causes {
			if err := s.Orders.SettleOrders(ctx, a, st.cause, r.ID, st.keep...); err != nil {
				return err
			}
		}
		for _, o := range c.orders {
			if err := s.Orders.CreateOrder(ctx, o); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	if err == nil && wasMediating && !mediating(out.Status) && s.LiveRooms != nil {
		// After the commit: the SFU ends the case's live rooms now (the
		// participants are told, recordings finalised); the stored end
		// follows from its event.
		s.LiveRooms.EndRoomsOf(RoomOfCase, out.ID, RoomEndCaseEnded)
	}
	return out, err
}
