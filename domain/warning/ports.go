package warning

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// CountOp adds one event to one sliding log.
type CountOp struct {
	Key       string        // the rule and subject
	Member    string        // the event's own ID: adding it twice counts once
	Window    time.Duration // members older than at-Window drop out
	Threshold int           // members are returned when the count reaches it
}

// CountResult is a log after the op: its count (exact at or over the
// threshold; below it, an upper bound) and, at or over the threshold, the newest Threshold members (at most 100) — the events that
// made the count.
type CountResult struct {
	Count   int
	Members []string
}

// Counter keeps exact sliding-window logs. Observe applies every op of one
// event in a single round trip; keys expire with their window.
type Counter interface {
	Observe(ctx context.Context, at time.Time, ops []CountOp) ([]CountResult, error)
	// Built reports whether the logs are intact since the last MarkBuilt (a
	// flushed or replaced Redis says no); MarkBuilt records that they are.
	Built(ctx context.Context) (bool, error)
	MarkBuilt(ctx context.Context) error
}

// RuleStore keeps rules; rules are read afresh for each batch, so a change
// takes effect without a restart.
type RuleStore interface {
	Rules(ctx context.Context) ([]Rule, error)
	Rule(ctx context.Context, id int64) (*Rule, error)
	CreateRule(ctx context.Context, r *Rule) error
	UpdateRule(ctx context.Context, r *Rule) error // optimistic on Version
	LockRule(ctx context.Context, id int64) error  // serialises firings of one rule (in a transaction)
}

// Filter narrows a list of warnings.
type Filter struct {
	StationIDs []int64 // nil: all
	Status     Status
	Severity   Severity
	RuleKind   Kind
	From, To   time.Time
	Before     int64
	Limit      int
}

// WarningStore keeps warnings.
type WarningStore interface {
	// CreateWarning inserts a warning; a second one with the same DedupeKey
	// is a conflict (two instances evaluated the same event).
	CreateWarning(ctx context.Context, w *Warning) error
	LastRaised(ctx context.Context, ruleID int64, subject string) (time.Time, bool, error)
	Warning(ctx context.Context, id int64) (*Warning, error)
	UpdateWarning(ctx context.Context, w *Warning) error // optimistic on Version
	Warnings(ctx context.Context, f Filter) ([]Warning, error)
	CountByOutcome(ctx context.Context, f Filter) (map[string]int, error)
}

// SignalSource reads the counted facts from the database.
type SignalSource interface {
	// Pending returns up to limit signals not yet counted, oldest first.
	Pending(ctx context.Context, limit int) ([]Event, error)
	MarkCounted(ctx context.Context, ids []int64, at time.Time) error
	// Since returns signals at or after t with IDs above afterID, oldest first.
	Since(ctx context.Context, t time.Time, afterID int64, limit int) ([]Event, error)
}

// InstructionSheet is the work order a warning sends to a unit (预警指令单).
type InstructionSheet struct {
	WarningID int64
	UnitID    int64
	Severity  Severity
	Title     string
	DedupeKey string
}

// Sheets creates instruction-sheet work orders in the current transaction;
// SettleSheets ends a warning's open sheets when it is handled or closed
// (cause "warning.handled", "warning.closed": the lifecycle table of
// domain/workorder), in the same transaction.
type Sheets interface {
	SendInstructionSheet(ctx context.Context, s InstructionSheet) error
	SettleSheets(ctx context.Context, a domain.Actor, cause string, warningID int64) error
}
