package detention

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// cancelAll cancels pending and approved bookings for a reason that is not
// the family's (the detainee left, the day was blocked): each seat is given
// back and each family told. Seats are locked in slot order.
func (s *Visits) cancelAll(ctx context.Context, a domain.Actor, bookings []VisitBooking, reason string, now time.Time) error {
	slices.SortFunc(bookings, func(x, y VisitBooking) int { return int(x.SlotID - y.SlotID) })
	for i := range bookings {
		b := &bookings[i]
		from := b.Status
		to, err := NextBooking(from, BookingCancel)
		if err != nil {
			continue // decided meanwhile; nothing to cancel
		}
		if err := s.freeSeat(ctx, b.SlotID, now); err != nil {
			return err
		}
		b.Status, b.UpdatedAt, b.CancelledBy, b.CancelledAt, b.Reason = to, now, a.UserID, &now, clipText(reason, 200)
		key := s.bookingKey(b, "cancelled")
		if err := s.update(ctx, b); err != nil {
			return err
		}
		if err := s.Orders.SettleOrders(ctx, a, "visit.cancelled", b.ID); err != nil {
			return err
		}
		if err := s.Store.AddVisitEvent(ctx, &VisitEvent{BookingID: b.ID, At: now, ActorID: a.UserID, Action: string(BookingCancel),
			From: from, To: to, Detail: b.Reason}); err != nil {
			return err
		}
		if err := s.audit(ctx, a, now, "visit_booking.cancel", "visit_booking", b.ID, b.Reason); err != nil {
			return err
		}
		if err := s.notify(ctx, b.BookerID, NoticeVisitCancelled, "会见预约已取消",
			"您预约的"+s.whenText(b.StartsAt, b.EndsAt)+"会见已取消，原因："+b.Reason, b.ID, key); err != nil {
			return err
		}
	}
	return nil
}

// CancelFutureFor cancels a detainee's pending and approved bookings that
// have not begun, with the reason, and tells the families. The release or
// transfer calls it inside its own transaction (which it joins), so the
// bookings end exactly when the detention does.
func (s *Visits) CancelFutureFor(ctx context.Context, detaineeID int64, reason string) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		var all []VisitBooking
		var before int64
		for {
			page, err := s.Store.Bookings(ctx, BookingFilter{DetaineeID: detaineeID, Statuses: []BookingStatus{BookingPending, BookingApproved},
				StartsFrom: now, BeforeID: before, Limit: 500})
			if err != nil {
				return err
			}
			all = append(all, page...)
			if len(page) < 500 {
				break
			}
			before = page[len(page)-1].ID
		}
		return s.cancelAll(ctx, domain.System, all, reason, now)
	})
}

// RemindTomorrow tells the families of approved bookings that start on the
// local day after now's; a second run the same day tells nobody twice (the
// dedupe key names the booking and its start). The server runs it daily.
// It answers how many bookings it went through.
func (s *Visits) RemindTomorrow(ctx context.Context, now time.Time) (int, error) {
	today, err := s.dayStart(s.dayOf(now))
	if err != nil {
		return 0, err
	}
	from := today.AddDate(0, 0, 1)
	to := from.AddDate(0, 0, 1)
	n := 0
	var before int64
	for {
		var page []VisitBooking
		err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
			var err error
			page, err = s.Store.Bookings(ctx, BookingFilter{All: true, Statuses: []BookingStatus{BookingApproved},
				StartsFrom: from, StartsTo: to, BeforeID: before, Limit: 200})
			if err != nil {
				return err
			}
			for _, b := range page {
				body := "您预约的" + s.whenText(b.StartsAt, b.EndsAt) + modeText(b.Mode) + "会见将于明天进行，请合理安排时间。"
				key := "visit_booking:" + itoa64(b.ID) + ":remind:" + s.dayOf(b.StartsAt)
				link := ""
				if b.Mode == VisitRemote && b.RoomID != "" {
					link = RoomLink(b.RoomID)
				}
				if err := s.notifyLink(ctx, b.BookerID, NoticeVisitReminder, "明日会见提醒", body, b.ID, key, link); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(page)
		if len(page) < 200 {
			return n, nil
		}
		before = page[len(page)-1].ID
	}
}

// ReleaseExpiredHolds gives back the seats of holds that ran out, so that
// the counts read right without waiting for the next booker of each slot
// (who reclaims them too). The server runs it every minute or so. It
// answers how many holds it ended.
func (s *Visits) ReleaseExpiredHolds(ctx context.Context, now time.Time) (int, error) {
	expired, err := s.Store.ExpiredHolds(ctx, 0, now, 500)
	if err != nil {
		return 0, err
	}
	var slots []int64
	for _, h := range expired {
		slots = append(slots, h.SlotID)
	}
	slices.Sort(slots)
	n := 0
	for _, id := range slices.Compact(slots) {
		err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
			if _, err := s.Store.LockSlot(ctx, id); err != nil {
				return err
			}
			got, err := s.reclaim(ctx, id, now)
			if err != nil {
				return err
			}
			n += got
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
