package incident

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Filter narrows a list of incidents.
type Filter struct {
	StationIDs []int64 // nil: every station
	WorkerID   int64   // or: the incidents this worker was brought into
	State      State
	BeforeID   int64
	Limit      int
}

// Store keeps incidents, their workers and calculations, and the standards.
// Every method joins the transaction ctx carries.
type Store interface {
	CreateIncident(ctx context.Context, in *Incident) error
	Incident(ctx context.Context, id int64) (*Incident, error) // with its workers
	// UpdateIncident writes the incident's own fields if its stored version
	// is still in.Version, bumping both; false: someone changed it first.
	UpdateIncident(ctx context.Context, in *Incident) (bool, error)
	AddWorker(ctx context.Context, incidentID int64, w Worker) error // a repeated worker is a conflict
	SaveWorkerPart(ctx context.Context, incidentID int64, w Worker) error
	Incidents(ctx context.Context, f Filter) ([]Incident, error)

	AddCalculation(ctx context.Context, c *Calculation) error
	Calculations(ctx context.Context, incidentID int64) ([]Calculation, error)

	Standards(ctx context.Context) ([]Standard, error)
	Standard(ctx context.Context, id int64) (*Standard, error)
	StandardFor(ctx context.Context, province string, year int) (*Standard, error)
	CreateStandard(ctx context.Context, s *Standard) error // a second one for the province and year is a conflict
	UpdateStandard(ctx context.Context, s *Standard) (bool, error)
	DeleteStandard(ctx context.Context, id int64) error

	// Counts are the figures of the stations' incidents recorded in [from, to).
	Counts(ctx context.Context, stationIDs []int64, from, to time.Time) (Counts, error)
}

// Counts are the statistics of incidents.
type Counts struct {
	Incidents       int64
	WithLegalWorker int64
	Resolved        int64
	Referred        int64
	Calculations    int64
	CalculatedFen   int64 // the payable amounts calculated, summed
}

// Person is a staff account as the incident rules need it.
type Person struct {
	ID         int64
	Name       string
	OrgID      int64
	Roles      []string
	StationIDs []int64 // the stations a lawyer or mediator serves
	Disabled   bool
}

// People finds staff accounts; Scope says which stations an actor sees;
// Requests answers for the mediation case an incident is referred to.
type People interface {
	Person(ctx context.Context, id int64) (*Person, error)
}

type Scope interface {
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
	IsStation(ctx context.Context, id int64) (bool, error)
}

type Requests interface {
	// StationOfRequest is the station a mediation request was filed at.
	StationOfRequest(ctx context.Context, id int64) (int64, error)
}

// Guests says whether a person outside the incident was let in to read it:
// an expert of the pool who accepted an invitation to it.
type Guests interface {
	Guest(ctx context.Context, userID, incidentID int64) (bool, error)
}

// Orders makes and ends work orders in the transaction ctx carries
// (*workorder.Service).
type Orders interface {
	Create(ctx context.Context, n workorder.NewOrder) error
	Settle(ctx context.Context, a domain.Actor, cause string, resourceID int64, keep ...int64) (int, error)
}
