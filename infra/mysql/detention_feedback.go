package mysql

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain/detention"
)

// FeedbackStore keeps families' and partners' ratings of visits and joint
// mediations.
type FeedbackStore struct{ db *DB }

var _ detention.FeedbackStore = (*FeedbackStore)(nil)

// NewFeedbackStore returns the store on db.
func NewFeedbackStore(db *DB) *FeedbackStore { return &FeedbackStore{db: db} }

type feedbackRow struct {
	ID          int64 `gorm:"primaryKey"`
	CentreID    int64
	SubjectType string
	SubjectID   int64
	UserID      int64
	Stars       int
	Comment     string
	CreatedAt   time.Time
}

func (feedbackRow) TableName() string { return "detention_feedback" }

// AddFeedback stores f and sets its ID; a second one of the same person on
// the same subject is a conflict (the unique key).
func (s *FeedbackStore) AddFeedback(ctx context.Context, f *detention.Feedback) error {
	row := feedbackRow{CentreID: f.CentreID, SubjectType: f.Subject, SubjectID: f.SubjectID, UserID: f.UserID, Stars: f.Stars,
		Comment: f.Comment, CreatedAt: f.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "add feedback")
	}
	f.ID = row.ID
	return nil
}

// FeedbackTallies counts a centre's feedback given in [from, to), by subject.
func (s *FeedbackStore) FeedbackTallies(ctx context.Context, centreID int64, from, to time.Time) ([]detention.FeedbackTally, error) {
	var rows []struct {
		SubjectType string
		N           int64
		Stars       int64
	}
	err := s.db.Conn(ctx).Model(&feedbackRow{}).Select("subject_type, COUNT(*) AS n, COALESCE(SUM(stars), 0) AS stars").
		Where("centre_id = ? AND created_at >= ? AND created_at < ?", centreID, from.UTC(), to.UTC()).Group("subject_type").Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "tally feedback")
	}
	out := make([]detention.FeedbackTally, len(rows))
	for i, r := range rows {
		out[i] = detention.FeedbackTally{Subject: r.SubjectType, Count: r.N, StarsSum: r.Stars}
	}
	return out, nil
}

// FeedbackBy reads one person's feedback on subjects of one kind in one
// query (the unique key on subject_type, subject_id, user_id serves it).
func (s *FeedbackStore) FeedbackBy(ctx context.Context, userID int64, subject string, subjectIDs []int64) (map[int64]detention.Feedback, error) {
	out := map[int64]detention.Feedback{}
	if len(subjectIDs) == 0 {
		return out, nil
	}
	var rows []feedbackRow
	err := s.db.Conn(ctx).Where("subject_type = ? AND subject_id IN ? AND user_id = ?", subject, subjectIDs, userID).Find(&rows).Error
	if err != nil {
		return nil, Translate(err, "read feedback")
	}
	for _, r := range rows {
		out[r.SubjectID] = detention.Feedback{ID: r.ID, CentreID: r.CentreID, Subject: r.SubjectType, SubjectID: r.SubjectID, UserID: r.UserID,
			Stars: r.Stars, Comment: r.Comment, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
