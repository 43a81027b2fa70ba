package detention

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// NewBooking is a family member's booking as they send it. Visitors carry
// full ID numbers here; only their masked form is stored.
type NewBooking struct {
	DetaineeID   int64     `json:"detainee_id"`
	SlotID       int64     `json:"slot_id"`
	Relationship string    `json:"relationship"`
	Visitors     []Visitor `json:"visitors"`
	HoldID       int64     `json:"hold_id"` // the seat held for this form, if any
}

var (
	visitorIDNumber = regexp.MustCompile(`^\d{17}[\dX]$`)
	visitorPhone    = regexp.MustCompile(`^1[3-9]\d{9}$`)
)

// validate checks the shape of a booking (the centre's limits come later)
// and answers it normalised.
func (n NewBooking) validate() (NewBooking, error) {
	var p domain.Problems
	if n.DetaineeID <= 0 {
		p.Add("detainee_id", domain.FieldRequired, "is required")
	}
	if n.SlotID <= 0 {
		p.Add("slot_id", domain.FieldRequired, "is required")
	}
	if n.HoldID < 0 {
		p.Add("hold_id", domain.FieldInvalid, "is a hold ID")
	}
	n.Relationship = strings.TrimSpace(n.Relationship)
	switch l := len([]rune(n.Relationship)); {
	case l == 0:
		p.Add("relationship", domain.FieldRequired, "is required")
	case l > 20:
		p.Add("relationship", domain.FieldTooLong, "at most 20 characters")
	}
	switch {
	case len(n.Visitors) == 0:
		p.Add("visitors", domain.FieldRequired, "name at least one visitor")
	case len(n.Visitors) > 10:
		p.Add("visitors", domain.FieldOutOfRange, "at most 10 visitors")
	}
	vs := make([]Visitor, 0, len(n.Visitors))
	seen := map[string]bool{}
	for i, v := range n.Visitors {
		if i >= 10 {
			break
		}
		f := "visitors[" + strconv.Itoa(i) + "]."
		v.Name = strings.TrimSpace(v.Name)
		v.IDNumber = strings.ToUpper(strings.TrimSpace(v.IDNumber))
		v.Phone = strings.TrimSpace(v.Phone)
		switch l := len([]rune(v.Name)); {
		case l == 0:
			p.Add(f+"name", domain.FieldRequired, "is required")
		case l > 50:
			p.Add(f+"name", domain.FieldTooLong, "at most 50 characters")
		}
		if !visitorIDNumber.MatchString(v.IDNumber) {
			p.Add(f+"id_number", domain.FieldInvalid, "is an 18-character resident ID number")
		} else if seen[v.IDNumber] {
			p.Add(f+"id_number", domain.FieldNotAllowed, "names the same person twice")
		}
		seen[v.IDNumber] = true
		if !visitorPhone.MatchString(v.Phone) {
			p.Add(f+"phone", domain.FieldInvalid, "is a mobile number")
		}
		vs = append(vs, v)
	}
	n.Visitors = vs
	return n, p.Err()
}

// masked is the visitors as stored: ID numbers masked.
func maskedVisitors(vs []Visitor) []Visitor {
	out := make([]Visitor, len(vs))
	for i, v := range vs {
		out[i] = Visitor{Name: v.Name, IDNumber: domain.MaskIDNumber(v.IDNumber), Phone: v.Phone}
	}
	return out
}

