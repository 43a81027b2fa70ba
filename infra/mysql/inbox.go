package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/inbox"
)

// InboxStore keeps the citizens' notifications. Add joins the caller's
// transaction, so a notice commits or rolls back with the change it reports.
type InboxStore struct{ db *DB }

var _ inbox.Store = (*InboxStore)(nil)

// NewInboxStore returns the store over db.
func NewInboxStore(db *DB) *InboxStore { return &InboxStore{db: db} }

type notificationRow struct {
	ID           int64 `gorm:"primaryKey"`
	UserID       int64
	Kind         string
	Title        string
	Body         string
	ResourceType string
	ResourceID   int64
	Link         string
	DedupeKey    *string // NULL when the notice needs no dedupe
	CreatedAt    time.Time
	ReadAt       *time.Time
}

func (notificationRow) TableName() string { return "notifications" }

// Add implements inbox.Store. The unique dedupe key decides: a repeated key
// inserts nothing and answers created=false (a duplicate-key error ends only
// its statement, not the caller's transaction). ON DUPLICATE KEY UPDATE is
// no help here: on MariaDB GORM reads the existing row back through
// RETURNING, and the duplicate looks created.
func (s *InboxStore) Add(ctx context.Context, n *inbox.Notification) (bool, error) {
	row := notificationRow{UserID: n.UserID, Kind: n.Kind, Title: n.Title, Body: n.Body, ResourceType: n.ResourceType,
		ResourceID: n.ResourceID, Link: n.Link, CreatedAt: n.CreatedAt.UTC()}
	if n.DedupeKey != "" {
		key := n.DedupeKey
		row.DedupeKey = &key
	}
	if err := Translate(s.db.Conn(ctx).Create(&row).Error, "add notification"); err != nil {
		if domain.IsKind(err, domain.KindConflict) && row.DedupeKey != nil {
			return false, nil
		}
		return false, err
	}
	n.ID = row.ID
	return true, nil
}

// List implements inbox.Store: newest first, by the (user_id, id) index.
func (s *InboxStore) List(ctx context.Context, userID int64, unreadOnly bool, beforeID int64, limit int) ([]inbox.Notification, error) {
	q := s.db.Conn(ctx).Where("user_id = ?", userID)
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var rows []notificationRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("list notifications of user %d", userID))
	}
	out := make([]inbox.Notification, len(rows))
	for i, r := range rows {
		out[i] = inbox.Notification{ID: r.ID, UserID: r.UserID, Kind: r.Kind, Title: r.Title, Body: r.Body, ResourceType: r.ResourceType,
			ResourceID: r.ResourceID, Link: r.Link, CreatedAt: r.CreatedAt.UTC(), ReadAt: utcPtr(r.ReadAt)}
		if r.DedupeKey != nil {
			out[i].DedupeKey = *r.DedupeKey
		}
	}
	return out, nil
}

// MarkRead implements inbox.Store: only the user's own unread rows change,
// whatever IDs the caller names.
func (s *InboxStore) MarkRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int, error) {
	q := s.db.Conn(ctx).Model(&notificationRow{}).Where("user_id = ? AND read_at IS NULL", userID)
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	res := q.Update("read_at", at.UTC())
	if err := Translate(res.Error, fmt.Sprintf("mark notifications of user %d read", userID)); err != nil {
		return 0, err
	}
	return int(res.RowsAffected), nil
}

// Unread implements inbox.Store.
func (s *InboxStore) Unread(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&notificationRow{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return int(n), Translate(err, fmt.Sprintf("count unread notifications of user %d", userID))
}
