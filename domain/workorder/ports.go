package workorder

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Store keeps orders and their history. Every method joins the transaction
// carried by ctx.
type Store interface {
	// Insert sets o.ID; an order whose DedupeKey exists already inserts
	// nothing and reports created false.
	Insert(ctx context.Context, o *Order) (created bool, err error)
	Order(ctx context.Context, id int64) (*Order, error)
	Orders(ctx context.Context, ids []int64) (map[int64]*Order, error)
	// Update writes o if the stored version is still o.Version, bumping
	// both; false means someone changed it first.
	Update(ctx context.Context, o *Order) (bool, error)
	// MarkDelivered moves a queued order to delivered; false when it was
	// not queued (already acknowledged, claimed, reassigned away…).
	MarkDelivered(ctx context.Context, id int64, at time.Time) (bool, error)
	// InsertFresh inserts orders whose dedupe keys are new, setting their
	// IDs; a repeated key is a conflict that fails them all (Insert is for
	// causes that may repeat).
	InsertFresh(ctx context.Context, orders []*Order) error
	AddEvent(ctx context.Context, events ...Event) error
	Events(ctx context.Context, orderID int64) ([]Event, error)
	List(ctx context.Context, f Filter) ([]Order, error)
	// Overdue: open, not paused, DueAt before now. WarnDue: open, not
	// paused, WarnAt before now, not warned yet. Unacknowledged: queued,
	// last published before the given time.
	Overdue(ctx context.Context, now time.Time, limit int) ([]Order, error)
	WarnDue(ctx context.Context, now time.Time, limit int) ([]Order, error)
	Unacknowledged(ctx context.Context, publishedBefore time.Time, limit int) ([]Order, error)
	// OpenOf are the open orders of the given kinds about one subject,
	// read with a lock (the latest committed rows) so that the caller's
	// transaction may end them.
	OpenOf(ctx context.Context, resourceType string, resourceID int64, kinds []string) ([]Order, error)
	// OpenLoad counts the open orders each user holds (claimed or addressed).
	OpenLoad(ctx context.Context, userIDs []int64) (map[int64]int, error)
}

// Filter selects orders for the backlog. Units and Person are alternatives
// (an order matches when its unit is in Units or it is addressed to or
// claimed by Person); the other fields narrow further.
type Filter struct {
	Units    []int64
	Person   int64
	States   []State
	Kind     string
	BeforeID int64 // cursor: orders with a smaller ID (newest first)
	Limit    int
}

// Outbox writes messages for their streams in the current transaction; the
// relay publishes them after commit.
type Outbox interface {
	Publish(ctx context.Context, messages ...Message) error
}

// StreamCheck lets the reconciler see an order's entry on its stream (the
// queue Redis). Waiting reports whether stream still holds an entry for the
// order that no app's consumer group has had
// pending (delivered, never acknowledged) for ackTimeout or longer: the
// staff hub delivers it, or redelivers it, without a second entry. An entry
// trimmed away or lost with a failover is not waiting.
type StreamCheck interface {
	// since is when the order was created: its entries are not older.
	Waiting(ctx context.Context, stream string, orderID int64, since time.Time, ackTimeout time.Duration) (bool, error)
}

// Member is a staff member of a unit, for automatic assignment.
type Member struct {
	UserID int64
	OnDuty bool
	App    string // the staff app they use (AppFor their roles)
}

// Units answers questions about the organisation tree.
type Units interface {
	// Parent is the organisation above unitID (0 at the top); an unknown
	// unit is not found.
	Parent(ctx context.Context, unitID int64) (int64, error)
	// Members are the enabled staff of the unit (lawyers and mediators
	// serving a station included), with their duty state at at.
	Members(ctx context.Context, unitID int64, at time.Time) ([]Member, error)
	// Supervisors are the enabled supervisors of the unit.
	Supervisors(ctx context.Context, unitID int64) ([]int64, error)
	// UnitsOf are the units whose queues the actor works: their own
	// organisation, the stations a lawyer serves, and for supervisors and
	// admins every organisation under theirs.
	UnitsOf(ctx context.Context, a domain.Actor) ([]int64, error)
	// Reaches says whether the actor may send work to the unit and to the
	// person (0: not named): within their district or subtree.
	Reaches(ctx context.Context, a domain.Actor, unitID, personID int64) (bool, error)
}

// Assignment modes a unit can choose.
const (
	AssignFree        = "free"         // anyone of the unit claims from the queue
	AssignRoundRobin  = "round_robin"  // each new order goes to the next on-duty member in turn
	AssignLeastLoaded = "least_loaded" // each new order goes to the on-duty member holding the fewest
)

// UnitSettings are a unit's dispatch choices.
type UnitSettings struct {
	UnitID     int64
	Assignment string
	Hours      string // working hours, "08:30-17:30"; "00:00-24:00" round the clock
	Weekends   bool   // Saturdays and Sundays are worked
}

// Settings stores unit settings and the round-robin turn.
type Settings interface {
	// UnitSettings returns the unit's settings, or found false.
	UnitSettings(ctx context.Context, unitID int64) (UnitSettings, bool, error)
	SaveUnitSettings(ctx context.Context, s UnitSettings) error
	// NextTurn advances the unit's round-robin counter under a row lock and
	// returns the value before the advance.
	NextTurn(ctx context.Context, unitID int64) (int64, error)
}

// Notifier puts a notice in a person's inbox (and their external channels)
// in the current transaction.
type Notifier interface {
	Notify(ctx context.Context, userID int64, kind, title, body string, orderID int64, dedupeKey string) error
}
