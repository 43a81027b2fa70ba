package warning

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Scope tells which stations a staff member may see.
type Scope interface {
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
}

// ListRules returns every rule.
func (s *Service) ListRules(ctx context.Context) ([]Rule, error) { return s.Rules.Rules(ctx) }

// CreateRule adds a rule (admins only; the route guard checks the role).
func (s *Service) CreateRule(ctx context.Context, a domain.Actor, r Rule) (*Rule, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	r.ID, r.Version, r.UpdatedAt = 0, 1, s.Clock.Now()
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Rules.CreateRule(ctx, &r); err != nil {
			return err
		}
		return s.audit(ctx, a, "warning_rule.create", r.ID, string(r.Kind))
	})
	return &r, err
}

// UpdateRule changes a rule; the change applies to the next event counted,
// with no restart. The kind of a rule cannot change.
func (s *Service) UpdateRule(ctx context.Context, a domain.Actor, id int64, change Rule) (*Rule, error) {
	var out *Rule
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Rules.Rule(ctx, id)
		if err != nil {
			if domain.IsKind(err, domain.KindNotFound) {
				return domain.Errorf(domain.KindNotFound, "warning_rule.not_found", "No such rule.")
			}
			return err
		}
		if change.Kind != "" && change.Kind != r.Kind {
			return domain.Invalid(domain.FieldError{Field: "kind", Code: domain.FieldNotAllowed, Message: "the kind of a rule cannot change"})
		}
		change.ID, change.Kind, change.Version, change.UpdatedAt = r.ID, r.Kind, r.Version+1, s.Clock.Now()
		if err := change.Validate(); err != nil {
			return err
		}
		if err := s.Rules.UpdateRule(ctx, &change); err != nil {
			return err
		}
		out = &change
		return s.audit(ctx, a, "warning_rule.update", id, "")
	})
	return out, err
}

// List pages the warnings of the stations in the caller's scope.
func (s *Service) List(ctx context.Context, a domain.Actor, scope Scope, f Filter) ([]Warning, error) {
	stations, all, err := scope.StationScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !all {
		if len(stations) == 0 {
			return nil, nil
		}
		f.StationIDs = stations
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	return s.Warnings.Warnings(ctx, f)
}

// Outcomes counts warnings by outcome within the caller's scope.
func (s *Service) Outcomes(ctx context.Context, a domain.Actor, scope Scope, f Filter) (map[string]int, error) {
	stations, all, err := scope.StationScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !all {
		f.StationIDs = append([]int64{0}, stations...) // 0 matches nothing: an empty scope counts nothing
	}
	return s.Warnings.CountByOutcome(ctx, f)
}

// Act acknowledges, handles (with an outcome) or closes a warning of a
// station in the caller's scope.
func (s *Service) Act(ctx context.Context, a domain.Actor, scope Scope, id int64, action string, outcome Outcome, notes string) (*Warning, error) {
	notes = strings.TrimSpace(notes)
	if utf8.RuneCountInString(notes) > 2000 {
		return nil, domain.Invalid(domain.FieldError{Field: "notes", Code: domain.FieldTooLong, Message: "is too long"})
	}
	var out *Warning
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		w, err := s.Warnings.Warning(ctx, id)
		if err != nil {
			return err
		}
		stations, all, err := scope.StationScope(ctx, a)
		if err != nil {
			return err
		}
		if !all && !contains(stations, w.StationID) {
			return domain.Errorf(domain.KindNotFound, "warning.not_found", "No such warning.")
		}
		if err := w.Next(action, outcome, notes); err != nil {
			return err
		}
		w.Version++
		w.UpdatedAt = s.Clock.Now()
		if err := s.Warnings.UpdateWarning(ctx, w); err != nil {
			return err
		}
		if cause := sheetCause[action]; cause != "" { // the sheets' work is done
			if err := s.Sheets.SettleSheets(ctx, a, cause, w.ID); err != nil {
				return err
			}
		}
		out = w
		return s.audit(ctx, a, "warning."+action, id, string(outcome))
	})
	return out, err
}

// sheetCause is the work-order lifecycle cause of the actions that end a
// warning's instruction sheets.
var sheetCause = map[string]string{ActionHandle: "warning.handled", ActionClose: "warning.closed"}

func (s *Service) audit(ctx context.Context, a domain.Actor, action string, id int64, detail string) error {
	return s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), action, "warning", id, detail))
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
