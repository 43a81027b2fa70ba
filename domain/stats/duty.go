package stats

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// The stationed lawyers' duties besides mediation (legal consultations,
// legal education sessions, help with police matters; domain/dutywork) are
// counted beside the cases: by station and by month they have rows of
// their own, by category, kind or tag they count in the total only (a
// consultation has no dispute category).

// DutyFigures are a group's duty work besides mediation.
type DutyFigures struct {
	Consultations, EducationSessions, EducationAttendees, PoliceAssists int64
}

// Add sums two groups.
func (d *DutyFigures) Add(e DutyFigures) {
	d.Consultations += e.Consultations
	d.EducationSessions += e.EducationSessions
	d.EducationAttendees += e.EducationAttendees
	d.PoliceAssists += e.PoliceAssists
}

// DutyLedgerLine is one piece of duty work in the daily ledger: what and
// where, without the name of whoever asked.
type DutyLedgerLine struct {
	ID        int64
	At        time.Time
	StationID int64
	Kind      string // consultation, education, police_assist
	LawyerID  int64
	Topic     string
	Minutes   int
	Attendees int
}

// DutyWork reads the duty records.
type DutyWork interface {
	// DutyWork counts the records done in [q.From, q.To) at q.Stations, by
	// station ID or month (q.By; "" for any other grouping).
	DutyWork(ctx context.Context, q Query) (map[string]DutyFigures, error)
	DutyLedger(ctx context.Context, stations []int64, from, to time.Time) ([]DutyLedgerLine, error)
}

// DutyLedger lists the duty work of one local day at the actor's stations.
func (s *Service) DutyLedger(ctx context.Context, a domain.Actor, from, to time.Time) ([]DutyLedgerLine, error) {
	if s.Duties == nil {
		return nil, nil
	}
	stations, err := s.stations(ctx, a, 0)
	if err != nil || len(stations) == 0 {
		return nil, err
	}
	return s.Duties.DutyLedger(ctx, stations, from.UTC(), to.UTC())
}
