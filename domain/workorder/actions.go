package workorder

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// act loads an order the actor may work, checks fn's action against the
// transition table, lets fn change it, and writes it (optimistically), its
// history line and an audit line in one transaction. An order the actor
// may not see is not found.
func (s *Service) act(ctx context.Context, a domain.Actor, id int64, action Action, detail string,
	fn func(ctx context.Context, o *Order, now time.Time) error) (*Order, error) {
	// A concurrent change of another kind (the app's acknowledgement, a
	// clock) bumps the version between our read and our write; the action
	// is re-checked against the fresh order a couple of times before the
	// caller is told to reload. Two claims still end with one winner: the
	// second re-reads a claimed order and is refused.
	for attempt := 1; ; attempt++ {
		o, err := s.actOnce(ctx, a, id, action, detail, fn)
		if e, ok := domain.AsError(err); ok && attempt < 3 && e.Code == "work_order.changed" {
			continue
		}
		return o, err
	}
}

func (s *Service) actOnce(ctx context.Context, a domain.Actor, id int64, action Action, detail string,
	fn func(ctx context.Context, o *Order, now time.Time) error) (*Order, error) {
	var out *Order
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.visible(ctx, a, id)
		if err != nil {
			return err
		}
		to, err := Next(o.State, action)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := fn(ctx, o, now); err != nil {
			return err
		}
		o.State, o.UpdatedAt = to, now
		ok, err := s.Store.Update(ctx, o)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "work_order.changed", "The work order changed meanwhile; reload it and try again.")
		}
		if err := s.Store.AddEvent(ctx, Event{OrderID: o.ID, At: now, ActorID: a.UserID, Action: string(action), Detail: clip(detail, 500)}); err != nil {
			return err
		}
		if s.Audit != nil && a.UserID != 0 {
			if err := s.Audit.Audit(ctx, domain.AuditOf(a, now, "work_order."+string(action), "work_order", o.ID, string(to))); err != nil {
				return err
			}
		}
		out = o
		return nil
	})
	return out, err
}

// visible loads an order the actor may see: one of their units' orders, or
// one addressed to or claimed by them. Anything else is not found.
func (s *Service) visible(ctx context.Context, a domain.Actor, id int64) (*Order, error) {
	o, err := s.Store.Order(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.UserID != 0 && (o.PersonID == a.UserID || o.AssigneeID == a.UserID) {
		return o, nil
	}
	units, err := s.Units.UnitsOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if slices.Contains(units, o.UnitID) {
		return o, nil
	}
	return nil, domain.Errorf(domain.KindNotFound, "work_order.not_found", "No such work order.")
}

// Get is an order with its history.
func (s *Service) Get(ctx context.Context, a domain.Actor, id int64) (*Order, []Event, error) {
	o, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	events, err := s.Store.Events(ctx, id)
	return o, events, err
}

// List pages the orders of the actor's units and those addressed to them,
// newest first.
func (s *Service) List(ctx context.Context, a domain.Actor, f Filter) ([]Order, error) {
	units, err := s.Units.UnitsOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(f.Units) > 0 { // narrowed to some of their units
		f.Units = slices.DeleteFunc(f.Units, func(u int64) bool { return !slices.Contains(units, u) })
		if len(f.Units) == 0 {
			return nil, nil
		}
	} else {
		f.Units = units
	}
	f.Person = a.UserID
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	return s.Store.List(ctx, f)
}

// Acknowledge records that a staff app showed the order: the first
// acknowledgement moves it from queued to delivered; a repeated one (a
// redelivery the app had already seen) changes nothing and is no error.
// The hub calls it only for orders it read from the actor's own streams,
// so it needs no visibility check — it is on the hot path of every
// delivery: one conditional update and one history line.
func (s *Service) Acknowledge(ctx context.Context, a domain.Actor, id int64) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		changed, err := s.Store.MarkDelivered(ctx, id, now)
		if err != nil || !changed {
			return err
		}
		return s.Store.AddEvent(ctx, Event{OrderID: id, At: now, ActorID: a.UserID, Action: string(ActAcknowledge)})
	})
}

