package mediation

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Anonymiser rewrites the personal data of finished requests.
type Anonymiser interface {
	// AnonymiseFinishedBefore blanks the description, place and parties of
	// requests that finished (closed, followed up, rejected, withdrawn) and
	// were last changed before t, and returns how many it changed.
	AnonymiseFinishedBefore(ctx context.Context, t time.Time) (int, error)
}

// AnonymisedText replaces free text about people once a matter is past its
// retention period; the case's category, station, dates and outcome stay
// for the statistics.
const AnonymisedText = "[已匿名]"

// AnonymiseExpired is the nightly retention job (PIPL: keep personal data no
// longer than needed): finished matters older than retention lose their
// personal data. It is idempotent.
func AnonymiseExpired(ctx context.Context, store Anonymiser, audit domain.Auditor, clock domain.Clock, retention time.Duration) (int, error) {
	now := clock.Now()
	n, err := store.AnonymiseFinishedBefore(ctx, now.Add(-retention))
	if err != nil || n == 0 {
		return n, err
	}
	return n, audit.Audit(ctx, domain.AuditOf(domain.System, now, "retention.anonymise", "request", 0, "requests anonymised"))
}

// ExportFiler gathers every request a person filed, with timelines, records
// and attachments, for a data-subject access request (PIPL). The read is
// audited.
func (s *Service) ExportFiler(ctx context.Context, a domain.Actor, filerID int64) ([]View, error) {
	var out []View
	var before int64
	for {
		page, err := s.Requests.RequestsOfFiler(ctx, filerID, Page{Before: before, Limit: MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			v := View{Request: r}
			if v.Events, err = s.Requests.Events(ctx, r.ID); err != nil {
				return nil, err
			}
			if v.Attachments, err = s.Attachments.AttachmentsOf(ctx, r.ID); err != nil {
				return nil, err
			}
			if rec, err := s.Records.RecordOfRequest(ctx, r.ID); err == nil {
				v.Record = rec
			} else if !domain.IsKind(err, domain.KindNotFound) {
				return nil, err
			}
			out = append(out, v)
		}
		if len(page) < MaxPageSize {
			break
		}
		before = page[len(page)-1].ID
	}
	return out, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "user.export", "user", filerID, "data-subject access"))
}
