package pairing

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Store keeps pairings, visits and findings; every method joins the
// transaction ctx carries.
type Store interface {
	// CreatePairing fails with a conflict when the station already has an
	// active pairing.
	CreatePairing(ctx context.Context, p *Pairing) error
	Pairing(ctx context.Context, id int64) (*Pairing, error)
	EndPairing(ctx context.Context, id int64, at time.Time) error
	// ActivePairings of the stations (nil: all), by station.
	ActivePairings(ctx context.Context, stationIDs []int64) ([]Pairing, error)
	// PairingsOf are the pairings, active and ended, of the stations (nil:
	// none) or led by the cadre, newest first.
	PairingsOf(ctx context.Context, stationIDs []int64, all bool, cadreID int64) ([]Pairing, error)
	// LastVisits is the latest visit of each pairing.
	LastVisits(ctx context.Context, pairingIDs []int64) (map[int64]time.Time, error)

	CreateVisit(ctx context.Context, v *Visit) error
	Visits(ctx context.Context, pairingID int64, limit int) ([]Visit, error) // newest first, with findings

	CreateFinding(ctx context.Context, f *Finding) error
	Finding(ctx context.Context, id int64) (*Finding, error)
	UpdateFinding(ctx context.Context, f *Finding) (bool, error) // optimistic on Version
	OpenFindings(ctx context.Context, stationIDs []int64) (map[int64]int, error)

	// Counts of the stations' visits and findings in [from, to).
	Counts(ctx context.Context, stationIDs []int64, from, to time.Time) (visits, findings, verified int64, err error)
}

// Station is a police station as the coverage view shows it.
type Station struct {
	ID   int64
	Name string
}

// Directory answers for stations and people.
type Directory interface {
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
	Stations(ctx context.Context) ([]Station, error)
	// Cadre is the name and organisation of a staff account that can lead
	// a pairing (a supervisor or admin), or not found.
	Cadre(ctx context.Context, userID int64) (name string, orgID int64, err error)
}

// Orders makes and ends work orders (*workorder.Service).
type Orders interface {
	Create(ctx context.Context, n workorder.NewOrder) error
	Settle(ctx context.Context, a domain.Actor, cause string, resourceID int64, keep ...int64) (int, error)
}

// Warnings raises the overdue-visit warning (*warning.Service).
type Warnings interface {
	RaiseFact(ctx context.Context, f warning.Fact) (*warning.Warning, error)
}