// Claim takes an order: exactly one claimer wins; the others are told it is
// taken. Claiming one's own claimed order again returns it unchanged.
func (s *Service) Claim(ctx context.Context, a domain.Actor, id int64) (*Order, error) {
	o, err := s.act(ctx, a, id, ActClaim, "", func(_ context.Context, o *Order, now time.Time) error {
		if o.PersonID != 0 && o.PersonID != a.UserID && !a.Has("supervisor", "admin") {
			return domain.Errorf(domain.KindForbidden, "work_order.addressed", "This work order is addressed to someone else.")
		}
		if o.PersonID == 0 && !ForApp(o.Kind, AppFor(a.Roles)) {
			return domain.Errorf(domain.KindForbidden, "work_order.role", "Your role does not take this kind of work order.")
		}
		o.AssigneeID, o.ClaimedAt = a.UserID, &now
		if o.DeliveredAt == nil {
			o.DeliveredAt = &now
		}
		return nil
	})
	if err != nil && (domain.IsKind(err, domain.KindFailedPrecondition) || domain.IsKind(err, domain.KindConflict)) {
		cur, gerr := s.Store.Order(ctx, id)
		if gerr == nil && cur.State == Claimed && cur.AssigneeID == a.UserID {
			return cur, nil
		}
		if gerr == nil && cur.State == Claimed {
			return nil, domain.Errorf(domain.KindConflict, "work_order.taken", "Someone else has taken this work order.")
		}
	}
	return o, err
}

// Complete closes a claimed order with its outcome; only its claimer may.
// Completing it again with the same outcome is a no-op.
func (s *Service) Complete(ctx context.Context, a domain.Actor, id int64, outcome string) (*Order, error) {
	outcome = clip(outcome, 500)
	if outcome == "" {
		return nil, domain.Invalid(domain.FieldError{Field: "outcome", Code: "required", Message: "Say what was done."})
	}
	o, err := s.act(ctx, a, id, ActComplete, outcome, func(ctx context.Context, o *Order, now time.Time) error {
		if o.AssigneeID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "work_order.not_yours", "Only the person who claimed this work order can complete it.")
		}
		o.Outcome, o.ClosedAt, o.PausedAt = outcome, &now, nil
		if f := s.Followers[o.ResourceType]; f != nil {
			return f.OrderCompleted(ctx, a, o)
		}
		return nil
	})
	if domain.IsKind(err, domain.KindFailedPrecondition) {
		if cur, gerr := s.Store.Order(ctx, id); gerr == nil && cur.State == Completed && cur.AssigneeID == a.UserID && cur.Outcome == outcome {
			return cur, nil
		}
	}
	return o, err
}

// Reassign sends an order to another unit or person, back into a queue with
// a fresh deadline. Supervisors and admins of the order's unit may, and
// the claimer may hand their order on.
func (s *Service) Reassign(ctx context.Context, a domain.Actor, id, unitID, personID int64, reason string) (*Order, error) {
	if unitID <= 0 && personID <= 0 {
		return nil, domain.Invalid(domain.FieldError{Field: "unit_id", Code: "required", Message: "Name the unit or the person to send it to."})
	}
	return s.act(ctx, a, id, ActReassign, reason, func(ctx context.Context, o *Order, now time.Time) error {
		if !a.Has("supervisor", "admin") && o.AssigneeID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "work_order.reassign_forbidden", "Only a supervisor or the claimer can reassign a work order.")
		}
		// A unit or person outside the actor's district (or subtree) is
		// answered like one that does not exist: nothing is learnt of
		// other districts.
		if unitID > 0 {
			if ok, err := s.Units.Reaches(ctx, a, unitID, 0); err != nil {
				return err
			} else if !ok {
				return domain.Invalid(domain.FieldError{Field: "unit_id", Code: domain.FieldDoesNotExist, Message: "No such unit in your area."})
			}
			o.UnitID = unitID
		}
		if personID > 0 {
			if ok, err := s.Units.Reaches(ctx, a, 0, personID); err != nil {
				return err
			} else if !ok {
				return domain.Invalid(domain.FieldError{Field: "person_id", Code: domain.FieldDoesNotExist, Message: "No such staff member in your area."})
			}
		}
		o.PersonID, o.AssigneeID, o.ClaimedAt, o.DeliveredAt, o.PausedAt = personID, 0, nil, nil, nil
		settings, err := s.settings(ctx, o.UnitID)
		if err != nil {
			return err
		}
		s.setDeadline(o, settings, now)
		o.PublishedAt = &now
		return s.Outbox.Publish(ctx, o.announcement())
	})
}

