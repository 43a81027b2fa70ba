package mediation

import (
	"context"
	"time"
)

// Event is one entry of a request's timeline.
type Event struct {
	ID         int64
	RequestID  int64
	At         time.Time
	ActorID    int64
	ActorRole  string
	Type       string // filed, screened, assigned, started, agreed, record_submitted, …
	FromStatus Status
	ToStatus   Status
	Note       string
}

// Page asks for one page of a list: items with IDs below Before (0 for the
// newest), at most Limit of them.
type Page struct {
	Before int64
	Limit  int
}

// StaffFilter narrows the requests staff see.
type StaffFilter struct {
	StationIDs []int64 // the caller's stations; nil means all (district-wide roles)
	Statuses   []Status
	PersonID   int64   // requests this person leads, assists or was chosen for
	FirmID     int64   // requests a lawyer of this firm leads, assists or was chosen for
	Search     *Search // custom search filters within that scope; nil for the plain list
	Page
}

// RequestStore keeps requests. Update is optimistic: it writes only when the
// stored version is still r.Version-1 and answers a conflict otherwise, so of
// two concurrent transitions exactly one wins.
type RequestStore interface {
	// CreateRequest inserts requests with their parties, setting their IDs.
	CreateRequest(ctx context.Context, rs ...*Request) error
	Request(ctx context.Context, id int64) (*Request, error)
	UpdateRequest(ctx context.Context, r *Request) error
	RequestsOfFiler(ctx context.Context, filerID int64, p Page) ([]Request, error)
	RequestsForStaff(ctx context.Context, f StaffFilter) ([]Request, error)
	AppendEvent(ctx context.Context, events ...*Event) error
	Events(ctx context.Context, requestID int64) ([]Event, error)
	// EventsBefore pages a timeline newest first (IDs below p.Before).
	EventsBefore(ctx context.Context, requestID int64, p Page) ([]Event, error)
	Categories(ctx context.Context) ([]Category, error)
}

// RecordStore keeps mediation records with their sessions and reviews.
type RecordStore interface {
	RecordOfRequest(ctx context.Context, requestID int64) (*Record, error)
	SaveRecord(ctx context.Context, r *Record) error // creates or updates (optimistic on Version)
	AppendReview(ctx context.Context, recordID int64, c ReviewComment) error
}
