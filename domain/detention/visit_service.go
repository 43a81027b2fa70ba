package detention

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Visits runs family visit booking. Every change writes the booking, its
// seat counts, its history line, its audit line, the work order and the
// notices it causes in one transaction.
type Visits struct {
	Tx          domain.TxRunner
	Store       VisitStore
	Detainees   DetaineeStore
	Centres     Centres
	Orders      Orders // the work-order port of this package (detainee_ports.go)
	Rooms       Rooms
	Notices     Notices // nil sends no notices
	Idempotency domain.IdempotencyStore
	Audit       domain.Auditor
	Clock       domain.Clock
	// Loc is the centres' local time, in which templates and days are
	// read (China Standard Time when nil).
	Loc *time.Location
	// Defaults are the rules of centres that set none (DefaultVisitRules
	// when zero).
	Defaults VisitRules
}

var _ Bookings = (*Visits)(nil)

const dayLayout = "2006-01-02"

// chinaTime is UTC+8 all year: China keeps no daylight saving time.
var chinaTime = time.FixedZone("CST", 8*3600)

func (s *Visits) loc() *time.Location {
	if s.Loc != nil {
		return s.Loc
	}
	return chinaTime
}

// dayStart is the local midnight at which day begins.
func (s *Visits) dayStart(day string) (time.Time, error) {
	return time.ParseInLocation(dayLayout, day, s.loc())
}

func (s *Visits) dayOf(t time.Time) string { return t.In(s.loc()).Format(dayLayout) }

// daysAhead counts calendar days from now's local date to t's.
func (s *Visits) daysAhead(now, t time.Time) int {
	a, _ := time.Parse(dayLayout, s.dayOf(now))
	b, _ := time.Parse(dayLayout, s.dayOf(t))
	return int(b.Sub(a).Hours() / 24)
}

func (s *Visits) rulesOf(ctx context.Context, centreID int64) (VisitRules, error) {
	r, found, err := s.Store.VisitRules(ctx, centreID)
	if err != nil || found {
		return r, err
	}
	if s.Defaults != (VisitRules{}) {
		return s.Defaults, nil
	}
	return DefaultVisitRules(), nil
}

// centre checks that id is a detention centre (not found otherwise).
func (s *Visits) centre(ctx context.Context, id int64) error {
	ok, err := s.Centres.IsCentre(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.KindNotFound, "detention_center.not_found", "No such detention centre.")
	}
	return nil
}

// staffOfCentre checks that the actor works an existing centre.
func (s *Visits) staffOfCentre(ctx context.Context, a domain.Actor, centreID int64) error {
	if err := s.centre(ctx, centreID); err != nil {
		return err
	}
	ok, err := s.Centres.StaffOf(ctx, a, centreID)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.KindForbidden, "visit.not_centre_staff", "Only the staff of this detention centre may do this.")
	}
	return nil
}

func (s *Visits) audit(ctx context.Context, a domain.Actor, at time.Time, action, resourceType string, id int64, detail string) error {
	return s.Audit.Audit(ctx, domain.AuditOf(a, at, action, resourceType, id, clipText(detail, 500)))
}

func (s *Visits) notify(ctx context.Context, userID int64, kind, title, body string, bookingID int64, key string) error {
	if s.Notices == nil || userID == 0 {
		return nil
	}
	return s.Notices.Notify(ctx, userID, kind, title, body, bookingID, key)
}

// notifyLink is notify with a link into the app (a visit's video room),
// when the port carries links; else the plain notice.
func (s *Visits) notifyLink(ctx context.Context, userID int64, kind, title, body string, bookingID int64, key, link string) error {
	if ln, ok := s.Notices.(LinkNotices); ok && link != "" && userID != 0 {
		return ln.NotifyLink(ctx, userID, kind, title, body, bookingID, key, link)
	}
	return s.notify(ctx, userID, kind, title, body, bookingID, key)
}

func (s *Visits) order(ctx context.Context, b *VisitBooking, title string) error {
	return s.Orders.CreateOrder(ctx, OrderVisitApproval, b.CentreID, 0, 2, title, "visit_booking", b.ID,
		"visit_booking:"+itoa64(b.ID)+":approval:v"+strconv.Itoa(b.Version))
}

// takeSeat gives the user a seat in the slot, inside the transaction: it
// locks the slot row, gives back the seats of holds that ran out, turns the
// user's own live hold on the slot (holdID, or any) into the seat, and
// otherwise takes a free one. The slot must be open; a full slot is a
// conflict. It answers the locked slot and the hold it used (0 if none).
func (s *Visits) takeSeat(ctx context.Context, slotID, userID, holdID int64, now time.Time) (*VisitSlot, int64, error) {
	slot, err := s.Store.LockSlot(ctx, slotID)
	if err != nil {
		return nil, 0, err
	}
	if slot.Closed {
		return nil, 0, domain.Errorf(domain.KindConflict, "visit_slot.closed", "This visiting time is no longer offered.")
	}
	if _, err := s.reclaim(ctx, slotID, now); err != nil {
		return nil, 0, err
	}
	if holdID != 0 {
		h, err := s.Store.Hold(ctx, holdID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, 0, err
		}
		if err != nil || h.UserID != userID || h.SlotID != slotID {
			return nil, 0, domain.Invalid(domain.FieldError{Field: "hold_id", Code: domain.FieldDoesNotExist, Message: "is not your hold on this slot"})
		}
	}
	holds, err := s.Store.ActiveHoldsOf(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	for _, h := range holds {
		if h.SlotID == slotID && h.ExpiresAt.After(now) && (holdID == 0 || h.ID == holdID) {
			if used, err := s.Store.EndHold(ctx, h.ID, HoldUsed); err != nil {
				return nil, 0, err
			} else if used {
				return slot, h.ID, nil // the hold's seat becomes the booking's
			}
		}
	}
	ok, err := s.Store.TakeSeat(ctx, slotID, now)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		return nil, 0, domain.Errorf(domain.KindConflict, "visit_booking.slot_full", "This visiting time is fully booked.")
	}
	slot.Booked++
	return slot, 0, nil
}

