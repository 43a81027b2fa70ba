package mysql

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/casereview"
)

// CaseReviewStore keeps the supervisors' example cases.
type CaseReviewStore struct{ db *DB }

var _ casereview.Store = (*CaseReviewStore)(nil)

// NewCaseReviewStore returns the store over db.
func NewCaseReviewStore(db *DB) *CaseReviewStore { return &CaseReviewStore{db: db} }

type caseReviewRow struct {
	ID             int64 `gorm:"primaryKey"`
	RequestID      int64
	StationID      int64
	DistrictID     int64
	Category       string
	Comment        string
	ReviewerID     int64
	CreatedAt      time.Time
	WithdrawnBy    int64
	WithdrawnAt    *time.Time
	WithdrawReason string
	WithdrawnKey   int64 // 0 while standing; the id once withdrawn (uq_case_reviews_standing)
}

func (caseReviewRow) TableName() string { return "case_reviews" }

func (r caseReviewRow) toDomain() casereview.Review {
	return casereview.Review{ID: r.ID, RequestID: r.RequestID, StationID: r.StationID, DistrictID: r.DistrictID, Category: r.Category,
		Comment: r.Comment, ReviewerID: r.ReviewerID, CreatedAt: r.CreatedAt.UTC(), WithdrawnBy: r.WithdrawnBy, WithdrawnAt: utcPtr(r.WithdrawnAt),
		WithdrawReason: r.WithdrawReason}
}

// CreateReview implements casereview.Store: a second standing review of
// the case is a conflict (uq_case_reviews_standing).
func (s *CaseReviewStore) CreateReview(ctx context.Context, r *casereview.Review) error {
	row := caseReviewRow{RequestID: r.RequestID, StationID: r.StationID, DistrictID: r.DistrictID, Category: r.Category, Comment: r.Comment,
		ReviewerID: r.ReviewerID, CreatedAt: r.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create case review")
	}
	r.ID = row.ID
	return nil
}

// Review implements casereview.Store.
func (s *CaseReviewStore) Review(ctx context.Context, id int64) (*casereview.Review, error) {
	var row caseReviewRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find case review %d", id))
	}
	r := row.toDomain()
	return &r, nil
}

// ActiveReviewOf implements casereview.Store.
func (s *CaseReviewStore) ActiveReviewOf(ctx context.Context, requestID int64) (*casereview.Review, error) {
	var rows []caseReviewRow
	if err := s.db.Conn(ctx).Where("request_id = ? AND withdrawn_at IS NULL", requestID).Limit(1).Find(&rows).Error; err != nil {
		return nil, Translate(err, "find a case's review")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0].toDomain()
	return &r, nil
}

// Withdraw implements casereview.Store.
func (s *CaseReviewStore) Withdraw(ctx context.Context, id, by int64, reason string, at time.Time) error {
	at = at.UTC()
	res := s.db.Conn(ctx).Model(&caseReviewRow{}).Where("id = ? AND withdrawn_at IS NULL", id).
		Updates(map[string]any{"withdrawn_by": by, "withdrawn_at": at, "withdraw_reason": reason, "withdrawn_key": gorm.Expr("id")})
	if res.Error != nil {
		return Translate(res.Error, fmt.Sprintf("withdraw case review %d", id))
	}
	if res.RowsAffected == 0 {
		return domain.Errorf(domain.KindNotFound, "case_review.not_found", "No such case review.")
	}
	return nil
}

// Library implements casereview.Store.
func (s *CaseReviewStore) Library(ctx context.Context, districts []int64, category string, before int64, limit int) ([]casereview.Review, error) {
	q := s.db.Conn(ctx).Where("withdrawn_at IS NULL")
	if districts != nil {
		q = q.Where("district_id IN ?", districts)
	}
	if category != "" {
		q = q.Where("category = ?", category)
	}
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var rows []caseReviewRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list case reviews")
	}
	out := make([]casereview.Review, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Categories implements casereview.Store.
func (s *CaseReviewStore) Categories(ctx context.Context, districts []int64) (map[string]int, error) {
	q := s.db.Conn(ctx).Model(&caseReviewRow{}).Select("category, COUNT(*) AS n").Where("withdrawn_at IS NULL")
	if districts != nil {
		q = q.Where("district_id IN ?", districts)
	}
	var rows []struct {
		Category string
		N        int
	}
	if err := q.Group("category").Scan(&rows).Error; err != nil {
		return nil, Translate(err, "count case reviews")
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Category] = r.N
	}
	return out, nil
}
