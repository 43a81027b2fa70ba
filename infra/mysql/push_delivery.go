package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/push"
)

// PushDeliveryStore keeps the messages owed to outside push channels
// (push_deliveries) for the push dispatcher.
type PushDeliveryStore struct{ db *DB }

var _ push.DeliveryStore = (*PushDeliveryStore)(nil)

// NewPushDeliveryStore returns the store over db.
func NewPushDeliveryStore(db *DB) *PushDeliveryStore { return &PushDeliveryStore{db: db} }

// States of a push_deliveries row.
const (
	pushPending = "pending"
	pushSent    = "sent"
	pushDead    = "dead"
)

type pushDeliveryRow struct {
	ID            int64 `gorm:"primaryKey"`
	Provider      string
	Message       string
	State         string
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

func (pushDeliveryRow) TableName() string { return "push_deliveries" }

// Enqueue owes m to provider, due at once. Inside a transaction (ctx from
// WithTx) the row commits or rolls back with the change that caused it, so a
// notice is never sent for a change that did not happen.
func (s *PushDeliveryStore) Enqueue(ctx context.Context, provider string, m push.Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("mysql: enqueue push %s: encode: %w", m.ID, err)
	}
	now := time.Now().UTC()
	row := pushDeliveryRow{Provider: provider, Message: string(body), State: pushPending, NextAttemptAt: now, CreatedAt: now}
	return Translate(s.db.Conn(ctx).Create(&row).Error, "enqueue push delivery")
}

// Due implements push.DeliveryStore. On MySQL the select skips rows another
// dispatcher holds locked (SKIP LOCKED), and the lease written before commit
// keeps them off the rows afterwards. SQLite has no row locks; its
// transactions take the write lock at BEGIN (_txlock=immediate), so two
// claims run one after the other and the second sees the first one's lease.
func (s *PushDeliveryStore) Due(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]push.Delivery, error) {
	now = now.UTC()
	var rows []pushDeliveryRow
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		q := s.db.Conn(ctx).Where("state = ? AND next_attempt_at <= ?", pushPending, now).Order("next_attempt_at, id").Limit(limit)
		if s.db.Dialect == DialectMySQL {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		if err := q.Find(&rows).Error; err != nil {
			return Translate(err, "select due push deliveries")
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		return Translate(s.db.Conn(ctx).Model(&pushDeliveryRow{}).Where("id IN ?", ids).
			Update("next_attempt_at", now.Add(lease)).Error, "lease push deliveries")
	})
	if err != nil {
		return nil, err
	}
	out := make([]push.Delivery, 0, len(rows))
	for _, r := range rows {
		d := push.Delivery{ID: r.ID, Provider: r.Provider, Attempts: r.Attempts}
		if err := json.Unmarshal([]byte(r.Message), &d.Message); err != nil {
			// The row is leased and comes back each lease; only a release
			// with a fix helps, and the dispatcher must go on with the rest.
			if derr := s.MarkDead(ctx, r.ID, r.Attempts, "stored message is not valid JSON: "+err.Error()); derr != nil {
				return nil, derr
			}
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// MarkSent implements push.DeliveryStore.
func (s *PushDeliveryStore) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return s.update(ctx, id, "mark push delivery sent", map[string]any{"state": pushSent, "sent_at": at.UTC(), "last_error": ""})
}

// MarkRetry implements push.DeliveryStore.
func (s *PushDeliveryStore) MarkRetry(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error {
	return s.update(ctx, id, "mark push delivery for retry",
		map[string]any{"attempts": attempts, "next_attempt_at": next.UTC(), "last_error": clipPushError(lastErr)}, pushPending)
}

// MarkDead implements push.DeliveryStore: the row stays, as the dead letter.
func (s *PushDeliveryStore) MarkDead(ctx context.Context, id int64, attempts int, lastErr string) error {
	return s.update(ctx, id, "mark push delivery dead",
		map[string]any{"state": pushDead, "attempts": attempts, "last_error": clipPushError(lastErr)}, pushPending)
}

// update changes row id; with onlyFrom, only while it is in that state, so a
// late failure report cannot undo a send another dispatcher recorded.
func (s *PushDeliveryStore) update(ctx context.Context, id int64, op string, set map[string]any, onlyFrom ...string) error {
	q := s.db.Conn(ctx).Model(&pushDeliveryRow{}).Where("id = ?", id)
	if len(onlyFrom) > 0 {
		q = q.Where("state IN ?", onlyFrom)
	}
	return Translate(q.Updates(set).Error, fmt.Sprintf("%s %d", op, id))
}

// clip fits an error text into last_error VARCHAR(500) (characters, not bytes).
func clipPushError(s string) string {
	if r := []rune(s); len(r) > 500 {
		return string(r[:499]) + "…"
	}
	return s
}

// PushDelivery is a stored delivery with its bookkeeping, for tests and the
// operators' dead-letter view.
type PushDelivery struct {
	push.Delivery
	State         string
	NextAttemptAt time.Time
	LastError     string
	SentAt        *time.Time
}

// PushDeliveries lists the deliveries in a state ("pending", "sent",
// "dead"), oldest first.
func (s *PushDeliveryStore) PushDeliveries(ctx context.Context, state string, limit int) ([]PushDelivery, error) {
	var rows []pushDeliveryRow
	if err := s.db.Conn(ctx).Where("state = ?", state).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list push deliveries")
	}
	out := make([]PushDelivery, len(rows))
	for i, r := range rows {
		out[i] = PushDelivery{Delivery: push.Delivery{ID: r.ID, Provider: r.Provider, Attempts: r.Attempts}, State: r.State,
			NextAttemptAt: r.NextAttemptAt, LastError: r.LastError, SentAt: r.SentAt}
		_ = json.Unmarshal([]byte(r.Message), &out[i].Message) // a broken message is shown empty; the row is still listed
	}
	return out, nil
}
