package detention

import (
	"context"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// actOnBooking loads a booking the actor may see, checks the action against
// the state machine, lets fn change it (and its seats), and writes it
// (versioned), its history line and an audit line in one transaction.
func (s *Visits) actOnBooking(ctx context.Context, a domain.Actor, id int64, action BookingAction, staffOnly bool,
	fn func(ctx context.Context, b *VisitBooking, staff bool, now time.Time) (detail string, err error)) (*VisitBooking, error) {
	var out *VisitBooking
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		b, staff, err := s.visibleBooking(ctx, a, id)
		if err != nil {
			return err
		}
		if staffOnly && !staff {
			return domain.Errorf(domain.KindForbidden, "visit.not_centre_staff", "Only the staff of this detention centre may do this.")
		}
		from := b.Status
		to, err := NextBooking(from, action)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		detail, err := fn(ctx, b, staff, now)
		if err != nil {
			return err
		}
		b.Status, b.UpdatedAt = to, now
		if err := s.update(ctx, b); err != nil {
			return err
		}
		if cause := bookingOrderCause[action]; cause != "" {
			if err := s.Orders.SettleOrders(ctx, a, cause, b.ID); err != nil {
				return err
			}
		}
		if err := s.Store.AddVisitEvent(ctx, &VisitEvent{BookingID: b.ID, At: now, ActorID: a.UserID, Action: string(action),
			From: from, To: to, Detail: clipText(detail, 500)}); err != nil {
			return err
		}
		if err := s.audit(ctx, a, now, "visit_booking."+string(action), "visit_booking", b.ID, string(to)); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// bookingOrderCause is the work-order lifecycle cause of each booking
// action that ends the centre's approval order (a reschedule ends the old
// one inside Reschedule, before the new one is made).
var bookingOrderCause = map[BookingAction]string{
	BookingApprove: "visit.decided",
	BookingRefuse:  "visit.decided",
	BookingCancel:  "visit.cancelled",
}

func (s *Visits) update(ctx context.Context, b *VisitBooking) error {
	ok, err := s.Store.UpdateBooking(ctx, b)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.KindConflict, "visit_booking.changed", "The booking changed meanwhile; reload it and try again.")
	}
	return nil
}

func modeText(m VisitMode) string {
	if m == VisitRemote {
		return "远程视频"
	}
	return "现场"
}

func (s *Visits) bookingKey(b *VisitBooking, what string) string {
	return "visit_booking:" + itoa64(b.ID) + ":" + what + ":v" + strconv.Itoa(b.Version)
}

// Approve accepts a pending booking (the centre's staff). A remote visit
// gets its video room for the slot's time, with the family member and the
// centre's staff; the family is told.
func (s *Visits) Approve(ctx context.Context, a domain.Actor, id int64) (*VisitBooking, error) {
	return s.actOnBooking(ctx, a, id, BookingApprove, true, func(ctx context.Context, b *VisitBooking, _ bool, now time.Time) (string, error) {
		if !b.StartsAt.After(now) {
			return "", domain.Errorf(domain.KindFailedPrecondition, "visit_booking.started", "This visiting time has begun or passed.")
		}
		d, err := s.Detainees.Detainee(ctx, b.DetaineeID)
		if err != nil {
			return "", err
		}
		if d.Status != Detained {
			return "", domain.Errorf(domain.KindFailedPrecondition, "visit_booking.detainee_left", "This person is no longer held at the centre.")
		}
		if b.Mode == VisitRemote {
			if s.Rooms == nil {
				return "", domain.Errorf(domain.KindInternal, "visit.no_rooms", "Video rooms are not configured.")
			}
			room, err := s.Rooms.CreateVisitRoom(ctx, b.ID, b.StartsAt, b.EndsAt, b.BookerID, b.CentreID)
			if err != nil {
				return "", err
			}
			b.RoomID = room
		}
		b.DecidedBy, b.DecidedAt, b.Reason = a.UserID, &now, ""
		body := "您预约的" + s.whenText(b.StartsAt, b.EndsAt) + modeText(b.Mode) + "会见已通过审核。"
		link := ""
		if b.Mode == VisitRemote {
			body += "请按时点击本消息进入视频会见。"
			link = RoomLink(b.RoomID)
		} else {
			body += "请携带身份证件按时到达。"
		}
		return "", s.notifyLink(ctx, b.BookerID, NoticeVisitApproved, "会见预约已通过", body, b.ID, s.bookingKey(b, "approved"), link)
	})
}

