package detention

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Family visit booking (会见预约). A detention centre publishes slots from
// weekly templates; a registered family member holds a seat while filling
// in the form, books it (pending), staff approve or refuse, the family may
// reschedule or cancel up to a cut-off, and staff record whether the visit
// happened. A slot's seats are counted on its row (booked ≤ capacity), and
// every change of that count happens with the slot row locked, so no slot is
// ever overbooked however many people book at once.

// VisitMode is how a visit happens.
type VisitMode string

const (
	VisitInPerson VisitMode = "in_person"
	VisitRemote   VisitMode = "remote" // a video call; an approved booking gets a room
)

// Valid reports whether m is a known mode.
func (m VisitMode) Valid() bool { return m == VisitInPerson || m == VisitRemote }

// VisitRules are a centre's booking rules. The defaults follow published
// detention-centre practice.
type VisitRules struct {
	MinDaysAhead int // a slot can be booked from this many days ahead (1: not today)
	MaxDaysAhead int // … up to this many days ahead
	HoldMinutes  int // how long a held seat waits for the form
	MaxVisitors  int // visitors in one booking
	CancelHours  int // the family cancels or reschedules at least this long before the start
	NoShowLimit  int // this many no-shows suspend the family's booking at the centre …
	SuspendDays  int // … for this many days
}

// DefaultVisitRules are the rules of a centre that set none.
func DefaultVisitRules() VisitRules {
	return VisitRules{MinDaysAhead: 1, MaxDaysAhead: 14, HoldMinutes: 10, MaxVisitors: 3, CancelHours: 24, NoShowLimit: 3, SuspendDays: 30}
}

// Validate checks that the rules make sense together.
func (r VisitRules) Validate() error {
	var p domain.Problems
	between := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			p.Add(field, domain.FieldOutOfRange, "is out of range")
		}
	}
	between("min_days_ahead", r.MinDaysAhead, 0, 60)
	between("max_days_ahead", r.MaxDaysAhead, 1, 60)
	if r.MaxDaysAhead < r.MinDaysAhead {
		p.Add("max_days_ahead", domain.FieldOutOfRange, "must not be below min_days_ahead")
	}
	between("hold_minutes", r.HoldMinutes, 1, 60)
	between("max_visitors", r.MaxVisitors, 1, 10)
	between("cancel_hours", r.CancelHours, 0, 168)
	between("no_show_limit", r.NoShowLimit, 1, 20)
	between("suspend_days", r.SuspendDays, 0, 365)
	return p.Err()
}

// BookingStatus is where a booking is in its life.
type BookingStatus string

const (
	BookingPending   BookingStatus = "pending"   // waits for staff
	BookingApproved  BookingStatus = "approved"  // the visit will happen
	BookingRefused   BookingStatus = "refused"   // staff said no, with a reason
	BookingCancelled BookingStatus = "cancelled" // by the family, by staff, or because the detainee left
	BookingAttended  BookingStatus = "attended"  // the visit happened
	BookingNoShow    BookingStatus = "no_show"   // the family did not come
)

// Valid reports whether s is a known status.
func (s BookingStatus) Valid() bool {
	switch s {
	case BookingPending, BookingApproved, BookingRefused, BookingCancelled, BookingAttended, BookingNoShow:
		return true
	}
	return false
}

// Active reports whether the booking still takes a seat of a future visit.
func (s BookingStatus) Active() bool { return s == BookingPending || s == BookingApproved }

// BookingAction is what happens to a booking.
type BookingAction string

const (
	BookingApprove    BookingAction = "approve"
	BookingRefuse     BookingAction = "refuse"
	BookingCancel     BookingAction = "cancel"
	BookingReschedule BookingAction = "reschedule" // to another slot; an approved booking is decided again
	BookingAttend     BookingAction = "attend"
	BookingMissed     BookingAction = "no_show"
)

var bookingMoves = map[BookingStatus]map[BookingAction]BookingStatus{
	BookingPending: {
		BookingApprove: BookingApproved, BookingRefuse: BookingRefused, BookingCancel: BookingCancelled, BookingReschedule: BookingPending,
	},
	BookingApproved: {
		BookingCancel: BookingCancelled, BookingReschedule: BookingPending, BookingAttend: BookingAttended, BookingMissed: BookingNoShow,
	},
}

