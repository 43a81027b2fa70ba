package mysql

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain/mediation"
)

// SignalStore writes warning signals in the caller's transaction.
type SignalStore struct{ db *DB }

var _ mediation.Signals = (*SignalStore)(nil)

// NewSignalStore returns the store over db.
func NewSignalStore(db *DB) *SignalStore { return &SignalStore{db: db} }

type signalRow struct {
	ID        int64 `gorm:"primaryKey"`
	Type      string
	RequestID int64
	PersonID  int64
	Category  string
	StationID int64
	Place     string
	RiskScore int
	At        time.Time
	CountedAt *time.Time
}

func (signalRow) TableName() string { return "warning_signals" }

// Emit records one signal.
func (s *SignalStore) Emit(ctx context.Context, sig mediation.Signal) error {
	row := signalRow{Type: sig.Type, RequestID: sig.RequestID, PersonID: sig.PersonID, Category: sig.Category,
		StationID: sig.StationID, Place: sig.Place, RiskScore: sig.RiskScore, At: sig.At.UTC()}
	return Translate(s.db.Conn(ctx).Create(&row).Error, "emit warning signal")
}

// SignalsSince lists signals at or after since, oldest first (for rebuilding
// counters).
func (s *SignalStore) SignalsSince(ctx context.Context, since time.Time, afterID int64, limit int) ([]mediation.Signal, []int64, error) {
	var rows []signalRow
	if err := s.db.Conn(ctx).Where("at >= ? AND id > ?", since.UTC(), afterID).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, nil, Translate(err, "list warning signals")
	}
	out, ids := make([]mediation.Signal, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		out[i] = mediation.Signal{Type: r.Type, RequestID: r.RequestID, PersonID: r.PersonID, Category: r.Category,
			StationID: r.StationID, Place: r.Place, RiskScore: r.RiskScore, At: r.At.UTC()}
		ids[i] = r.ID
	}
	return out, ids, nil
}