// Refuse turns a pending booking down with a reason (the centre's staff);
// its seat is given back and the family told.
func (s *Visits) Refuse(ctx context.Context, a domain.Actor, id int64, reason string) (*VisitBooking, error) {
	var p domain.Problems
	if reason = checkReason(&p, "reason", reason, true); p.Err() != nil {
		return nil, p.Err()
	}
	return s.actOnBooking(ctx, a, id, BookingRefuse, true, func(ctx context.Context, b *VisitBooking, _ bool, now time.Time) (string, error) {
		if err := s.freeSeat(ctx, b.SlotID, now); err != nil {
			return "", err
		}
		b.DecidedBy, b.DecidedAt, b.Reason = a.UserID, &now, reason
		return reason, s.notify(ctx, b.BookerID, NoticeVisitRefused, "会见预约未通过",
			"您预约的"+s.whenText(b.StartsAt, b.EndsAt)+"会见未通过审核，原因："+reason, b.ID, s.bookingKey(b, "refused"))
	})
}

// Cancel withdraws a pending or approved booking and gives its seat back.
// The family member who booked may until the centre's cut-off before the
// start; the centre's staff may until the start, with a reason, and the
// family is told.
func (s *Visits) Cancel(ctx context.Context, a domain.Actor, id int64, reason string) (*VisitBooking, error) {
	var p domain.Problems
	reason = checkReason(&p, "reason", reason, false)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.actOnBooking(ctx, a, id, BookingCancel, false, func(ctx context.Context, b *VisitBooking, staff bool, now time.Time) (string, error) {
		byFamily := b.BookerID == a.UserID && !staff
		if byFamily {
			if err := s.beforeCutoff(ctx, b, now); err != nil {
				return "", err
			}
		} else {
			if reason == "" {
				return "", domain.Invalid(domain.FieldError{Field: "reason", Code: domain.FieldRequired, Message: "say why the centre cancels"})
			}
			if !b.StartsAt.After(now) {
				return "", domain.Errorf(domain.KindFailedPrecondition, "visit_booking.started", "This visiting time has begun or passed.")
			}
		}
		if err := s.freeSeat(ctx, b.SlotID, now); err != nil {
			return "", err
		}
		b.CancelledBy, b.CancelledAt, b.Reason = a.UserID, &now, reason
		if byFamily {
			return reason, nil
		}
		return reason, s.notify(ctx, b.BookerID, NoticeVisitCancelled, "会见预约已取消",
			"您预约的"+s.whenText(b.StartsAt, b.EndsAt)+"会见已被取消，原因："+reason, b.ID, s.bookingKey(b, "cancelled"))
	})
}

// beforeCutoff refuses a family change too close to the visit.
func (s *Visits) beforeCutoff(ctx context.Context, b *VisitBooking, now time.Time) error {
	r, err := s.rulesOf(ctx, b.CentreID)
	if err != nil {
		return err
	}
	if now.After(b.StartsAt.Add(-time.Duration(r.CancelHours) * time.Hour)) {
		return domain.Errorf(domain.KindFailedPrecondition, "visit_booking.too_late",
			"Bookings can be changed or cancelled until %d hours before the visit.", r.CancelHours)
	}
	return nil
}