// NextBooking is the status action leads to from from, or a
// failed-precondition error (409) when the action is not allowed there.
func NextBooking(from BookingStatus, action BookingAction) (BookingStatus, error) {
	switch action {
	case BookingApprove, BookingRefuse, BookingCancel, BookingReschedule, BookingAttend, BookingMissed:
	default:
		return from, domain.Errorf(domain.KindInvalid, "visit_booking.unknown_action", "Unknown action %q.", action)
	}
	if to, ok := bookingMoves[from][action]; ok {
		return to, nil
	}
	return from, domain.Errorf(domain.KindFailedPrecondition, "visit_booking.illegal_transition",
		"A booking that is %s cannot be %s.", from, bookingActionDone[action])
}

var bookingActionDone = map[BookingAction]string{
	BookingApprove: "approved", BookingRefuse: "refused", BookingCancel: "cancelled", BookingReschedule: "rescheduled",
	BookingAttend: "marked attended", BookingMissed: "marked as a no-show",
}

// VisitTemplate is one weekly slot a centre offers: every Weekday between
// ValidFrom and ValidTo, from Start to End (local clock times).
type VisitTemplate struct {
	ID        int64
	CentreID  int64
	Weekday   int    // 1 Monday … 7 Sunday (ISO 8601)
	Start     string // "09:00"
	End       string // "10:00"
	Mode      VisitMode
	Capacity  int
	ValidFrom string // 2006-01-02
	ValidTo   string // 2006-01-02, or "" for open-ended
	CreatedBy int64
	CreatedAt time.Time
}

// BlockedDate is a day a centre takes no visits (a holiday, an inspection).
type BlockedDate struct {
	CentreID  int64
	Day       string // 2006-01-02
	Reason    string
	CreatedBy int64
	CreatedAt time.Time
}

// VisitSlot is one bookable time at a centre, materialised from a template.
// Booked counts the seats taken by active bookings and by holds not yet
// reclaimed; it never exceeds Capacity.
type VisitSlot struct {
	ID        int64
	CentreID  int64
	Mode      VisitMode
	StartsAt  time.Time
	EndsAt    time.Time
	Capacity  int
	Booked    int
	Closed    bool // its template or day went away; existing bookings stand, nobody books it
	CreatedAt time.Time
	UpdatedAt time.Time
	// ExpiredHolds counts holds that ran out but still sit in Booked (list
	// reads fill it): their seats are free to the next booker.
	ExpiredHolds int
}

// Remaining is how many seats a booker may still take.
func (s VisitSlot) Remaining() int {
	if s.Closed {
		return 0
	}
	return max(0, s.Capacity-s.Booked+s.ExpiredHolds)
}

// HoldState is where a seat hold is.
type HoldState string

const (
	HoldActive   HoldState = "active"   // takes a seat until ExpiresAt
	HoldUsed     HoldState = "used"     // became a booking (which keeps the seat)
	HoldExpired  HoldState = "expired"  // ran out; its seat was given back
	HoldReleased HoldState = "released" // the holder took another seat instead
)

// VisitHold keeps a seat for a family member while they fill in the form.
type VisitHold struct {
	ID         int64
	SlotID     int64
	UserID     int64
	DetaineeID int64
	State      HoldState
	ExpiresAt  time.Time
	BookingID  int64
	CreatedAt  time.Time
}

// Visitor is one person coming to a visit. The full ID number is never
// stored: IDNumber holds it masked.
type Visitor struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

// VisitBooking is a family member's booking of a slot to visit a detainee.
type VisitBooking struct {
	ID           int64
	CentreID     int64
	DetaineeID   int64
	SlotID       int64
	BookerID     int64 // the family member who booked; only they see it (and the centre's staff)
	Relationship string
	Visitors     []Visitor // ID numbers masked
	Mode         VisitMode
	StartsAt     time.Time // the slot's times, kept with the booking for lists and reminders
	EndsAt       time.Time
	Status       BookingStatus
	Reason       string // why it was refused or cancelled
	RoomID       string // the video room of an approved remote visit
	DecidedBy    int64
	DecidedAt    *time.Time
	CancelledBy  int64 // 0 when the system cancelled it (release, transfer, blocked day)
	CancelledAt  *time.Time
	MarkedBy     int64 // who recorded attendance
	MarkedAt     *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

// VisitEvent is one line of a booking's history.
type VisitEvent struct {
	ID        int64
	BookingID int64
	At        time.Time
	ActorID   int64
	Action    string
	From      BookingStatus
	To        BookingStatus
	Detail    string
}

// VisitSuspension stops a family member booking at a centre until Until,
// after too many no-shows.
type VisitSuspension struct {
	ID       int64
	CentreID int64
	UserID   int64
	From     time.Time
	Until    time.Time
	Reason   string
}