// HoldSeat keeps a seat of the slot for a family member of the detainee for
// the centre's hold time while they fill in the form. A member holds one
// seat at a time: a new hold gives back their previous one; holding the
// same slot again answers the live hold.
func (s *Visits) HoldSeat(ctx context.Context, a domain.Actor, slotID, detaineeID int64) (*VisitHold, error) {
	if !a.Has(roleCitizen) {
		return nil, domain.Errorf(domain.KindForbidden, "visit_booking.family_only", "Only family members book visits.")
	}
	if detaineeID <= 0 {
		return nil, domain.Invalid(domain.FieldError{Field: "detainee_id", Code: domain.FieldRequired, Message: "is required"})
	}
	slot, err := s.Store.Slot(ctx, slotID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, domain.Errorf(domain.KindNotFound, "visit_slot.not_found", "No such visiting time.")
	}
	if err != nil {
		return nil, err
	}
	var hold *VisitHold
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		r, err := s.rulesOf(ctx, slot.CentreID)
		if err != nil {
			return err
		}
		if _, err := s.familyOf(ctx, a, detaineeID, slot); err != nil {
			return err
		}
		if err := s.inWindow(r, slot, now, "slot_id"); err != nil {
			return err
		}
		if err := s.suspended(ctx, slot.CentreID, a.UserID, now); err != nil {
			return err
		}
		prev, err := s.Store.ActiveHoldsOf(ctx, a.UserID)
		if err != nil {
			return err
		}
		for i := range prev {
			if prev[i].SlotID == slotID && prev[i].ExpiresAt.After(now) && prev[i].DetaineeID == detaineeID {
				hold = &prev[i]
				return nil
			}
		}
		slots := []int64{slotID}
		for _, h := range prev {
			slots = append(slots, h.SlotID)
		}
		if err := s.lockInOrder(ctx, slots...); err != nil {
			return err
		}
		for _, h := range prev { // one seat at a time: give the others back
			if ended, err := s.Store.EndHold(ctx, h.ID, HoldReleased); err != nil {
				return err
			} else if ended {
				if err := s.Store.FreeSeat(ctx, h.SlotID, now); err != nil {
					return err
				}
			}
		}
		if _, _, err := s.takeSeat(ctx, slotID, a.UserID, 0, now); err != nil {
			return err
		}
		hold = &VisitHold{SlotID: slotID, UserID: a.UserID, DetaineeID: detaineeID, State: HoldActive,
			ExpiresAt: now.Add(time.Duration(r.HoldMinutes) * time.Minute), CreatedAt: now}
		return s.Store.CreateHold(ctx, hold)
	})
	if err != nil {
		return nil, err
	}
	return hold, nil
}

