package mediation

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Directory answers who can be routed to and what a staff member may see.
type Directory interface {
	// Candidates are the lawyers and mediators serving a station and the
	// station's police officers, with duty state and open-case load.
	Candidates(ctx context.Context, stationID int64) ([]Candidate, error)
	// StationScope lists the stations a staff actor may see; all is true for
	// district-wide roles (supervisor, admin).
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
	// IsStation reports whether id is a police station citizens may pick.
	IsStation(ctx context.Context, id int64) (bool, error)
	// ParentUnit is the organisation above a station (its district bureau),
	// whose supervisors take the second level of review.
	ParentUnit(ctx context.Context, stationID int64) (int64, error)
}

// VisitStaff answers for the detention area whether an actor works the
// centre a visit booking is at (its staff, or a supervisor or admin above
// it).
type VisitStaff interface {
	StaffOfBooking(ctx context.Context, a domain.Actor, bookingID int64) (bool, error)
	// BookingOpen reports whether a booking is still approved (not
	// cancelled, refused or done): its room lives only as long.
	BookingOpen(ctx context.Context, bookingID int64) (bool, error)
}

// OrderRequest asks for a work order to be created in the caller's
// transaction (the dispatch area delivers it after commit).
type OrderRequest struct {
	Kind         string // screen_request, assignment, follow_up
	UnitID       int64  // the organisation whose queue receives it
	PersonID     int64  // the person it is for, if any
	Priority     int
	Title        string
	ResourceType string
	ResourceID   int64
	DedupeKey    string // the same key never makes a second order
}

// WorkOrders creates work orders inside the current transaction.
// CreateOrder is for causes that may repeat (a repeated dedupe key adds
// nothing); CreateFreshOrders writes many at once whose keys are new (a
// repeated key is a conflict). SettleOrders ends the request's open orders
// that the action named by cause did or made void (the lifecycle table of
// domain/workorder, e.g. "case.started" completes the assignment orders),
// in the same transaction; orders addressed to the people in keep stay open.
type WorkOrders interface {
	CreateOrder(ctx context.Context, o OrderRequest) error
	CreateFreshOrders(ctx context.Context, os []OrderRequest) error
	SettleOrders(ctx context.Context, a domain.Actor, cause string, requestID int64, keep ...int64) error
}

// Signal is a fact the early-warning counters count: a filing, a risk
// assessment. It is written in the transaction of the change it reports, so
// the counters can be rebuilt from the database.
type Signal struct {
	Type        string // request_filed, risk_assessed
	RequestID   int64
	RequestKind Kind
	Description string // read for warning keywords, never stored with the signal
	PersonID    int64  // the filer
	Category    string
	StationID   int64
	Place       string
	RiskScore   int
	At          time.Time
	// DVHistory is true when the filer, a party or the place carries a
	// staff flag of domestic-violence history (see DVHistory).
	DVHistory bool
}

// DVHistory answers, for each of a batch of filings, whether it touches a
// person (the filer, or a party by phone) or a household (the place) that
// staff flagged with a domestic-violence history — in one read for the
// batch; the warning area keeps the flags.
type DVHistory interface {
	DVHistories(ctx context.Context, subjects []DVSubject) ([]bool, error)
}

// DVSubject is what of one filing DVHistory looks up.
type DVSubject struct {
	FilerID int64
	Phones  []string
	Place   string
}

// Guests says whether someone outside a case was let in to read it: an
// expert of the pool who accepted an invitation to the request (and still
// reads it once they gave their opinion; a declined or withdrawn invitation
// lets no one in).
type Guests interface {
	Guest(ctx context.Context, userID, requestID int64) (bool, error)
}

// Signals records signals for the warning rules.
type Signals interface {
	Emit(ctx context.Context, signals ...Signal) error
}

// Detainees checks a filing on a detainee's behalf: CentreFor answers the
// detainee's detention centre when filer is registered as their family,
// and NotFamily otherwise (also for an unknown detainee, whose existence a
// stranger must not learn). HeldAt is the centre that holds (or last held)
// the detainee, whose staff work the request with the station; an unknown
// detainee is not found.
type Detainees interface {
	CentreFor(ctx context.Context, detaineeID, filerID int64) (int64, error)
	HeldAt(ctx context.Context, detaineeID int64) (int64, error)
}

// NotFamily refuses a filing on behalf of a detainee the filer is not
// registered family of: forbidden, as booking a visit is
// (visit_booking.not_family), not a malformed detainee_id.
func NotFamily() error {
	return domain.Errorf(domain.KindForbidden, "request.not_family", "Only registered family may apply for mediation on this person's behalf.")
}
