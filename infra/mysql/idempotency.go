package mysql

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
)

// IdempotencyStore keeps Idempotency-Key records.
type IdempotencyStore struct{ db *DB }

var _ domain.IdempotencyStore = (*IdempotencyStore)(nil)

// NewIdempotencyStore returns the store over db.
func NewIdempotencyStore(db *DB) *IdempotencyStore { return &IdempotencyStore{db: db} }

type idempotencyRow struct {
	ID           int64 `gorm:"primaryKey"`
	Scope        string
	IdemKey      string
	RequestHash  string
	ResourceType string
	ResourceID   int64
	CreatedAt    time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// LookupIdempotency finds the record of a key.
func (s *IdempotencyStore) LookupIdempotency(ctx context.Context, scope, key string) (*domain.Idempotency, bool, error) {
	var row idempotencyRow
	err := s.db.Conn(ctx).Where("scope = ? AND idem_key = ?", scope, key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, Translate(err, "look up idempotency key")
	}
	return &domain.Idempotency{Scope: row.Scope, Key: row.IdemKey, RequestHash: row.RequestHash, ResourceType: row.ResourceType,
		ResourceID: row.ResourceID, CreatedAt: row.CreatedAt.UTC()}, true, nil
}

// SaveIdempotency stores records; a second one for the same key is a
// conflict (and so is a statement of several with one such key).
func (s *IdempotencyStore) SaveIdempotency(ctx context.Context, recs ...*domain.Idempotency) error {
	if len(recs) == 0 {
		return nil
	}
	rows := make([]idempotencyRow, len(recs))
	for i, rec := range recs {
		rows[i] = idempotencyRow{Scope: rec.Scope, IdemKey: rec.Key, RequestHash: rec.RequestHash, ResourceType: rec.ResourceType,
			ResourceID: rec.ResourceID, CreatedAt: rec.CreatedAt.UTC()}
	}
	return Translate(s.db.Conn(ctx).Create(&rows).Error, "save idempotency keys")
}
