package warning

import (
	"context"
	"strconv"
)

// KindPairingOverdue fires when a cadre paired with a police station (包联,
// the Hubei "235" mechanism) has not visited it within the frequency their
// level requires. It counts nothing: the pairing area raises it as a fact.
const KindPairingOverdue Kind = "pairing_overdue"

// Fact is a warning another area establishes itself (an overdue visit) rather
// than one counted from filing signals.
type Fact struct {
	Kind      Kind
	Subject   string  // e.g. "pairing:7"
	StationID int64   // the station whose sheet it is
	DedupeKey string  // one warning per key, ever (e.g. the pairing and its missed due date)
	Units     []int64 // units told besides the station and the rule's own (e.g. the overdue cadre's bureau)
}

// RaiseFact raises the warning of an enabled rule of the fact's kind, with
// its instruction sheets, unless that rule is cooling down for the subject
// or the same fact was raised before. An installation older than the kind
// gets the kind's default rule on first use. It reports the warning when
// one was raised.
func (s *Service) RaiseFact(ctx context.Context, f Fact) (*Warning, error) {
	rules, err := s.Rules.Rules(ctx)
	if err != nil {
		return nil, err
	}
	var of []Rule
	for _, r := range rules {
		if r.Kind == f.Kind {
			of = append(of, r)
		}
	}
	if len(of) == 0 {
		for _, d := range DefaultRules {
			if d.Kind == f.Kind {
				d.Version, d.UpdatedAt = 1, s.Clock.Now()
				if err := s.Rules.CreateRule(ctx, &d); err != nil {
					return nil, err
				}
				of = append(of, d)
			}
		}
	}
	for _, r := range of {
		if !r.Enabled {
			continue
		}
		w := Warning{RuleID: r.ID, RuleKind: r.Kind, RuleName: r.Name, Subject: f.Subject, Severity: r.Severity, StationID: f.StationID,
			Count: 1, EventIDs: []int64{}, DedupeKey: strconv.FormatInt(r.ID, 10) + ":fact:" + f.DedupeKey}
		told := r
		told.Notify = append(append([]int64{}, r.Notify...), f.Units...)
		ok, err := s.raise(ctx, told, &w)
		if err != nil || !ok {
			return nil, err
		}
		return &w, nil
	}
	return nil, nil
}
