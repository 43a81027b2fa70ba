package mediation

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
)

// TimelineSize is how many of a timeline's newest entries a request's
// detail carries; Timeline pages the rest.
const TimelineSize = 50

// Timeline pages a request's timeline newest first, for anyone who may read
// the request (others get not found). The read is audited like the detail.
func (s *Service) Timeline(ctx context.Context, a domain.Actor, id int64, p Page) ([]Event, error) {
	req, err := s.Requests.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayView(ctx, a, req); err != nil {
		return nil, err
	}
	if p.Limit <= 0 || p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	events, err := s.Requests.EventsBefore(ctx, id, p)
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "request.timeline", "request", id, "")); err != nil {
		return nil, err
	}
	return events, nil
}
