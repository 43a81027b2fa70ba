package account

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// CitizenAnonymiser forgets citizens who have gone quiet.
type CitizenAnonymiser interface {
	// AnonymiseCitizensInactiveSince blanks the name, phone and mini-program
	// identity of citizens with no login since t and no unfinished request.
	AnonymiseCitizensInactiveSince(ctx context.Context, t time.Time, at time.Time) (int, error)
}

// AnonymiseInactive is the nightly retention job for accounts.
func AnonymiseInactive(ctx context.Context, store CitizenAnonymiser, audit domain.Auditor, clock domain.Clock, retention time.Duration) (int, error) {
	now := clock.Now()
	n, err := store.AnonymiseCitizensInactiveSince(ctx, now.Add(-retention), now)
	if err != nil || n == 0 {
		return n, err
	}
	return n, audit.Audit(ctx, domain.AuditOf(domain.System, now, "retention.anonymise", "user", 0, "citizens anonymised"))
}
