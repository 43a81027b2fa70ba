package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// DetentionStore keeps detainees with their family links, behaviour records
// and label history, the follow-ups after release and joint mediations,
// always in the caller's transaction.
type DetentionStore struct{ db *DB }

var (
	_ detention.DetaineeStore = (*DetentionStore)(nil)
	_ detention.ProfileStore  = (*DetentionStore)(nil)
	_ detention.FollowUpStore = (*DetentionStore)(nil)
	_ detention.JointStore    = (*DetentionStore)(nil)
)

// NewDetentionStore returns the store over db.
func NewDetentionStore(db *DB) *DetentionStore { return &DetentionStore{db: db} }

type detaineeRow struct {
	ID                int64 `gorm:"primaryKey"`
	CentreID          int64
	HomeStationID     int64
	Name              string
	IDNumberMasked    string `gorm:"column:id_number_masked"`
	IDNumberHash      string `gorm:"column:id_number_hash"`
	CaseCause         string
	Punishment        string
	PunishmentFrom    time.Time
	PunishmentTo      time.Time
	HealthNotes       string
	DisputeBackground string
	DisputeResolved   bool
	PriorRecords      string
	Status            string
	Label             string
	Score             int
	LabelOverridden   bool
	LabelReason       string
	LeftAt            *time.Time
	LeaveReason       string
	Destination       string
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time `gorm:"autoUpdateTime:false"` // the service's clock, not GORM's
	Version           int
}

func (detaineeRow) TableName() string { return "detainees" }

func toDetaineeRow(d *detention.Detainee) detaineeRow {
	return detaineeRow{ID: d.ID, CentreID: d.CentreID, HomeStationID: d.HomeStationID, Name: d.Name, IDNumberMasked: d.IDNumberMasked,
		IDNumberHash: d.IDNumberHash, CaseCause: d.CaseCause, Punishment: d.Punishment, PunishmentFrom: d.PunishmentFrom.UTC(),
		PunishmentTo: d.PunishmentTo.UTC(), HealthNotes: d.HealthNotes, DisputeBackground: d.DisputeBackground, DisputeResolved: d.DisputeResolved,
		PriorRecords: d.PriorRecords, Status: string(d.Status), Label: string(d.Label), Score: d.Score, LabelOverridden: d.LabelOverridden,
		LabelReason: d.LabelReason, LeftAt: utcPtr(d.LeftAt), LeaveReason: d.LeaveReason, Destination: d.Destination, CreatedBy: d.CreatedBy,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}
}

func (r *detaineeRow) detainee() *detention.Detainee {
	return &detention.Detainee{ID: r.ID, CentreID: r.CentreID, HomeStationID: r.HomeStationID, Name: r.Name, IDNumberMasked: r.IDNumberMasked,
		IDNumberHash: r.IDNumberHash, CaseCause: r.CaseCause, Punishment: r.Punishment, PunishmentFrom: r.PunishmentFrom.UTC(),
		PunishmentTo: r.PunishmentTo.UTC(), HealthNotes: r.HealthNotes, DisputeBackground: r.DisputeBackground, DisputeResolved: r.DisputeResolved,
		PriorRecords: r.PriorRecords, Status: detention.Status(r.Status), Label: detention.RiskLabel(r.Label), Score: r.Score,
		LabelOverridden: r.LabelOverridden, LabelReason: r.LabelReason, LeftAt: utcPtr(r.LeftAt), LeaveReason: r.LeaveReason,
		Destination: r.Destination, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// CreateDetainee implements detention.ProfileStore.
func (s *DetentionStore) CreateDetainee(ctx context.Context, d *detention.Detainee) error {
	row := toDetaineeRow(d)
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create detainee")
	}
	d.ID = row.ID
	return nil
}

// Detainee implements detention.DetaineeStore.
func (s *DetentionStore) Detainee(ctx context.Context, id int64) (*detention.Detainee, error) {
	var row detaineeRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("read detainee %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "detainee.not_found", "No such detainee.")
		}
		return nil, err
	}
	return row.detainee(), nil
}

// UpdateDetainee implements detention.ProfileStore: a versioned write.
func (s *DetentionStore) UpdateDetainee(ctx context.Context, d *detention.Detainee) (bool, error) {
	row := toDetaineeRow(d)
	row.Version = d.Version + 1
	res := s.db.Conn(ctx).Model(&detaineeRow{}).Where("id = ? AND version = ?", d.ID, d.Version).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update detainee %d", d.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	d.Version++
	return true, nil
}

