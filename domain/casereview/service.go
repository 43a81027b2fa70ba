package casereview

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

func notFound() error {
	return domain.Errorf(domain.KindNotFound, "case_review.not_found", "No such case review.")
}

func caseNotFound() error {
	return domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
}

// inScope reports whether a station lies in the actor's stations.
func (s *Service) inScope(ctx context.Context, a domain.Actor, station int64) (bool, error) {
	stations, all, err := s.Units.StationScope(ctx, a)
	return all || slices.Contains(stations, station), err
}

// districts are the units above the actor's stations: whose library the
// actor reads (nil: every district).
func (s *Service) districts(ctx context.Context, a domain.Actor) ([]int64, error) {
	stations, all, err := s.Units.StationScope(ctx, a)
	if err != nil || all {
		return nil, err
	}
	out := []int64{}
	for _, st := range stations {
		d, err := s.Units.ParentUnit(ctx, st)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// Pick makes a concluded case of the supervisor's stations an example, with
// a comment and a category (the case's own when empty). A case outside
// their stations is not found; one still open, or already an example, is
// refused.
func (s *Service) Pick(ctx context.Context, a domain.Actor, requestID int64, category, comment string) (*Entry, error) {
	if !a.Has("supervisor") {
		return nil, domain.Errorf(domain.KindForbidden, "case_review.supervisors_only", "Only supervisors pick cases for review.")
	}
	category, comment = strings.TrimSpace(category), strings.TrimSpace(comment)
	var p domain.Problems
	if comment == "" {
		p.Add("comment", domain.FieldRequired, "say what the case teaches")
	} else if utf8.RuneCountInString(comment) > 2000 {
		p.Add("comment", domain.FieldTooLong, "is at most 2000 characters")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	f, err := s.Cases.CaseFacts(ctx, requestID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, caseNotFound()
	}
	if err != nil {
		return nil, err
	}
	if ok, err := s.inScope(ctx, a, f.StationID); err != nil {
		return nil, err
	} else if !ok {
		return nil, caseNotFound()
	}
	if !f.Concluded {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "case_review.not_concluded", "Only a concluded case is reviewed as an example.")
	}
	if category == "" {
		category = f.Category
	} else if ok, err := s.Cases.IsCategory(ctx, category); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Invalid(domain.FieldError{Field: "category", Code: domain.FieldDoesNotExist, Message: "is not a configured category"})
	}
	district, err := s.Units.ParentUnit(ctx, f.StationID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	r := &Review{RequestID: requestID, StationID: f.StationID, DistrictID: district, Category: category, Comment: comment, ReviewerID: a.UserID, CreatedAt: now}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		exists := domain.Errorf(domain.KindConflict, "case_review.exists", "This case is already an example; withdraw it first.")
		if prev, err := s.Store.ActiveReviewOf(ctx, requestID); err != nil {
			return err
		} else if prev != nil {
			return exists
		}
		if err := s.Store.CreateReview(ctx, r); err != nil {
			if domain.IsKind(err, domain.KindConflict) { // another supervisor's pick won
				return exists
			}
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "case_review.create", "case_review", r.ID, category))
	})
	if err != nil {
		return nil, err
	}
	return &Entry{Review: *r, Case: Masked(*f)}, nil
}

// Withdraw takes an example out of the library, with a reason; a review
// outside the supervisor's stations, or withdrawn already, is not found.
func (s *Service) Withdraw(ctx context.Context, a domain.Actor, id int64, reason string) (*Review, error) {
	if !a.Has("supervisor") {
		return nil, domain.Errorf(domain.KindForbidden, "case_review.supervisors_only", "Only supervisors pick cases for review.")
	}
	if reason = strings.TrimSpace(reason); utf8.RuneCountInString(reason) > 500 {
		return nil, domain.Invalid(domain.FieldError{Field: "reason", Code: domain.FieldTooLong, Message: "is at most 500 characters"})
	}
	var out *Review
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Store.Review(ctx, id)
		if domain.IsKind(err, domain.KindNotFound) {
			return notFound()
		}
		if err != nil {
			return err
		}
		if ok, err := s.inScope(ctx, a, r.StationID); err != nil {
			return err
		} else if !ok || r.WithdrawnAt != nil {
			return notFound()
		}
		now := s.Clock.Now()
		if err := s.Store.Withdraw(ctx, id, a.UserID, reason, now); err != nil {
			return err
		}
		r.WithdrawnBy, r.WithdrawnAt, r.WithdrawReason = a.UserID, &now, reason
		out = r
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "case_review.withdraw", "case_review", id, ""))
	})
	return out, err
}

// Library pages the standing examples of the actor's district, of one
// category when given, with their masked cases. The read is audited.
func (s *Service) Library(ctx context.Context, a domain.Actor, category string, before int64, limit int) ([]Entry, error) {
	districts, err := s.districts(ctx, a)
	if err != nil {
		return nil, err
	}
	if districts != nil && len(districts) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	reviews, err := s.Store.Library(ctx, districts, strings.TrimSpace(category), before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(reviews))
	ids := make([]int64, 0, len(reviews))
	for _, r := range reviews {
		f, err := s.Cases.CaseFacts(ctx, r.RequestID)
		if err != nil {
			return nil, err
		}
		out = append(out, Entry{Review: r, Case: Masked(*f)})
		ids = append(ids, r.ID)
	}
	return out, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "case_review.list", "case_review", ids))
}

// Get is one standing example of the actor's district.
func (s *Service) Get(ctx context.Context, a domain.Actor, id int64) (*Entry, error) {
	r, err := s.Store.Review(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	districts, err := s.districts(ctx, a)
	if err != nil {
		return nil, err
	}
	if r.WithdrawnAt != nil || districts != nil && !slices.Contains(districts, r.DistrictID) {
		return nil, notFound()
	}
	f, err := s.Cases.CaseFacts(ctx, r.RequestID)
	if err != nil {
		return nil, err
	}
	return &Entry{Review: *r, Case: Masked(*f)}, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "case_review.read", "case_review", id, ""))
}

// Categories counts the standing examples of the actor's district by
// category, for the library's index.
func (s *Service) Categories(ctx context.Context, a domain.Actor) (map[string]int, error) {
	districts, err := s.districts(ctx, a)
	if err != nil {
		return nil, err
	}
	if districts != nil && len(districts) == 0 {
		return map[string]int{}, nil
	}
	return s.Store.Categories(ctx, districts)
}
