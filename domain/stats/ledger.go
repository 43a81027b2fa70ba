package stats

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// LedgerLine is one request of the daily ledger (每日台帐): what came in
// and where it stands, without the parties' personal data.
type LedgerLine struct {
	RequestID      int64
	FiledAt        time.Time
	StationID      int64
	Kind           string
	Category       string
	Status         string
	Classification string
	LeadID         int64
	Outcome        string
}

// Ledger lists the requests filed on one local day at the actor's stations.
func (s *Service) Ledger(ctx context.Context, a domain.Actor, from, to time.Time) ([]LedgerLine, error) {
	stations, err := s.stations(ctx, a, 0)
	if err != nil || len(stations) == 0 {
		return nil, err
	}
	lines, err := s.Store.Ledger(ctx, stations, from.UTC(), to.UTC())
	if err != nil {
		return nil, err
	}
	if s.Audit != nil {
		err = s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "stats.ledger", "stats", 0, from.Format("2006-01-02")))
	}
	return lines, err
}