// Reschedule moves the family member's own booking to another slot of the
// same centre, up to the cut-off: the new seat is taken (the member's hold
// on it, or a free one) and the old one given back in the same
// transaction. The booking is pending again — an approved one is decided
// anew (its video room, if any, no longer applies) — and the centre gets a
// work order.
func (s *Visits) Reschedule(ctx context.Context, a domain.Actor, id, slotID int64) (*VisitBooking, error) {
	if slotID <= 0 {
		return nil, domain.Invalid(domain.FieldError{Field: "slot_id", Code: domain.FieldRequired, Message: "is required"})
	}
	return s.actOnBooking(ctx, a, id, BookingReschedule, false, func(ctx context.Context, b *VisitBooking, staff bool, now time.Time) (string, error) {
		if b.BookerID != a.UserID || staff {
			return "", domain.Errorf(domain.KindForbidden, "visit_booking.booker_only", "Only the family member who booked can reschedule.")
		}
		if slotID == b.SlotID {
			return "", domain.Invalid(domain.FieldError{Field: "slot_id", Code: domain.FieldNotAllowed, Message: "is the booking's own slot"})
		}
		if err := s.beforeCutoff(ctx, b, now); err != nil {
			return "", err
		}
		slot, err := s.Store.Slot(ctx, slotID)
		if domain.IsKind(err, domain.KindNotFound) || err == nil && slot.CentreID != b.CentreID {
			return "", domain.Invalid(domain.FieldError{Field: "slot_id", Code: domain.FieldDoesNotExist, Message: "is not a visiting time of this centre"})
		}
		if err != nil {
			return "", err
		}
		r, err := s.rulesOf(ctx, b.CentreID)
		if err != nil {
			return "", err
		}
		if _, err := s.familyOf(ctx, a, b.DetaineeID, slot); err != nil {
			return "", err
		}
		if err := s.inWindow(r, slot, now, "slot_id"); err != nil {
			return "", err
		}
		if err := s.suspended(ctx, b.CentreID, a.UserID, now); err != nil {
			return "", err
		}
		if err := s.lockInOrder(ctx, b.SlotID, slotID); err != nil {
			return "", err
		}
		locked, holdUsed, err := s.takeSeat(ctx, slotID, a.UserID, 0, now)
		if err != nil {
			return "", err
		}
		if dup, err := s.Store.HasActiveBooking(ctx, slotID, b.DetaineeID); err != nil {
			return "", err
		} else if dup {
			return "", domain.Errorf(domain.KindConflict, "visit_booking.duplicate", "This person already has a visit booked at this time.")
		}
		if holdUsed != 0 {
			if err := s.Store.LinkHold(ctx, holdUsed, b.ID); err != nil {
				return "", err
			}
		}
		if err := s.Store.FreeSeat(ctx, b.SlotID, now); err != nil {
			return "", err
		}
		was := s.whenText(b.StartsAt, b.EndsAt)
		b.SlotID, b.Mode, b.StartsAt, b.EndsAt = locked.ID, locked.Mode, locked.StartsAt, locked.EndsAt
		b.RoomID, b.DecidedBy, b.DecidedAt = "", 0, nil
		if err := s.Orders.SettleOrders(ctx, a, "visit.rescheduled", b.ID); err != nil {
			return "", err
		}
		next := *b
		next.Version++ // the order is for the booking as it is about to be written
		if err := s.order(ctx, &next, "会见预约改期待审核 "+s.whenText(b.StartsAt, b.EndsAt)); err != nil {
			return "", err
		}
		return was + " → " + s.whenText(b.StartsAt, b.EndsAt), nil
	})
}

// Attendance outcomes staff record after the visit's start.
const (
	AttendanceAttended = "attended"
	AttendanceNoShow   = "no_show"
)

// MarkAttendance records whether an approved visit happened (the centre's
// staff, once it has begun). The family member's no-show that reaches the
// centre's limit suspends their booking there, and they are told.
func (s *Visits) MarkAttendance(ctx context.Context, a domain.Actor, id int64, outcome string) (*VisitBooking, error) {
	action := BookingAttend
	switch outcome {
	case AttendanceAttended:
	case AttendanceNoShow:
		action = BookingMissed
	default:
		return nil, domain.Invalid(domain.FieldError{Field: "outcome", Code: domain.FieldUnsupported, Message: "is attended or no_show"})
	}
	return s.actOnBooking(ctx, a, id, action, true, func(ctx context.Context, b *VisitBooking, _ bool, now time.Time) (string, error) {
		if now.Before(b.StartsAt) {
			return "", domain.Errorf(domain.KindFailedPrecondition, "visit_booking.not_started", "Attendance is recorded once the visit has begun.")
		}
		b.MarkedBy, b.MarkedAt = a.UserID, &now
		if action != BookingMissed {
			return "", nil
		}
		// The booking is written after this; count it by hand.
		return "", s.suspendIfDue(ctx, b, now, 1)
	})
}

// suspendIfDue suspends the booker at the centre when their no-shows since
// the last suspension (plus extra not yet written) reach the limit.
func (s *Visits) suspendIfDue(ctx context.Context, b *VisitBooking, now time.Time, extra int) error {
	r, err := s.rulesOf(ctx, b.CentreID)
	if err != nil || r.SuspendDays == 0 {
		return err
	}
	var since time.Time
	last, found, err := s.Store.LatestSuspension(ctx, b.CentreID, b.BookerID)
	if err != nil {
		return err
	}
	if found {
		since = last.From
	}
	n, err := s.Store.NoShowsSince(ctx, b.CentreID, b.BookerID, since)
	if err != nil {
		return err
	}
	if n+extra < r.NoShowLimit {
		return nil
	}
	sp := &VisitSuspension{CentreID: b.CentreID, UserID: b.BookerID, From: now, Until: now.AddDate(0, 0, r.SuspendDays),
		Reason: strconv.Itoa(n+extra) + " no-shows"}
	if err := s.Store.AddSuspension(ctx, sp); err != nil {
		return err
	}
	return s.notify(ctx, b.BookerID, NoticeVisitSuspended, "会见预约已暂停",
		"因多次预约后未到，您在该所的会见预约暂停至"+s.dayOf(sp.Until)+"。", b.ID, "visit_suspension:"+itoa64(sp.ID))
}
