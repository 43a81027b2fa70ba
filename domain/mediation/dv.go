package mediation

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// dvHistory looks the filing's people and place up among the staff's
// domestic-violence flags before it is written, so its warning signal
// carries the flag (read once, outside the filing's transaction).
func (s *Service) dvHistory(ctx context.Context, a domain.Actor, f Filing) (bool, error) {
	if s.DVHistory == nil {
		return false, nil
	}
	var phones []string
	for _, p := range f.Parties {
		if p.Phone != "" {
			phones = append(phones, p.Phone)
		}
	}
	return s.DVHistory.DVHistory(ctx, a.UserID, phones, f.Place)
}
