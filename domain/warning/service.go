package warning

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Service evaluates events against the rules and raises warnings.
type Service struct {
	Tx       domain.TxRunner
	Rules    RuleStore
	Warnings WarningStore
	Counter  Counter
	Signals  SignalSource
	Sheets   Sheets
	DVFlags  DVFlagStore // domestic-violence flags (dv.go); nil: none kept
	Audit    domain.Auditor
	Clock    domain.Clock

	raised lastRaised
}

// BatchSize is how many pending signals one ProcessPending call takes.
const BatchSize = 200

// ProcessPending counts the signals written since the last call and raises
// the warnings they trigger. If the counters were lost (Redis flushed or
// replaced) it first rebuilds them from the database, so no warning is
// missed. It returns how many signals it counted.
func (s *Service) ProcessPending(ctx context.Context) (int, []Warning, error) {
	rules, err := s.Rules.Rules(ctx)
	if err != nil {
		return 0, nil, err
	}
	if built, err := s.Counter.Built(ctx); err != nil {
		return 0, nil, err
	} else if !built {
		if err := s.rebuild(ctx, rules); err != nil {
			return 0, nil, err
		}
	}
	events, err := s.Signals.Pending(ctx, BatchSize)
	if err != nil || len(events) == 0 {
		return 0, nil, err
	}
	var raised []Warning
	ids := make([]int64, 0, len(events))
	for _, e := range events {
		ws, err := s.Observe(ctx, rules, e)
		if err != nil {
			return 0, raised, err
		}
		raised = append(raised, ws...)
		ids = append(ids, e.ID)
	}
	return len(ids), raised, s.Signals.MarkCounted(ctx, ids, s.Clock.Now())
}

// Observe counts one event under every enabled rule it touches — one
// round trip for all of them — and raises the warnings whose threshold it
// reaches, unless the rule is cooling down for that subject.
func (s *Service) Observe(ctx context.Context, rules []Rule, e Event) ([]Warning, error) {
	type candidate struct {
		rule    Rule
		subject string
		op      int // index into ops, or -1
	}
	var (
		ops   []CountOp
		cands []candidate
	)
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		subject, ok := Subject(r, e)
		if !ok {
			continue
		}
		c := candidate{rule: r, subject: subject, op: -1}
		if r.Counts() {
			c.op = len(ops)
			ops = append(ops, CountOp{Key: counterKey(r.ID, subject), Member: strconv.FormatInt(e.ID, 10), Window: r.Window, Threshold: r.Threshold})
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil, nil
	}
	var results []CountResult
	if len(ops) > 0 {
		var err error
		if results, err = s.Counter.Observe(ctx, e.At, ops); err != nil {
			return nil, err
		}
	}
	var raised []Warning
	for _, c := range cands {
		w := Warning{RuleID: c.rule.ID, RuleKind: c.rule.Kind, RuleName: c.rule.Name, Subject: c.subject, Severity: c.rule.Severity,
			StationID: e.StationID, Count: 1, EventIDs: []int64{e.ID}}
		if c.op >= 0 {
			res := results[c.op]
			if res.Count < c.rule.Threshold {
				continue
			}
			w.Count, w.EventIDs = res.Count, memberIDs(res.Members)
		}
		w.DedupeKey = fmt.Sprintf("%d:%s:%d", c.rule.ID, c.subject, e.ID)
		ok, err := s.raise(ctx, c.rule, &w)
		if err != nil {
			return raised, err
		}
		if ok {
			raised = append(raised, w)
		}
	}
	return raised, nil
}

// raise writes the warning and its instruction sheets in one transaction,
// unless the rule fired for this subject within its cool-down. The rule row
// is locked so two instances cannot both decide to fire.
func (s *Service) raise(ctx context.Context, r Rule, w *Warning) (bool, error) {
	if s.raised.cooling(r, w.Subject, s.Clock.Now()) {
		return false, nil
	}
	fired := false
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Rules.LockRule(ctx, r.ID); err != nil {
			return err
		}
		now := s.Clock.Now()
		if r.Cooldown > 0 {
			last, ok, err := s.Warnings.LastRaised(ctx, r.ID, w.Subject)
			if err != nil {
				return err
			}
			if ok && now.Sub(last) < r.Cooldown {
				s.raised.remember(r, w.Subject, last, now)
				return nil
			}
		}
		w.Status, w.Version, w.RaisedAt, w.UpdatedAt = StatusOpen, 1, now, now
		if err := s.Warnings.CreateWarning(ctx, w); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return nil // another instance raised this very warning
			}
			return err
		}
		units := append([]int64{w.StationID}, r.Notify...)
		for _, unit := range units {
			if unit == 0 {
				continue
			}
			if err := s.Sheets.SendInstructionSheet(ctx, InstructionSheet{WarningID: w.ID, UnitID: unit, Severity: w.Severity,
				Title: "预警指令单：" + r.Name, DedupeKey: "warning:" + strconv.FormatInt(w.ID, 10) + ":unit:" + strconv.FormatInt(unit, 10)}); err != nil {
				return err
			}
		}
		fired = true
		return nil
	})
	if fired && err == nil {
		s.raised.remember(r, w.Subject, w.RaisedAt, w.RaisedAt)
	}
	return fired, err
}

// rebuild replays the signals of the longest window into the counters,
// without raising anything: those events were evaluated when they happened.
func (s *Service) rebuild(ctx context.Context, rules []Rule) error {
	var longest time.Duration
	for _, r := range rules {
		if r.Counts() && r.Window > longest {
			longest = r.Window
		}
	}
	since := s.Clock.Now().Add(-longest)
	var after int64
	for {
		events, err := s.Signals.Since(ctx, since, after, 1000)
		if err != nil {
			return err
		}
		for _, e := range events {
			var ops []CountOp
			for _, r := range rules {
				if subject, ok := Subject(r, e); ok && r.Enabled && r.Counts() && !e.At.Before(s.Clock.Now().Add(-r.Window)) {
					ops = append(ops, CountOp{Key: counterKey(r.ID, subject), Member: strconv.FormatInt(e.ID, 10), Window: r.Window, Threshold: r.Threshold})
				}
			}
			if len(ops) > 0 {
				if _, err := s.Counter.Observe(ctx, e.At, ops); err != nil {
					return err
				}
			}
			after = e.ID
		}
		if len(events) < 1000 {
			return s.Counter.MarkBuilt(ctx)
		}
	}
}

func counterKey(ruleID int64, subject string) string {
	return "r" + strconv.FormatInt(ruleID, 10) + ":" + subject
}

func memberIDs(members []string) []int64 {
	out := make([]int64, 0, len(members))
	for _, m := range members {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
