package detention

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// VisitStore keeps visit booking: rules, templates, blocked days, slots with
// their seat counts, holds, bookings with their history, and suspensions.
// Every method joins the transaction ctx carries; the seat methods must run
// inside one.
type VisitStore interface {
	// VisitRules are the centre's rules, or found false when it set none.
	VisitRules(ctx context.Context, centreID int64) (VisitRules, bool, error)
	SaveVisitRules(ctx context.Context, centreID int64, r VisitRules, at time.Time) error

	VisitTemplates(ctx context.Context, centreID int64) ([]VisitTemplate, error)
	// ReplaceVisitTemplates makes ts the centre's templates, setting their IDs.
	ReplaceVisitTemplates(ctx context.Context, centreID int64, ts []VisitTemplate) error
	// TemplateCentres are the centres that have templates.
	TemplateCentres(ctx context.Context) ([]int64, error)

	// BlockDate stores a blocked day; one already blocked adds nothing and
	// answers false.
	BlockDate(ctx context.Context, b *BlockedDate) (bool, error)
	// UnblockDate removes a blocked day, answering false when it was not.
	UnblockDate(ctx context.Context, centreID int64, day string) (bool, error)
	// BlockedDates lists the centre's blocked days from fromDay to toDay
	// (both 2006-01-02, inclusive; "" for no bound).
	BlockedDates(ctx context.Context, centreID int64, fromDay, toDay string) ([]BlockedDate, error)

	// Slot reads a slot without locking it; an unknown ID is not found.
	Slot(ctx context.Context, id int64) (*VisitSlot, error)
	// LockSlot reads a slot and locks its row until the transaction ends
	// (SELECT … FOR UPDATE): every change of its seat count starts here.
	LockSlot(ctx context.Context, id int64) (*VisitSlot, error)
	// Slots lists the centre's slots starting in [from, to), by start time,
	// with ExpiredHolds filled in as of now; closed ones only when asked.
	Slots(ctx context.Context, centreID int64, from, to, now time.Time, withClosed bool) ([]VisitSlot, error)
	// InsertSlot stores a new slot and sets its ID; a slot of the same
	// centre, mode and start exists already: false, nothing stored.
	InsertSlot(ctx context.Context, s *VisitSlot) (bool, error)
	// ReshapeSlot sets a slot's end, capacity (never below its booked
	// seats) and closed flag.
	ReshapeSlot(ctx context.Context, id int64, endsAt time.Time, capacity int, closed bool, at time.Time) error
	// TakeSeat adds one booked seat if the slot is open and has one free
	// (a conditional UPDATE: booked < capacity); false when it has none.
	TakeSeat(ctx context.Context, slotID int64, at time.Time) (bool, error)
	// FreeSeat gives one seat back.
	FreeSeat(ctx context.Context, slotID int64, at time.Time) error

	// CreateHold stores a hold and sets its ID.
	CreateHold(ctx context.Context, h *VisitHold) error
	// Hold reads a hold; an unknown ID is not found.
	Hold(ctx context.Context, id int64) (*VisitHold, error)
	// ActiveHoldsOf are the user's holds still active (expired or not).
	ActiveHoldsOf(ctx context.Context, userID int64) ([]VisitHold, error)
	// EndHold moves an active hold to state (used, released or expired);
	// false when it was no longer active (a conditional UPDATE).
	EndHold(ctx context.Context, id int64, state HoldState) (bool, error)
	// LinkHold notes the booking a used hold became.
	LinkHold(ctx context.Context, id, bookingID int64) error
	// ExpiredHolds are active holds of the slot (of any slot when slotID is
	// 0) whose time ran out by now, oldest first.
	ExpiredHolds(ctx context.Context, slotID int64, now time.Time, limit int) ([]VisitHold, error)

	// CreateBooking stores b and sets its ID.
	CreateBooking(ctx context.Context, b *VisitBooking) error
	// Booking reads a booking; an unknown ID is not found.
	Booking(ctx context.Context, id int64) (*VisitBooking, error)
	// UpdateBooking writes b if the stored version is still b.Version,
	// bumping both; false means someone changed it first.
	UpdateBooking(ctx context.Context, b *VisitBooking) (bool, error)
	// Bookings lists bookings newest first; see BookingFilter.
	Bookings(ctx context.Context, f BookingFilter) ([]VisitBooking, error)
	// HasActiveBooking reports whether the detainee has a pending or
	// approved booking in the slot, reading the latest committed rows
	// (a locking read), so that a concurrent twin is seen.
	HasActiveBooking(ctx context.Context, slotID, detaineeID int64) (bool, error)
	AddVisitEvent(ctx context.Context, e *VisitEvent) error
	VisitEvents(ctx context.Context, bookingID int64) ([]VisitEvent, error)

	// NoShowsSince counts the user's no-shows at the centre marked after since.
	NoShowsSince(ctx context.Context, centreID, userID int64, since time.Time) (int, error)
	// LatestSuspension is the user's most recent suspension at the centre.
	LatestSuspension(ctx context.Context, centreID, userID int64) (*VisitSuspension, bool, error)
	AddSuspension(ctx context.Context, s *VisitSuspension) error
}

// BookingFilter selects bookings: those of BookerID (a family member's
// own), of Centres (a staff member's), of DetaineeID, or of every centre
// when All (the jobs); a filter naming none of them selects nothing. The
// fields set narrow together.
type BookingFilter struct {
	BookerID   int64
	Centres    []int64
	DetaineeID int64
	All        bool
	Statuses   []BookingStatus
	StartsFrom time.Time // zero: no bound
	StartsTo   time.Time // exclusive; zero: no bound
	BeforeID   int64     // cursor: bookings with a smaller ID (newest first)
	Limit      int
}

// Centres answers the organisation questions of visit booking.
type Centres interface {
	// IsCentre reports whether id is a detention centre.
	IsCentre(ctx context.Context, id int64) (bool, error)
	// StaffOf reports whether the actor works the centre: its detention
	// staff, or a supervisor or admin above it.
	StaffOf(ctx context.Context, a domain.Actor, centreID int64) (bool, error)
	// CentresOf are the centres the actor works (none for citizens).
	CentresOf(ctx context.Context, a domain.Actor) ([]int64, error)
}

// Rooms creates the video room of an approved remote visit, in the
// transaction ctx carries, for its time window and participants: the
// family member and the centre's staff.
type Rooms interface {
	CreateVisitRoom(ctx context.Context, bookingID int64, from, to time.Time, familyUserID int64, staffUnitID int64) (roomID string, err error)
}

// Notices puts a notice in a user's inbox in the transaction ctx carries;
// a repeated dedupe key adds nothing.
type Notices interface {
	Notify(ctx context.Context, userID int64, kind, title, body string, bookingID int64, dedupeKey string) error
}

// LinkNotices is Notices that can also carry a link into the citizen app
// (the video room of an approved video visit); the inbox adapter
// implements it.
type LinkNotices interface {
	NotifyLink(ctx context.Context, userID int64, kind, title, body string, bookingID int64, dedupeKey, link string) error
}

// RoomLink is where the family opens a visit's video room in the citizen app.
func RoomLink(roomID string) string { return "/h5/room/" + roomID }

// Work-order kinds and notice kinds of visit booking.
const (
	OrderVisitApproval = "visit_approval" // a new or rescheduled booking for the centre to decide

	NoticeVisitApproved  = "visit_approved"
	NoticeVisitRefused   = "visit_refused"
	NoticeVisitCancelled = "visit_cancelled"
	NoticeVisitReminder  = "visit_reminder"
	NoticeVisitSuspended = "visit_suspended"
)