// DetainedByIDHash implements detention.ProfileStore.
func (s *DetentionStore) DetainedByIDHash(ctx context.Context, centreID int64, hash string) (*detention.Detainee, bool, error) {
	var rows []detaineeRow
	err := s.db.Conn(ctx).Where("id_number_hash = ? AND centre_id = ? AND status = ?", hash, centreID, string(detention.Detained)).
		Limit(1).Find(&rows).Error
	if err != nil {
		return nil, false, Translate(err, "find detainee by ID number")
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	return rows[0].detainee(), true, nil
}

// Detainees implements detention.ProfileStore.
func (s *DetentionStore) Detainees(ctx context.Context, f detention.DetaineeFilter) ([]detention.Detainee, error) {
	if len(f.Centres) == 0 {
		return nil, nil
	}
	q := s.db.Conn(ctx).Where("centre_id IN ?", f.Centres)
	if f.Label != "" {
		q = q.Where("label = ?", string(f.Label))
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []detaineeRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list detainees")
	}
	out := make([]detention.Detainee, len(rows))
	for i := range rows {
		out[i] = *rows[i].detainee()
	}
	return out, nil
}

type detaineeFamilyRow struct {
	ID           int64 `gorm:"primaryKey"`
	DetaineeID   int64
	UserID       int64
	Relationship string
	LinkedBy     int64
	CreatedAt    time.Time
}

func (detaineeFamilyRow) TableName() string { return "detainee_family" }

// AddFamily implements detention.ProfileStore; the unique (detainee, user)
// index decides, and a duplicate ends only its statement.
func (s *DetentionStore) AddFamily(ctx context.Context, l *detention.FamilyLink) (bool, error) {
	row := detaineeFamilyRow{DetaineeID: l.DetaineeID, UserID: l.UserID, Relationship: l.Relationship, LinkedBy: l.LinkedBy, CreatedAt: l.CreatedAt.UTC()}
	err := Translate(s.db.Conn(ctx).Create(&row).Error, fmt.Sprintf("link family of detainee %d", l.DetaineeID))
	if domain.IsKind(err, domain.KindConflict) {
		return false, nil
	}
	return err == nil, err
}

// IsFamily implements detention.DetaineeStore.
func (s *DetentionStore) IsFamily(ctx context.Context, detaineeID, userID int64) (bool, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&detaineeFamilyRow{}).Where("detainee_id = ? AND user_id = ?", detaineeID, userID).Count(&n).Error
	return n > 0, Translate(err, fmt.Sprintf("check family of detainee %d", detaineeID))
}

// Family implements detention.ProfileStore.
func (s *DetentionStore) Family(ctx context.Context, detaineeID int64) ([]detention.FamilyLink, error) {
	var rows []detaineeFamilyRow
	if err := s.db.Conn(ctx).Where("detainee_id = ?", detaineeID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read family of detainee %d", detaineeID))
	}
	out := make([]detention.FamilyLink, len(rows))
	for i, r := range rows {
		out[i] = detention.FamilyLink{DetaineeID: r.DetaineeID, UserID: r.UserID, Relationship: r.Relationship, LinkedBy: r.LinkedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// FamilyLinksOf implements detention.ProfileStore.
func (s *DetentionStore) FamilyLinksOf(ctx context.Context, userID int64) ([]detention.FamilyLink, error) {
	var rows []detaineeFamilyRow
	if err := s.db.Conn(ctx).Where("user_id = ?", userID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read family links of user %d", userID))
	}
	out := make([]detention.FamilyLink, len(rows))
	for i, r := range rows {
		out[i] = detention.FamilyLink{DetaineeID: r.DetaineeID, UserID: r.UserID, Relationship: r.Relationship, LinkedBy: r.LinkedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

type detaineeBehaviourRow struct {
	ID         int64 `gorm:"primaryKey"`
	DetaineeID int64
	HappenedOn time.Time
	Kind       string
	Note       string
	RecordedBy int64
	CreatedAt  time.Time
}

func (detaineeBehaviourRow) TableName() string { return "detainee_behaviours" }

// AddBehaviour implements detention.ProfileStore.
func (s *DetentionStore) AddBehaviour(ctx context.Context, b *detention.BehaviourRecord) error {
	row := detaineeBehaviourRow{DetaineeID: b.DetaineeID, HappenedOn: b.On.UTC(), Kind: b.Kind, Note: b.Note, RecordedBy: b.RecordedBy, CreatedAt: b.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add behaviour of detainee %d", b.DetaineeID))
	}
	b.ID = row.ID
	return nil
}

// Behaviours implements detention.ProfileStore, oldest first.
func (s *DetentionStore) Behaviours(ctx context.Context, detaineeID int64) ([]detention.BehaviourRecord, error) {
	var rows []detaineeBehaviourRow
	if err := s.db.Conn(ctx).Where("detainee_id = ?", detaineeID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read behaviour of detainee %d", detaineeID))
	}
	out := make([]detention.BehaviourRecord, len(rows))
	for i, r := range rows {
		out[i] = detention.BehaviourRecord{ID: r.ID, DetaineeID: r.DetaineeID, On: r.HappenedOn.UTC(), Kind: r.Kind, Note: r.Note,
			RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

type detaineeLabelRow struct {
	ID         int64 `gorm:"primaryKey"`
	DetaineeID int64
	At         time.Time
	ActorID    int64
	FromLabel  string
	ToLabel    string
	Score      int
	Source     string
	Reason     string
}

func (detaineeLabelRow) TableName() string { return "detainee_labels" }

// AddLabelChange implements detention.ProfileStore.
func (s *DetentionStore) AddLabelChange(ctx context.Context, c *detention.LabelChange) error {
	row := detaineeLabelRow{DetaineeID: c.DetaineeID, At: c.At.UTC(), ActorID: c.ActorID, FromLabel: string(c.From), ToLabel: string(c.To),
		Score: c.Score, Source: string(c.Source), Reason: c.Reason}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add label change of detainee %d", c.DetaineeID))
	}
	c.ID = row.ID
	return nil
}

// LabelHistory implements detention.ProfileStore, oldest first.
func (s *DetentionStore) LabelHistory(ctx context.Context, detaineeID int64) ([]detention.LabelChange, error) {
	var rows []detaineeLabelRow
	if err := s.db.Conn(ctx).Where("detainee_id = ?", detaineeID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read label history of detainee %d", detaineeID))
	}
	out := make([]detention.LabelChange, len(rows))
	for i, r := range rows {
		out[i] = detention.LabelChange{ID: r.ID, DetaineeID: r.DetaineeID, At: r.At.UTC(), ActorID: r.ActorID, From: detention.RiskLabel(r.FromLabel),
			To: detention.RiskLabel(r.ToLabel), Score: r.Score, Source: detention.LabelSource(r.Source), Reason: r.Reason}
	}
	return out, nil
}