// Cancel withdraws an order that is no longer needed.
func (s *Service) Cancel(ctx context.Context, a domain.Actor, id int64, reason string) (*Order, error) {
	if clip(reason, 500) == "" {
		return nil, domain.Invalid(domain.FieldError{Field: "reason", Code: "required", Message: "Say why the work order is cancelled."})
	}
	return s.act(ctx, a, id, ActCancel, reason, func(_ context.Context, o *Order, now time.Time) error {
		if !a.Has("supervisor", "admin") && o.AssigneeID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "work_order.cancel_forbidden", "Only a supervisor or the claimer can cancel a work order.")
		}
		o.ClosedAt, o.Outcome = &now, clip(reason, 500)
		return nil
	})
}

// Wait pauses the SLA clock while the claimer waits on the citizen.
func (s *Service) Wait(ctx context.Context, a domain.Actor, id int64, reason string) (*Order, error) {
	return s.act(ctx, a, id, ActWait, reason, func(_ context.Context, o *Order, now time.Time) error {
		if o.AssigneeID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "work_order.not_yours", "Only the person who claimed this work order can pause it.")
		}
		if o.PausedAt == nil {
			o.PausedAt = &now
		}
		return nil
	})
}

// Resume restarts the clock: the deadline moves by the working time spent
// waiting.
func (s *Service) Resume(ctx context.Context, a domain.Actor, id int64) (*Order, error) {
	return s.act(ctx, a, id, ActResume, "", func(ctx context.Context, o *Order, now time.Time) error {
		if o.AssigneeID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "work_order.not_yours", "Only the person who claimed this work order can resume it.")
		}
		if o.PausedAt == nil {
			return nil
		}
		settings, err := s.settings(ctx, o.UnitID)
		if err != nil {
			return err
		}
		cal := s.calendar(settings)
		waited := cal.Between(*o.PausedAt, now)
		if o.DueAt != nil {
			due := cal.Add(*o.DueAt, waited)
			o.DueAt = &due
		}
		if o.WarnAt != nil && o.WarnedAt == nil {
			warn := cal.Add(*o.WarnAt, waited)
			o.WarnAt = &warn
		}
		o.PausedAt = nil
		return nil
	})
}

// ConfigureUnit sets a unit's assignment mode and working hours (admins,
// and supervisors for units under them).
func (s *Service) ConfigureUnit(ctx context.Context, a domain.Actor, st UnitSettings) (UnitSettings, error) {
	var p domain.Problems
	switch st.Assignment {
	case AssignFree, AssignRoundRobin, AssignLeastLoaded:
	default:
		p.Add("assignment", domain.FieldUnsupported, "Choose free, round_robin or least_loaded.")
	}
	if st.Hours != "" {
		if _, _, err := ParseHours(st.Hours); err != nil {
			p.Add("hours", domain.FieldInvalid, "Give working hours as HH:MM-HH:MM, e.g. 08:30-17:30.")
		}
	}
	if err := p.Err(); err != nil {
		return st, err
	}
	units, err := s.Units.UnitsOf(ctx, a)
	if err != nil {
		return st, err
	}
	if !a.Has("admin") && !slices.Contains(units, st.UnitID) {
		return st, domain.Errorf(domain.KindNotFound, "unit.not_found", "No such unit.")
	}
	if _, err := s.Units.Parent(ctx, st.UnitID); err != nil {
		return st, err
	}
	return st, s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Settings.SaveUnitSettings(ctx, st); err != nil {
			return err
		}
		if s.Audit == nil {
			return nil
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "unit.dispatch", "organization", st.UnitID, st.Assignment))
	})
}

// UnitSettingsOf reads a unit's dispatch settings (defaults when unset).
func (s *Service) UnitSettingsOf(ctx context.Context, unitID int64) (UnitSettings, error) {
	return s.settings(ctx, unitID)
}