// Book records a family member's booking of a slot: pending, with a seat
// taken (the member's hold on the slot, or a free seat), its history and
// audit lines and a visit_approval work order for the centre, in one
// transaction. A full slot is a conflict. With an idempotency key, a retry
// with the same body answers the first booking and created=false; the same
// key with another body is refused.
func (s *Visits) Book(ctx context.Context, a domain.Actor, n NewBooking, idemKey string) (b *VisitBooking, created bool, err error) {
	if !a.Has(roleCitizen) {
		return nil, false, domain.Errorf(domain.KindForbidden, "visit_booking.family_only", "Only family members book visits.")
	}
	if err := domain.ValidIdempotencyKey(idemKey); err != nil {
		return nil, false, err
	}
	if n, err = n.validate(); err != nil {
		return nil, false, err
	}
	slot, err := s.Store.Slot(ctx, n.SlotID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, false, domain.Invalid(domain.FieldError{Field: "slot_id", Code: domain.FieldDoesNotExist, Message: "is not a visiting time"})
	}
	if err != nil {
		return nil, false, err
	}
	scope, hash := "visit_booking:user:"+itoa64(a.UserID), domain.RequestHash(n)
	id, created, err := domain.Idempotent(ctx, s.Tx, s.Idempotency, s.Clock, scope, idemKey, hash, "visit_booking", func(ctx context.Context) (int64, error) {
		now := s.Clock.Now()
		r, err := s.rulesOf(ctx, slot.CentreID)
		if err != nil {
			return 0, err
		}
		if len(n.Visitors) > r.MaxVisitors {
			return 0, domain.Invalid(domain.FieldError{Field: "visitors", Code: domain.FieldOutOfRange,
				Message: "at most " + strconv.Itoa(r.MaxVisitors) + " visitors"})
		}
		if _, err := s.familyOf(ctx, a, n.DetaineeID, slot); err != nil {
			return 0, err
		}
		if err := s.inWindow(r, slot, now, "slot_id"); err != nil {
			return 0, err
		}
		if err := s.suspended(ctx, slot.CentreID, a.UserID, now); err != nil {
			return 0, err
		}
		locked, holdUsed, err := s.takeSeat(ctx, n.SlotID, a.UserID, n.HoldID, now)
		if err != nil {
			return 0, err
		}
		if dup, err := s.Store.HasActiveBooking(ctx, n.SlotID, n.DetaineeID); err != nil {
			return 0, err
		} else if dup {
			return 0, domain.Errorf(domain.KindConflict, "visit_booking.duplicate", "This person already has a visit booked at this time.")
		}
		b = &VisitBooking{CentreID: locked.CentreID, DetaineeID: n.DetaineeID, SlotID: locked.ID, BookerID: a.UserID,
			Relationship: n.Relationship, Visitors: maskedVisitors(n.Visitors), Mode: locked.Mode, StartsAt: locked.StartsAt,
			EndsAt: locked.EndsAt, Status: BookingPending, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.Store.CreateBooking(ctx, b); err != nil {
			return 0, err
		}
		if holdUsed != 0 {
			if err := s.Store.LinkHold(ctx, holdUsed, b.ID); err != nil {
				return 0, err
			}
		}
		if err := s.Store.AddVisitEvent(ctx, &VisitEvent{BookingID: b.ID, At: now, ActorID: a.UserID, Action: "book", To: BookingPending,
			Detail: s.whenText(b.StartsAt, b.EndsAt)}); err != nil {
			return 0, err
		}
		if err := s.audit(ctx, a, now, "visit_booking.create", "visit_booking", b.ID, string(b.Mode)); err != nil {
			return 0, err
		}
		return b.ID, s.order(ctx, b, "会见预约待审核 "+s.whenText(b.StartsAt, b.EndsAt))
	})
	if err != nil {
		return nil, false, err
	}
	if !created { // a retry: the first booking
		b, err = s.Store.Booking(ctx, id)
	}
	return b, created, err
}

// BookingView is a booking with its history and, for the family member
// who booked, their own feedback on the visit (nil: none yet).
type BookingView struct {
	Booking    VisitBooking
	Events     []VisitEvent
	MyFeedback *Feedback
}

// BookingItem is a booking of a list, with the caller's own feedback on
// it (a family member's; nil: none, and always for staff).
type BookingItem struct {
	VisitBooking
	MyFeedback *Feedback
}

// Booking is one booking for its booker or the centre's staff; anyone else
// gets not found.
func (s *Visits) Booking(ctx context.Context, a domain.Actor, id int64) (*BookingView, error) {
	b, staff, err := s.visibleBooking(ctx, a, id)
	if err != nil {
		return nil, err
	}
	events, err := s.Store.VisitEvents(ctx, id)
	if err != nil {
		return nil, err
	}
	if staff { // the visitors' names, ID numbers and phones
		if err := s.audit(ctx, a, s.Clock.Now(), "visit_booking.read", "visit_booking", id, ""); err != nil {
			return nil, err
		}
		return &BookingView{Booking: *b, Events: events}, nil
	}
	mine, err := feedbackOf(ctx, s.Feedback, a.UserID, FeedbackVisit, []int64{id})
	if err != nil {
		return nil, err
	}
	return &BookingView{Booking: *b, Events: events, MyFeedback: given(mine, id)}, nil
}

// StaffOfBooking reports whether the actor works the centre of a booking:
// its staff, or a supervisor or admin above it. A missing booking is no.
func (s *Visits) StaffOfBooking(ctx context.Context, a domain.Actor, id int64) (bool, error) {
	b, err := s.Store.Booking(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.Centres.StaffOf(ctx, a, b.CentreID)
}

// BookingOpen reports whether a booking is still approved: its video room
// lives only as long. A missing booking is not open.
func (s *Visits) BookingOpen(ctx context.Context, id int64) (bool, error) {
	b, err := s.Store.Booking(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return b.Status == BookingApproved, nil
}

// ListBookings pages bookings newest first: a family member's own, or the
// bookings of the centres a staff member works (f.Centres narrows to some
// of them). A family member's bookings carry their own feedback.
func (s *Visits) ListBookings(ctx context.Context, a domain.Actor, f BookingFilter) ([]BookingItem, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	f.All = false
	if a.Has(roleCitizen) {
		f.BookerID, f.Centres = a.UserID, nil
		list, err := s.Store.Bookings(ctx, f)
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(list))
		for i := range list {
			ids[i] = list[i].ID
		}
		mine, err := feedbackOf(ctx, s.Feedback, a.UserID, FeedbackVisit, ids)
		if err != nil {
			return nil, err
		}
		out := make([]BookingItem, len(list))
		for i := range list {
			out[i] = BookingItem{VisitBooking: list[i], MyFeedback: given(mine, list[i].ID)}
		}
		return out, nil
	}
	mine, err := s.Centres.CentresOf(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(f.Centres) > 0 {
		var keep []int64
		for _, c := range f.Centres {
			for _, m := range mine {
				if c == m {
					keep = append(keep, c)
					break
				}
			}
		}
		mine = keep
	}
	if len(mine) == 0 {
		return nil, nil
	}
	f.BookerID, f.Centres = 0, mine
	list, err := s.Store.Bookings(ctx, f)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	// Staff see the visitors' names and relationships.
	ids := make([]int64, len(list))
	out := make([]BookingItem, len(list))
	for i := range list {
		ids[i], out[i] = list[i].ID, BookingItem{VisitBooking: list[i]}
	}
	return out, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "visit_booking.list", "visit_booking", ids))
}
