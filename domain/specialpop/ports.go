package specialpop

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Filter narrows the register.
type Filter struct {
	AreaIDs []int64
	State   State
	Kind    string
	Before  int64 // cursor: smaller IDs, newest first
	Limit   int
}

// Count is the number of people of one kind in one state.
type Count struct {
	Kind  string
	State State
	N     int
}

// Store keeps areas, kinds, people and their records; every method joins
// the transaction ctx carries.
type Store interface {
	CreateArea(ctx context.Context, a *Area) error
	Areas(ctx context.Context) ([]Area, error)

	Kinds(ctx context.Context) ([]Kind, error)
	// CreateKind: a code that exists is a conflict.
	CreateKind(ctx context.Context, k *Kind) error

	CreatePerson(ctx context.Context, p *Person) error
	// Person: an unknown ID is not found (special_person.not_found).
	Person(ctx context.Context, id int64) (*Person, error)
	// ActiveByIDHash finds a managed or lost-contact person with the number.
	ActiveByIDHash(ctx context.Context, hash string) (*Person, bool, error)
	// UpdatePerson writes p if its version is still p.Version, bumping it.
	UpdatePerson(ctx context.Context, p *Person) (bool, error)
	People(ctx context.Context, f Filter) ([]Person, error)
	// MissedContacts are managed people whose plan date passed before now
	// and who were not yet found overdue.
	MissedContacts(ctx context.Context, now time.Time, limit int) ([]Person, error)

	AddRecord(ctx context.Context, r *Record) error
	Records(ctx context.Context, personID int64) ([]Record, error)
	// RecordsBetween are the areas' records written in [from, to).
	RecordsBetween(ctx context.Context, areaIDs []int64, from, to time.Time) ([]Record, error)
	// Counts counts the areas' people by kind and state.
	Counts(ctx context.Context, areaIDs []int64) ([]Count, error)
	// PlanCompliance counts the areas' managed people and those whose plan
	// date has not passed at now.
	PlanCompliance(ctx context.Context, areaIDs []int64, now time.Time) (managed, onPlan int, err error)
}

// Orgs answers organisation questions from accounts.
type Orgs interface {
	Org(ctx context.Context, id int64) (Org, error)
	// OrgOfUser is the organisation of an enabled staff account; not found
	// otherwise.
	OrgOfUser(ctx context.Context, userID int64) (int64, error)
}

// Orders is dispatch: *workorder.Service.
type Orders interface {
	Create(ctx context.Context, n workorder.NewOrder) error
	Settle(ctx context.Context, a domain.Actor, cause string, resourceID int64, keep ...int64) (int, error)
}

// Warnings raises a warning for a fact the register established:
// *warning.Service.
type Warnings interface {
	Raise(ctx context.Context, kind warning.Kind, subject string, stationID int64, dedupeKey string) (*warning.Warning, error)
}
