package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

type followUpRow struct {
	ID             int64 `gorm:"primaryKey"`
	DetaineeID     int64
	CentreID       int64
	StationID      int64
	State          string
	ReleasedOn     time.Time
	DueAt          time.Time
	Assessment     string
	AssessmentNote string
	AssessedBy     int64
	AssessedAt     *time.Time
	ClosedBy       int64
	ClosedAt       *time.Time
	CloseNote      string
	CreatedAt      time.Time
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"` // the service's clock, not GORM's
	Version        int
}

func (followUpRow) TableName() string { return "follow_ups" }

func toFollowUpRow(f *detention.FollowUp) followUpRow {
	return followUpRow{ID: f.ID, DetaineeID: f.DetaineeID, CentreID: f.CentreID, StationID: f.StationID, State: string(f.State),
		ReleasedOn: f.ReleasedOn.UTC(), DueAt: f.DueAt.UTC(), Assessment: f.Assessment, AssessmentNote: f.AssessmentNote,
		AssessedBy: f.AssessedBy, AssessedAt: utcPtr(f.AssessedAt), ClosedBy: f.ClosedBy, ClosedAt: utcPtr(f.ClosedAt),
		CloseNote: f.CloseNote, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC(), Version: f.Version}
}

func (r *followUpRow) followUp() *detention.FollowUp {
	return &detention.FollowUp{ID: r.ID, DetaineeID: r.DetaineeID, CentreID: r.CentreID, StationID: r.StationID, State: detention.FollowUpState(r.State),
		ReleasedOn: r.ReleasedOn.UTC(), DueAt: r.DueAt.UTC(), Assessment: r.Assessment, AssessmentNote: r.AssessmentNote,
		AssessedBy: r.AssessedBy, AssessedAt: utcPtr(r.AssessedAt), ClosedBy: r.ClosedBy, ClosedAt: utcPtr(r.ClosedAt),
		CloseNote: r.CloseNote, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// CreateFollowUp implements detention.FollowUpStore; a second follow-up of
// the same detainee is a conflict (unique index).
func (s *DetentionStore) CreateFollowUp(ctx context.Context, f *detention.FollowUp) error {
	row := toFollowUpRow(f)
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("create follow-up of detainee %d", f.DetaineeID))
	}
	f.ID = row.ID
	return nil
}

// FollowUp implements detention.FollowUpStore.
func (s *DetentionStore) FollowUp(ctx context.Context, id int64) (*detention.FollowUp, error) {
	var row followUpRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("read follow-up %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "follow_up.not_found", "No such follow-up.")
		}
		return nil, err
	}
	return row.followUp(), nil
}

// FollowUpOf implements detention.FollowUpStore.
func (s *DetentionStore) FollowUpOf(ctx context.Context, detaineeID int64) (*detention.FollowUp, bool, error) {
	var rows []followUpRow
	if err := s.db.Conn(ctx).Where("detainee_id = ?", detaineeID).Limit(1).Find(&rows).Error; err != nil {
		return nil, false, Translate(err, fmt.Sprintf("read follow-up of detainee %d", detaineeID))
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	return rows[0].followUp(), true, nil
}

// FollowUps implements detention.FollowUpStore, newest first.
func (s *DetentionStore) FollowUps(ctx context.Context, f detention.FollowUpFilter) ([]detention.FollowUp, error) {
	if len(f.Centres) == 0 && len(f.Stations) == 0 {
		return nil, nil
	}
	// An empty IN list never matches (0 is no organisation's ID).
	q := s.db.Conn(ctx).Where("(centre_id IN ? OR station_id IN ?)", orNone(f.Centres), orNone(f.Stations))
	if f.State != "" {
		q = q.Where("state = ?", string(f.State))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []followUpRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list follow-ups")
	}
	out := make([]detention.FollowUp, len(rows))
	for i := range rows {
		out[i] = *rows[i].followUp()
	}
	return out, nil
}

func orNone(ids []int64) []int64 {
	if len(ids) == 0 {
		return []int64{0}
	}
	return ids
}

// UpdateFollowUp implements detention.FollowUpStore: a versioned write.
func (s *DetentionStore) UpdateFollowUp(ctx context.Context, f *detention.FollowUp) (bool, error) {
	row := toFollowUpRow(f)
	row.Version = f.Version + 1
	res := s.db.Conn(ctx).Model(&followUpRow{}).Where("id = ? AND version = ?", f.ID, f.Version).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update follow-up %d", f.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	f.Version++
	return true, nil
}

type followUpVisitRow struct {
	ID         int64 `gorm:"primaryKey"`
	FollowUpID int64
	VisitedOn  time.Time
	Method     string
	Note       string
	RecordedBy int64
	CreatedAt  time.Time
}

func (followUpVisitRow) TableName() string { return "follow_up_visits" }

// AddFollowUpVisit implements detention.FollowUpStore.
func (s *DetentionStore) AddFollowUpVisit(ctx context.Context, v *detention.FollowUpVisit) error {
	row := followUpVisitRow{FollowUpID: v.FollowUpID, VisitedOn: v.On.UTC(), Method: v.Method, Note: v.Note, RecordedBy: v.RecordedBy, CreatedAt: v.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add visit to follow-up %d", v.FollowUpID))
	}
	v.ID = row.ID
	return nil
}

// FollowUpVisits implements detention.FollowUpStore, oldest first.
func (s *DetentionStore) FollowUpVisits(ctx context.Context, followUpID int64) ([]detention.FollowUpVisit, error) {
	var rows []followUpVisitRow
	if err := s.db.Conn(ctx).Where("follow_up_id = ?", followUpID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read visits of follow-up %d", followUpID))
	}
	out := make([]detention.FollowUpVisit, len(rows))
	for i, r := range rows {
		out[i] = detention.FollowUpVisit{ID: r.ID, FollowUpID: r.FollowUpID, On: r.VisitedOn.UTC(), Method: r.Method, Note: r.Note,
			RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