// reclaim gives back the seats of the slot's holds that ran out and
// answers how many. The caller holds the slot's row lock; EndHold is
// conditional, so a hold is given back once however many reclaim it.
func (s *Visits) reclaim(ctx context.Context, slotID int64, now time.Time) (int, error) {
	expired, err := s.Store.ExpiredHolds(ctx, slotID, now, 1000)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range expired {
		ended, err := s.Store.EndHold(ctx, h.ID, HoldExpired)
		if err != nil {
			return n, err
		}
		if ended {
			n++
			if err := s.Store.FreeSeat(ctx, slotID, now); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// freeSeat gives a booking's seat back, with the slot row locked.
func (s *Visits) freeSeat(ctx context.Context, slotID int64, now time.Time) error {
	if _, err := s.Store.LockSlot(ctx, slotID); err != nil {
		return err
	}
	return s.Store.FreeSeat(ctx, slotID, now)
}

// inWindow checks that a slot starts within the booking window and has not
// started.
func (s *Visits) inWindow(r VisitRules, slot *VisitSlot, now time.Time, field string) error {
	if !s.bookableAt(r, slot.StartsAt, now) {
		return domain.Invalid(domain.FieldError{Field: field, Code: domain.FieldOutOfRange,
			Message: "must start " + strconv.Itoa(r.MinDaysAhead) + " to " + strconv.Itoa(r.MaxDaysAhead) + " days from today"})
	}
	return nil
}

// bookableAt tells whether a slot starting at startsAt is in the booking
// window now: not begun, and min_days_ahead to max_days_ahead local days away.
func (s *Visits) bookableAt(r VisitRules, startsAt, now time.Time) bool {
	d := s.daysAhead(now, startsAt)
	return startsAt.After(now) && d >= r.MinDaysAhead && d <= r.MaxDaysAhead
}

// suspended refuses a family member whose booking at the centre is suspended.
func (s *Visits) suspended(ctx context.Context, centreID, userID int64, now time.Time) error {
	sp, found, err := s.Store.LatestSuspension(ctx, centreID, userID)
	if err != nil {
		return err
	}
	if found && now.Before(sp.Until) {
		return domain.Errorf(domain.KindFailedPrecondition, "visit_booking.suspended",
			"Booking at this centre is suspended until %s after repeated no-shows.", s.dayOf(sp.Until))
	}
	return nil
}

// familyOf checks that a citizen may book visits to the detainee at the
// slot's centre: registered family, detainee still held there.
func (s *Visits) familyOf(ctx context.Context, a domain.Actor, detaineeID int64, slot *VisitSlot) (*Detainee, error) {
	// Someone who is not registered family is told what a made-up ID
	// gets: whether a person is held must not be learnt by guessing IDs.
	unknown := domain.Invalid(domain.FieldError{Field: "detainee_id", Code: domain.FieldDoesNotExist, Message: "is not a detainee you are registered family of"})
	d, err := s.Detainees.Detainee(ctx, detaineeID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, unknown
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.Detainees.IsFamily(ctx, detaineeID, a.UserID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, unknown
	}
	if d.Status != Detained {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "visit_booking.detainee_left", "This person is no longer held at the centre.")
	}
	if d.CentreID != slot.CentreID {
		return nil, domain.Invalid(domain.FieldError{Field: "slot_id", Code: domain.FieldDoesNotExist, Message: "is not a visiting time of the centre holding this person"})
	}
	return d, nil
}

func bookingNotFound() error {
	return domain.Errorf(domain.KindNotFound, "visit_booking.not_found", "No such visit booking.")
}

// visibleBooking loads a booking the actor may see: their own, or one of a
// centre they work. Anything else is not found, never forbidden.
func (s *Visits) visibleBooking(ctx context.Context, a domain.Actor, id int64) (b *VisitBooking, staff bool, err error) {
	b, err = s.Store.Booking(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, false, bookingNotFound()
	}
	if err != nil {
		return nil, false, err
	}
	if a.UserID != 0 && b.BookerID == a.UserID {
		return b, false, nil
	}
	if a.Has(roleCitizen) {
		return nil, false, bookingNotFound()
	}
	staff, err = s.Centres.StaffOf(ctx, a, b.CentreID)
	if err != nil {
		return nil, false, err
	}
	if !staff {
		return nil, false, bookingNotFound()
	}
	return b, true, nil
}

// roleCitizen is the role of family members (domain/account's name).
const roleCitizen = "citizen"

// whenText is a booking's time as people read it: 2026-08-03 09:00–10:00.
func (s *Visits) whenText(from, to time.Time) string {
	return from.In(s.loc()).Format("2006-01-02 15:04") + "–" + to.In(s.loc()).Format("15:04")
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// clipText trims s and cuts it to at most n runes.
func clipText(s string, n int) string {
	s = strings.TrimSpace(s)
	for utf8.RuneCountInString(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// lockInOrder locks slot rows in ascending ID order, so that two
// transactions needing the same slots never wait for each other in a circle.
func (s *Visits) lockInOrder(ctx context.Context, ids ...int64) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if _, err := s.Store.LockSlot(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
