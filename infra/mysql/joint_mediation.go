package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

type jointMediationRow struct {
	ID                   int64 `gorm:"primaryKey"`
	CentreID             int64
	DetaineeID           int64
	RequestID            int64
	BusinessLine         string
	Summary              string
	State                string
	CreatedBy            int64
	DecidedAt            *time.Time
	DecisionPlace        string
	DecisionParticipants string // JSON array of names
	DecisionOutcome      string
	DecisionNotes        string
	DecidedBy            int64
	EarlyReleaseKind     string
	EarlyReleaseDays     int
	EarlyReleaseNote     string
	EarlyReleaseBy       int64
	EarlyReleaseAt       *time.Time
	CreatedAt            time.Time
	UpdatedAt            time.Time `gorm:"autoUpdateTime:false"` // the service's clock, not GORM's
	Version              int
}

func (jointMediationRow) TableName() string { return "joint_mediations" }

func toJointRow(j *detention.JointMediation) (jointMediationRow, error) {
	row := jointMediationRow{ID: j.ID, CentreID: j.CentreID, DetaineeID: j.DetaineeID, RequestID: j.RequestID, BusinessLine: j.BusinessLine,
		Summary: j.Summary, State: string(j.State), CreatedBy: j.CreatedBy, DecisionParticipants: "[]", CreatedAt: j.CreatedAt.UTC(),
		UpdatedAt: j.UpdatedAt.UTC(), Version: j.Version}
	if d := j.Decision; d != nil {
		people, err := json.Marshal(d.Participants)
		if err != nil {
			return row, fmt.Errorf("mysql: encode participants: %w", err)
		}
		at := d.At.UTC()
		row.DecidedAt, row.DecisionPlace, row.DecisionParticipants, row.DecisionOutcome, row.DecisionNotes, row.DecidedBy =
			&at, d.Place, string(people), d.Outcome, d.Notes, d.RecordedBy
	}
	if e := j.EarlyRelease; e != nil {
		at := e.ApprovedAt.UTC()
		row.EarlyReleaseKind, row.EarlyReleaseDays, row.EarlyReleaseNote, row.EarlyReleaseBy, row.EarlyReleaseAt = e.Kind, e.Days, e.Note, e.ApprovedBy, &at
	}
	return row, nil
}

func (r *jointMediationRow) joint(partners []int64) (*detention.JointMediation, error) {
	j := &detention.JointMediation{ID: r.ID, CentreID: r.CentreID, DetaineeID: r.DetaineeID, RequestID: r.RequestID, BusinessLine: r.BusinessLine,
		Summary: r.Summary, Partners: partners, State: detention.JointState(r.State), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if r.DecidedAt != nil {
		d := &detention.JointDecision{At: r.DecidedAt.UTC(), Place: r.DecisionPlace, Outcome: r.DecisionOutcome, Notes: r.DecisionNotes, RecordedBy: r.DecidedBy}
		if err := json.Unmarshal([]byte(r.DecisionParticipants), &d.Participants); err != nil {
			return nil, fmt.Errorf("mysql: joint mediation %d: participants: %w", r.ID, err)
		}
		j.Decision = d
	}
	if r.EarlyReleaseAt != nil {
		j.EarlyRelease = &detention.EarlyRelease{Kind: r.EarlyReleaseKind, Days: r.EarlyReleaseDays, Note: r.EarlyReleaseNote,
			ApprovedBy: r.EarlyReleaseBy, ApprovedAt: r.EarlyReleaseAt.UTC()}
	}
	return j, nil
}

type jointMediationUnitRow struct {
	ID          int64 `gorm:"primaryKey"`
	MediationID int64
	UnitID      int64
}

func (jointMediationUnitRow) TableName() string { return "joint_mediation_units" }

// CreateJoint implements detention.JointStore: the mediation and its units.
func (s *DetentionStore) CreateJoint(ctx context.Context, j *detention.JointMediation) error {
	row, err := toJointRow(j)
	if err != nil {
		return err
	}
	conn := s.db.Conn(ctx)
	if err := conn.Create(&row).Error; err != nil {
		return Translate(err, "create joint mediation")
	}
	if len(j.Partners) > 0 {
		units := make([]jointMediationUnitRow, len(j.Partners))
		for i, u := range j.Partners {
			units[i] = jointMediationUnitRow{MediationID: row.ID, UnitID: u}
		}
		if err := conn.Create(&units).Error; err != nil {
			return Translate(err, fmt.Sprintf("invite units to joint mediation %d", row.ID))
		}
	}
	j.ID = row.ID
	return nil
}

// Joint implements detention.JointStore.
func (s *DetentionStore) Joint(ctx context.Context, id int64) (*detention.JointMediation, error) {
	var row jointMediationRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("read joint mediation %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "joint_mediation.not_found", "No such joint mediation.")
		}
		return nil, err
	}
	list, err := s.withPartners(ctx, []jointMediationRow{row})
	if err != nil {
		return nil, err
	}
	return &list[0], nil
}

