package assessment

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// A case's subsidy tier defaults from its classification; a supervisor who
// knows the case was harder (or easier) rates it 1–5 (seed 000: five tiers
// by the 司法部、财政部 guidance). The rating stands until changed.

// DifficultyStore keeps the supervisors' ratings.
type DifficultyStore interface {
	// CaseStation is a request's station (not found when none).
	CaseStation(ctx context.Context, requestID int64) (int64, error)
	SetDifficulty(ctx context.Context, requestID int64, tier int, by int64, reason string, at time.Time) error
}

// StationSight says whether a station lies in the actor's scope.
type StationSight interface {
	SeesStation(ctx context.Context, a domain.Actor, stationID int64) (bool, error)
}

// RateDifficulty sets a case's subsidy tier, with a reason; a case at a
// station outside the supervisor's scope is not found.
func (s *Service) RateDifficulty(ctx context.Context, a domain.Actor, requestID int64, tier int, reason string) error {
	var p domain.Problems
	if tier < 1 || tier > Tiers {
		p.Add("tier", domain.FieldOutOfRange, "is 1 to "+strconv.Itoa(Tiers))
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		p.Add("reason", domain.FieldRequired, "say why the case is of this tier")
	} else if utf8.RuneCountInString(reason) > 500 {
		p.Add("reason", domain.FieldTooLong, "is at most 500 characters")
	}
	if err := p.Err(); err != nil {
		return err
	}
	notFound := domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
	station, err := s.Difficulties.CaseStation(ctx, requestID)
	if domain.IsKind(err, domain.KindNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	if ok, err := s.Sight.SeesStation(ctx, a, station); err != nil {
		return err
	} else if !ok {
		return notFound
	}
	now := s.Clock.Now()
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Difficulties.SetDifficulty(ctx, requestID, tier, a.UserID, reason, now); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "request.difficulty", "request", requestID, strconv.Itoa(tier)))
	})
}
