// Package stats is the managers' figures (统计): requests and cases by
// station, category, kind and month; closure and mediation-success rates;
// time to first response and to close; satisfaction; warnings raised and
// resolved — always within the caller's stations — and the daily ledger
// (每日台帐), monthly statistics and quarterly report built from them.
package stats

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Group is what a breakdown is by.
type Group string

const (
	ByStation  Group = "station"
	ByCategory Group = "category"
	ByKind     Group = "kind"
	ByMonth    Group = "month"
	// ByTag groups by the staff's self-chosen tags: a case with two tags
	// counts in both rows and an untagged case in none, so the total is
	// counted on its own rather than summed from the rows.
	ByTag     Group = "tag"
	ByNothing Group = ""
)

// Query selects requests filed in [From, To) at Stations.
type Query struct {
	Stations []int64
	From, To time.Time
	By       Group
	Offset   time.Duration // the zone's offset from UTC, for month boundaries
}

// Figures are the counts and sums of one group; rates and averages are
// derived from them (Row), so groups can be added up.
type Figures struct {
	Filed, Responded, Closed, Agreed, Failed, Referred, Rejected int64
	FirstResponseSeconds, CloseSeconds                           float64 // sums over Responded and Closed
	Rated, StarsSum                                              int64   // in-app ratings by the citizen
	ReturnVisits, ReturnStarsSum                                 int64   // answers heard at the return visit (回访)
}

// Add sums two groups.
func (f *Figures) Add(g Figures) {
	f.Filed += g.Filed
	f.Responded += g.Responded
	f.Closed += g.Closed
	f.Agreed += g.Agreed
	f.Failed += g.Failed
	f.Referred += g.Referred
	f.Rejected += g.Rejected
	f.FirstResponseSeconds += g.FirstResponseSeconds
	f.CloseSeconds += g.CloseSeconds
	f.Rated += g.Rated
	f.StarsSum += g.StarsSum
	f.ReturnVisits += g.ReturnVisits
	f.ReturnStarsSum += g.ReturnStarsSum
}

// Row is one group with its derived rates.
type Row struct {
	Key string // station ID, category code, kind or "2026-11"
	Figures
	ClosureRate        float64 // closed / filed
	SuccessRate        float64 // agreed / (agreed + failed + referred)
	AvgFirstResponseH  float64 // hours
	AvgCloseH          float64 // hours
	Satisfaction       float64 // mean stars of the in-app ratings
	ReturnSatisfaction float64 // mean stars of the return-visit answers
	WarningsRaised     int64
	WarningsResolved   int64 // handled with an outcome
	Duty               DutyFigures
}

func derive(key string, f Figures) Row {
	r := Row{Key: key, Figures: f}
	if f.Filed > 0 {
		r.ClosureRate = round(float64(f.Closed) / float64(f.Filed))
	}
	if done := f.Agreed + f.Failed + f.Referred; done > 0 {
		r.SuccessRate = round(float64(f.Agreed) / float64(done))
	}
	if f.Responded > 0 {
		r.AvgFirstResponseH = round(f.FirstResponseSeconds / float64(f.Responded) / 3600)
	}
	if f.Closed > 0 {
		r.AvgCloseH = round(f.CloseSeconds / float64(f.Closed) / 3600)
	}
	if f.Rated > 0 {
		r.Satisfaction = round(float64(f.StarsSum) / float64(f.Rated))
	}
	if f.ReturnVisits > 0 {
		r.ReturnSatisfaction = round(float64(f.ReturnStarsSum) / float64(f.ReturnVisits))
	}
	return r
}

func round(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }

// Store reads the figures.
type Store interface {
	Figures(ctx context.Context, q Query) (map[string]Figures, error)
	// Warnings counts warnings raised in the window at the stations, and
	// those resolved, by group key (station or month; "" otherwise).
	Warnings(ctx context.Context, q Query) (raised, resolved map[string]int64, err error)
	Ledger(ctx context.Context, stations []int64, from, to time.Time) ([]LedgerLine, error)
}

// Scope tells which stations a staff member sees.
type Scope interface {
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
}

// Service answers statistics for staff, within their scope.
type Service struct {
	Store Store
	Scope Scope
	Loc   *time.Location
	Audit domain.Auditor
	Clock domain.Clock
	// Duties counts the lawyers' duty work besides mediation (nil: none).
	Duties DutyWork
}
