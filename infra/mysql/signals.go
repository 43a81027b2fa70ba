package mysql

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/warning"
)

// SignalStore writes warning signals in the caller's transaction and reads
// them back for the warning counters.
type SignalStore struct{ db *DB }

var (
	_ mediation.Signals    = (*SignalStore)(nil)
	_ warning.SignalSource = (*SignalStore)(nil)
)

// NewSignalStore returns the store over db.
func NewSignalStore(db *DB) *SignalStore { return &SignalStore{db: db} }

type signalRow struct {
	ID               int64 `gorm:"primaryKey"`
	Type             string
	RequestID        int64
	RequestKind      string
	LoanRelated      bool
	DomesticViolence bool
	PersonID         int64
	Category         string
	StationID        int64
	Place            string
	RiskScore        int
	At               time.Time
	CountedAt        *time.Time
}

func (signalRow) TableName() string { return "warning_signals" }

// Emit records one signal. The description is read for the warning keywords
// here and not kept: the signal table holds no free text about people.
func (s *SignalStore) Emit(ctx context.Context, signals ...mediation.Signal) error {
	if len(signals) == 0 {
		return nil
	}
	rows := make([]signalRow, len(signals))
	for i, sig := range signals {
		e := warning.Event{RequestKind: string(sig.RequestKind), Category: sig.Category, Description: sig.Description}
		rows[i] = signalRow{Type: sig.Type, RequestID: sig.RequestID, RequestKind: string(sig.RequestKind), LoanRelated: e.LoanRelated(),
			DomesticViolence: sig.DVHistory || e.DomesticViolence(), PersonID: sig.PersonID, Category: sig.Category, StationID: sig.StationID,
			Place: sig.Place, RiskScore: sig.RiskScore, At: sig.At.UTC()}
	}
	return Translate(s.db.Conn(ctx).Create(&rows).Error, "emit warning signals")
}

func (r signalRow) toEvent() warning.Event {
	return warning.Event{ID: r.ID, Type: r.Type, RequestID: r.RequestID, RequestKind: r.RequestKind, PersonID: r.PersonID,
		Category: r.Category, StationID: r.StationID, Place: r.Place, RiskScore: r.RiskScore, LoanFlag: r.LoanRelated,
		DVFlag: r.DomesticViolence, At: r.At.UTC()}
}

func toEvents(rows []signalRow) []warning.Event {
	out := make([]warning.Event, len(rows))
	for i, r := range rows {
		out[i] = r.toEvent()
	}
	return out
}

// Pending returns signals not yet counted, oldest first. On MySQL the rows
// are read with SKIP LOCKED so that instances share the work.
func (s *SignalStore) Pending(ctx context.Context, limit int) ([]warning.Event, error) {
	var rows []signalRow
	q := s.db.Conn(ctx).Where("counted_at IS NULL").Order("id").Limit(limit)
	if s.db.Dialect == DialectMySQL && InTx(ctx) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, Translate(err, "list pending warning signals")
	}
	return toEvents(rows), nil
}

// MarkCounted records that signals were counted.
func (s *SignalStore) MarkCounted(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return Translate(s.db.Conn(ctx).Model(&signalRow{}).Where("id IN ?", ids).Update("counted_at", at.UTC()).Error, "mark warning signals counted")
}

// Since returns signals at or after t with IDs above afterID, oldest first.
func (s *SignalStore) Since(ctx context.Context, t time.Time, afterID int64, limit int) ([]warning.Event, error) {
	var rows []signalRow
	if err := s.db.Conn(ctx).Where("at >= ? AND id > ?", t.UTC(), afterID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list warning signals")
	}
	return toEvents(rows), nil
}