// JointsOf implements detention.JointStore, oldest first.
func (s *DetentionStore) JointsOf(ctx context.Context, detaineeID int64) ([]detention.JointMediation, error) {
	var rows []jointMediationRow
	if err := s.db.Conn(ctx).Where("detainee_id = ?", detaineeID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("list joint mediations of detainee %d", detaineeID))
	}
	return s.withPartners(ctx, rows)
}

// Joints implements detention.JointStore, newest first.
func (s *DetentionStore) Joints(ctx context.Context, f detention.JointFilter) ([]detention.JointMediation, error) {
	if len(f.Centres) == 0 && len(f.Units) == 0 {
		return nil, nil
	}
	scope := s.db.Conn(ctx).Where("centre_id IN ?", append([]int64{0}, f.Centres...)) // 0: no centre, keeps IN () valid
	if len(f.Units) > 0 {
		scope = scope.Or("id IN (?)", s.db.Conn(ctx).Model(&jointMediationUnitRow{}).Select("mediation_id").Where("unit_id IN ?", f.Units))
	}
	q := s.db.Conn(ctx).Where(scope)
	if f.State != "" {
		q = q.Where("state = ?", string(f.State))
	}
	if f.DetaineeID > 0 {
		q = q.Where("detainee_id = ?", f.DetaineeID)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []jointMediationRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list joint mediations")
	}
	return s.withPartners(ctx, rows)
}

func (s *DetentionStore) withPartners(ctx context.Context, rows []jointMediationRow) ([]detention.JointMediation, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var units []jointMediationUnitRow
	if err := s.db.Conn(ctx).Where("mediation_id IN ?", ids).Order("unit_id").Find(&units).Error; err != nil {
		return nil, Translate(err, "read joint mediation units")
	}
	partners := map[int64][]int64{}
	for _, u := range units {
		partners[u.MediationID] = append(partners[u.MediationID], u.UnitID)
	}
	out := make([]detention.JointMediation, len(rows))
	for i := range rows {
		j, err := rows[i].joint(partners[rows[i].ID])
		if err != nil {
			return nil, err
		}
		out[i] = *j
	}
	return out, nil
}

// UpdateJoint implements detention.JointStore: a versioned write of the
// mediation row (the invited units do not change).
func (s *DetentionStore) UpdateJoint(ctx context.Context, j *detention.JointMediation) (bool, error) {
	row, err := toJointRow(j)
	if err != nil {
		return false, err
	}
	row.Version = j.Version + 1
	res := s.db.Conn(ctx).Model(&jointMediationRow{}).Where("id = ? AND version = ?", j.ID, j.Version).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update joint mediation %d", j.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	j.Version++
	return true, nil
}

type jointMediationMessageRow struct {
	ID            int64 `gorm:"primaryKey"`
	MediationID   int64
	AuthorID      int64
	AuthorOrgID   int64
	Body          string
	AttachmentIDs string `gorm:"column:attachment_ids"`
	CreatedAt     time.Time
}

func (jointMediationMessageRow) TableName() string { return "joint_mediation_messages" }

// AddJointMessage implements detention.JointStore.
func (s *DetentionStore) AddJointMessage(ctx context.Context, m *detention.JointMessage) error {
	ids := make([]string, len(m.AttachmentIDs))
	for i, id := range m.AttachmentIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	row := jointMediationMessageRow{MediationID: m.MediationID, AuthorID: m.AuthorID, AuthorOrgID: m.AuthorOrgID, Body: m.Body,
		AttachmentIDs: strings.Join(ids, ","), CreatedAt: m.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add message to joint mediation %d", m.MediationID))
	}
	m.ID = row.ID
	return nil
}

// JointMessages implements detention.JointStore: newest first, by the
// (mediation_id, id) index.
func (s *DetentionStore) JointMessages(ctx context.Context, mediationID, beforeID int64, limit int) ([]detention.JointMessage, error) {
	q := s.db.Conn(ctx).Where("mediation_id = ?", mediationID)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var rows []jointMediationMessageRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read messages of joint mediation %d", mediationID))
	}
	out := make([]detention.JointMessage, len(rows))
	for i, r := range rows {
		out[i] = detention.JointMessage{ID: r.ID, MediationID: r.MediationID, AuthorID: r.AuthorID, AuthorOrgID: r.AuthorOrgID, Body: r.Body,
			CreatedAt: r.CreatedAt.UTC()}
		for _, part := range strings.Split(r.AttachmentIDs, ",") {
			if id, err := strconv.ParseInt(part, 10, 64); err == nil {
				out[i].AttachmentIDs = append(out[i].AttachmentIDs, id)
			}
		}
	}
	return out, nil
}
