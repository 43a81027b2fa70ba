package warning

import (
	"context"
	"slices"
)

// Raise fires the rule of kind for a fact another area established itself
// — nothing is counted: a person of the special population register missed
// their contact plan. It joins the caller's transaction. An installation
// older than the kind gets its rule from DefaultRules the first time; a
// disabled rule raises nothing, and a repeated dedupe key raises nothing
// again. It returns the warning raised, or nil.
func (s *Service) Raise(ctx context.Context, kind Kind, subject string, stationID int64, dedupeKey string) (*Warning, error) {
	rules, err := s.Rules.Rules(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(rules, func(r Rule) bool { return r.Kind == kind })
	if i < 0 {
		d := slices.IndexFunc(DefaultRules, func(r Rule) bool { return r.Kind == kind })
		if d < 0 {
			return nil, nil
		}
		r := DefaultRules[d]
		r.Version, r.UpdatedAt = 1, s.Clock.Now()
		if err := s.Rules.CreateRule(ctx, &r); err != nil {
			return nil, err
		}
		rules, i = append(rules, r), len(rules)
	}
	r := rules[i]
	if !r.Enabled {
		return nil, nil
	}
	w := Warning{RuleID: r.ID, RuleKind: r.Kind, RuleName: r.Name, Subject: subject, Severity: r.Severity, StationID: stationID,
		Count: 1, EventIDs: []int64{}, DedupeKey: dedupeKey}
	fired, err := s.raise(ctx, r, &w)
	if err != nil || !fired {
		return nil, err
	}
	return &w, nil
}
