package mysql

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// SessionStore keeps refresh tokens.
type SessionStore struct{ db *DB }

var _ account.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns the store over db.
func NewSessionStore(db *DB) *SessionStore { return &SessionStore{db: db} }

type refreshRow struct {
	ID        int64 `gorm:"primaryKey"`
	SessionID string
	UserID    int64
	TokenHash string
	ParentID  int64
	UsedAt    *time.Time
	RevokedAt *time.Time
	ExpiresAt time.Time
	CreatedAt time.Time
}

func (refreshRow) TableName() string { return "refresh_tokens" }

// CreateRefresh stores a refresh token by hash.
func (s *SessionStore) CreateRefresh(ctx context.Context, t *account.RefreshToken) error {
	row := refreshRow{SessionID: t.SessionID, UserID: t.UserID, TokenHash: t.Hash, ParentID: t.ParentID,
		ExpiresAt: t.ExpiresAt.UTC(), CreatedAt: t.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create refresh token")
	}
	t.ID = row.ID
	return nil
}

// RefreshByHash finds a refresh token; a revoked session shows as revoked.
func (s *SessionStore) RefreshByHash(ctx context.Context, hash string) (*account.RefreshToken, error) {
	var row refreshRow
	if err := s.db.Conn(ctx).Where("token_hash = ?", hash).Take(&row).Error; err != nil {
		return nil, Translate(err, "find refresh token")
	}
	return &account.RefreshToken{ID: row.ID, SessionID: row.SessionID, UserID: row.UserID, Hash: row.TokenHash, ParentID: row.ParentID,
		UsedAt: utcPtr(row.UsedAt), RevokedAt: utcPtr(row.RevokedAt), ExpiresAt: row.ExpiresAt.UTC(), CreatedAt: row.CreatedAt.UTC()}, nil
}

// MarkUsed spends a token once.
func (s *SessionStore) MarkUsed(ctx context.Context, id int64, at time.Time) (bool, error) {
	res := s.db.Conn(ctx).Model(&refreshRow{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", at.UTC())
	if res.Error != nil {
		return false, Translate(res.Error, "spend refresh token")
	}
	return res.RowsAffected == 1, nil
}

// RevokeSession revokes every token of a session.
func (s *SessionStore) RevokeSession(ctx context.Context, sessionID string, at time.Time) error {
	return Translate(s.db.Conn(ctx).Model(&refreshRow{}).Where("session_id = ? AND revoked_at IS NULL", sessionID).
		Update("revoked_at", at.UTC()).Error, "revoke session")
}

// RevokeUser revokes every live session of a user and names them.
func (s *SessionStore) RevokeUser(ctx context.Context, userID int64, at time.Time) ([]string, error) {
	var sids []string
	if err := s.db.Conn(ctx).Model(&refreshRow{}).Distinct("session_id").Where("user_id = ? AND revoked_at IS NULL", userID).
		Pluck("session_id", &sids).Error; err != nil {
		return nil, Translate(err, "find user sessions")
	}
	if len(sids) == 0 {
		return nil, nil
	}
	err := s.db.Conn(ctx).Model(&refreshRow{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at.UTC()).Error
	return sids, Translate(err, "revoke user sessions")
}

// RevokedSince lists sessions revoked since a time.
func (s *SessionStore) RevokedSince(ctx context.Context, since time.Time) ([]account.Revocation, error) {
	// The latest revocation per session is taken here, not with MAX() in
	// SQL: SQLite returns an aggregate of a DATETIME column as text, which
	// does not scan into a time (every request answered 500 after an
	// embedded restart).
	var rows []struct {
		SessionID string
		RevokedAt time.Time
	}
	err := s.db.Conn(ctx).Model(&refreshRow{}).Select("session_id, revoked_at").Where("revoked_at >= ?", since.UTC()).
		Order("session_id").Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "list revoked sessions")
	}
	var out []account.Revocation
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].SessionID == r.SessionID {
			if r.RevokedAt.After(out[n-1].At) {
				out[n-1].At = r.RevokedAt.UTC()
			}
			continue
		}
		out = append(out, account.Revocation{SessionID: r.SessionID, At: r.RevokedAt.UTC()})
	}
	return out, nil
}

// AuditStore is the append-only audit log.
type AuditStore struct{ db *DB }

var _ domain.Auditor = (*AuditStore)(nil)

// NewAuditStore returns the store over db.
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

type auditRow struct {
	ID           int64 `gorm:"primaryKey"`
	At           time.Time
	ActorID      int64
	ActorRole    string
	Action       string
	ResourceType string
	ResourceID   int64
	Detail       string
	IP           string `gorm:"column:ip"`
	RequestID    string
}

func (auditRow) TableName() string { return "audit_log" }

// Audit appends entries in the caller's transaction.
func (s *AuditStore) Audit(ctx context.Context, entries ...domain.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		detail := e.Detail
		if len(detail) > 500 {
			detail = detail[:500]
		}
		rows[i] = auditRow{At: e.At.UTC(), ActorID: e.ActorID, ActorRole: e.ActorRole, Action: e.Action, ResourceType: e.ResourceType,
			ResourceID: e.ResourceID, Detail: detail, IP: e.IP, RequestID: e.RequestID}
	}
	return Translate(s.db.Conn(ctx).Create(&rows).Error, "append audit entries")
}

// AuditFilter narrows an audit query.
type AuditFilter struct {
	ActorID      int64
	ResourceType string
	ResourceID   int64
	From, To     time.Time
	Before       int64
	Limit        int
}

// AuditEntry is a stored entry with its ID (for paging).
type AuditEntry struct {
	ID int64
	domain.AuditEntry
}

// Entries pages the log, newest first.
func (s *AuditStore) Entries(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := s.db.Conn(ctx).Model(&auditRow{})
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.ResourceType != "" {
		q = q.Where("resource_type = ?", f.ResourceType)
	}
	if f.ResourceID != 0 {
		q = q.Where("resource_id = ?", f.ResourceID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var rows []auditRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "query audit log")
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, AuditEntry: domain.AuditEntry{At: r.At.UTC(), ActorID: r.ActorID, ActorRole: r.ActorRole, Action: r.Action,
			ResourceType: r.ResourceType, ResourceID: r.ResourceID, Detail: r.Detail, IP: r.IP, RequestID: r.RequestID}}
	}
	return out, nil
}

// OpenCases counts, per person, the open cases they lead or assist (the
// load routing balances).
func (s *MediationStore) OpenCases(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var open []string
	for _, st := range mediation.Statuses {
		if st.Open() {
			open = append(open, string(st))
		}
	}
	for _, col := range []string{"lead_id", "assistant_id"} {
		var rows []struct {
			ID int64
			N  int
		}
		if err := s.db.Conn(ctx).Model(&requestRow{}).Select(col+" AS id, COUNT(*) AS n").Where(col+" IN ? AND status IN ?", userIDs, open).
			Group(col).Scan(&rows).Error; err != nil {
			return nil, Translate(err, "count open cases")
		}
		for _, r := range rows {
			out[r.ID] += r.N
		}
	}
	return out, nil
}
