package workorder

import (
	"context"
	"errors"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// timerBatch bounds one pass of each clock, so a backlog after an outage
// drains over a few ticks instead of one long transaction.
const timerBatch = 100

// Tick runs the clocks once: before-breach notices, escalations of orders
// past their deadline, and re-sending of orders no app acknowledged in time
// (their stream entries may have been lost with a Redis failover). It
// reports how many orders it touched. Every clock reads the database, so
// timers survive restarts and several servers may tick at once: each
// change is a versioned update, and the loser of a race skips the order.
func (s *Service) Tick(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	n := 0
	warn, err := s.Store.WarnDue(ctx, now, timerBatch)
	if err != nil {
		return n, err
	}
	for i := range warn {
		if done, err := s.warnBeforeBreach(ctx, warn[i].ID); err != nil {
			return n, err
		} else if done {
			n++
		}
	}
	due, err := s.Store.Overdue(ctx, now, timerBatch)
	if err != nil {
		return n, err
	}
	for i := range due {
		if done, err := s.escalate(ctx, due[i].ID); err != nil {
			return n, err
		} else if done {
			n++
		}
	}
	if s.Reconcile > 0 {
		stale, err := s.Store.Unacknowledged(ctx, now.Add(-s.Reconcile), timerBatch)
		if err != nil {
			return n, err
		}
		for i := range stale {
			if done, err := s.resend(ctx, stale[i].ID, s.stillWaiting(ctx, &stale[i])); err != nil {
				return n, err
			} else if done {
				n++
			}
		}
	}
	return n, nil
}

// system runs fn on a fresh copy of an order in a transaction and writes
// it back; false when the order moved on meanwhile (fn says skip, or the
// versioned update lost).
func (s *Service) system(ctx context.Context, id int64, fn func(ctx context.Context, o *Order, now time.Time) (bool, error)) (bool, error) {
	var done bool
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.Store.Order(ctx, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		ok, err := fn(ctx, o, now)
		if err != nil || !ok {
			return err
		}
		o.UpdatedAt = now
		if done, err = s.Store.Update(ctx, o); err != nil {
			return err
		}
		if !done {
			return errLostRace // roll back what fn wrote (an outbox row, a notice)
		}
		return nil
	})
	if errors.Is(err, errLostRace) {
		return false, nil
	}
	return done, err
}

// errLostRace rolls back a clock's change to an order that someone else
// changed meanwhile.
var errLostRace = errors.New("work order changed meanwhile")

func (s *Service) warnBeforeBreach(ctx context.Context, id int64) (bool, error) {
	return s.system(ctx, id, func(ctx context.Context, o *Order, now time.Time) (bool, error) {
		if !o.State.Open() || o.PausedAt != nil || o.WarnedAt != nil || o.WarnAt == nil || o.WarnAt.After(now) {
			return false, nil
		}
		o.WarnedAt = &now
		text := "工单即将超时：" + o.Title
		if err := s.Store.AddEvent(ctx, Event{OrderID: o.ID, At: now, Action: "sla_warning", Detail: "due " + o.DueAt.Format(time.RFC3339)}); err != nil {
			return false, err
		}
		if err := s.Outbox.Publish(ctx, Message{Stream: o.Stream(), Type: "notice", OrderID: o.ID, Kind: o.Kind, Notice: "sla_warning", Text: text}); err != nil {
			return false, err
		}
		if who := holder(o); who != 0 && s.Notify != nil {
			return true, s.Notify.Notify(ctx, who, "sla_warning", text, "请在 "+o.DueAt.In(s.loc()).Format("01-02 15:04")+" 前处理。", o.ID, "wo:"+itoa(o.ID)+":warn:"+o.WarnAt.Format(time.RFC3339))
		}
		return true, nil
	})
}

// escalate hands an order whose deadline passed to the parent unit: this
// order ends as escalated, the parent's queue gets an urgent order for the
// same thing, and the parent's supervisors are told. At the top of the tree
// there is no one to hand it to: the unit's own supervisors are told and
// the deadline is cleared so it is not escalated again.
func (s *Service) escalate(ctx context.Context, id int64) (bool, error) {
	return s.system(ctx, id, func(ctx context.Context, o *Order, now time.Time) (bool, error) {
		if !o.State.Open() || o.PausedAt != nil || o.DueAt == nil || o.DueAt.After(now) {
			return false, nil
		}
		parent, err := s.Units.Parent(ctx, o.UnitID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return false, err
		}
		tell := o.UnitID
		if parent != 0 {
			if _, err := Next(o.State, ActEscalate); err != nil {
				return false, err
			}
			o.State, o.ClosedAt = Escalated, &now
			up, err := s.create(ctx, NewOrder{Kind: o.Kind, UnitID: parent, Priority: 1, Title: clip("【超时升级】"+o.Title, 200),
				ResourceType: o.ResourceType, ResourceID: o.ResourceID, DedupeKey: "escalate:" + itoa(o.ID)}, o.ID)
			if err != nil {
				return false, err
			}
			detail := "to unit " + itoa(parent)
			if up != nil {
				detail += " as order " + itoa(up.ID)
			}
			if err := s.Store.AddEvent(ctx, Event{OrderID: o.ID, At: now, Action: "escalated", Detail: detail}); err != nil {
				return false, err
			}
			tell = parent
		} else {
			o.DueAt, o.WarnAt = nil, nil
			if err := s.Store.AddEvent(ctx, Event{OrderID: o.ID, At: now, Action: "breached", Detail: "no parent unit to escalate to"}); err != nil {
				return false, err
			}
		}
		if s.Notify == nil {
			return true, nil
		}
		sups, err := s.Units.Supervisors(ctx, tell)
		if err != nil {
			return false, err
		}
		for _, sup := range sups {
			if err := s.Notify.Notify(ctx, sup, "escalated", "工单超时升级："+o.Title, "下级单位未在时限内处理，已升级至本单位。", o.ID, "wo:"+itoa(o.ID)+":escalated:"+itoa(sup)); err != nil {
				return false, err
			}
		}
		return true, nil
	})
}

// stillWaiting reports whether the order's last entry still waits on its
// stream (StreamCheck); an error answers no, and the order is re-sent as
// it would be without the check.
func (s *Service) stillWaiting(ctx context.Context, o *Order) bool {
	if s.Streams == nil {
		return false
	}
	ok, err := s.Streams.Waiting(ctx, o.Stream(), o.ID, o.CreatedAt, s.AckTimeout)
	return err == nil && ok
}

// resend puts a still-unacknowledged order on its stream again. An order
// whose entry still waits there (waiting) is not added again: its publish
// time moves on, so that the check comes back after another interval.
func (s *Service) resend(ctx context.Context, id int64, waiting bool) (bool, error) {
	return s.system(ctx, id, func(ctx context.Context, o *Order, now time.Time) (bool, error) {
		if o.State != Queued || o.PublishedAt != nil && now.Sub(*o.PublishedAt) < s.Reconcile {
			return false, nil
		}
		if waiting {
			o.PublishedAt = &now
			return true, nil
		}
		o.PublishedAt = &now
		if err := s.Store.AddEvent(ctx, Event{OrderID: o.ID, At: now, Action: "resent", Detail: "not acknowledged in time"}); err != nil {
			return false, err
		}
		return true, s.Outbox.Publish(ctx, o.announcement())
	})
}

// holder is who has the order in hand: its claimer, or the person it is
// addressed to.
func holder(o *Order) int64 {
	if o.AssigneeID != 0 {
		return o.AssigneeID
	}
	return o.PersonID
}

func (s *Service) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}
