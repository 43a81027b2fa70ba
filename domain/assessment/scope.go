package assessment

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// FirmScope says whose figures an actor sees: every firm's (all), one
// firm's (a firm's head), or none (an error).
type FirmScope interface {
	FirmScope(ctx context.Context, a domain.Actor) (firmID int64, all bool, err error)
}

// ListFor is a month's assessments as the actor may see them: a firm's head
// gets their own firm's row only.
func (s *Service) ListFor(ctx context.Context, a domain.Actor, month string) ([]FirmAssessment, error) {
	firm, all, err := s.Scope.FirmScope(ctx, a)
	if err != nil {
		return nil, err
	}
	list, err := s.List(ctx, month)
	if err != nil || all {
		return list, err
	}
	out := []FirmAssessment{}
	for _, f := range list {
		if f.FirmID == firm {
			out = append(out, f)
		}
	}
	return out, nil
}

// MoneyStatementFor is the subsidy statement as the actor may see it: a
// firm's head gets their own firm's line only.
func (s *Service) MoneyStatementFor(ctx context.Context, a domain.Actor, from, to time.Time) ([]FirmMoney, error) {
	firm, all, err := s.Scope.FirmScope(ctx, a)
	if err != nil {
		return nil, err
	}
	list, err := s.MoneyStatement(ctx, from, to)
	if err != nil || all {
		return list, err
	}
	out := []FirmMoney{}
	for _, m := range list {
		if m.FirmID == firm {
			out = append(out, m)
		}
	}
	return out, nil
}
