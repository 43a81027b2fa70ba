package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/expert"
)

// ExpertStore keeps the expert pool and invitations.
type ExpertStore struct{ db *DB }

var _ expert.Store = (*ExpertStore)(nil)

// NewExpertStore returns the store over db.
func NewExpertStore(db *DB) *ExpertStore { return &ExpertStore{db: db} }

type expertRow struct {
	ID          int64 `gorm:"primaryKey"`
	UserID      int64
	UnitID      int64
	Name        string
	Kind        string
	Specialties string
	Bio         string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (expertRow) TableName() string { return "experts" }

func (r expertRow) toDomain() expert.Expert {
	e := expert.Expert{ID: r.ID, UserID: r.UserID, UnitID: r.UnitID, Name: r.Name, Kind: expert.Kind(r.Kind), Bio: r.Bio, Active: r.Active,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Specialties: []string{}}
	_ = json.Unmarshal([]byte(r.Specialties), &e.Specialties)
	return e
}

func expertRowOf(e *expert.Expert) expertRow {
	specs, _ := json.Marshal(orEmptyStrings(e.Specialties))
	return expertRow{ID: e.ID, UserID: e.UserID, UnitID: e.UnitID, Name: e.Name, Kind: string(e.Kind), Specialties: string(specs), Bio: e.Bio,
		Active: e.Active, CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

func expertNotFound(err error) error {
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Errorf(domain.KindNotFound, "expert.not_found", "No such expert.")
	}
	return err
}

// CreateExpert implements expert.Store.
func (s *ExpertStore) CreateExpert(ctx context.Context, e *expert.Expert) error {
	row := expertRowOf(e)
	row.ID = 0
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create expert")
	}
	e.ID = row.ID
	return nil
}

// UpdateExpert implements expert.Store.
func (s *ExpertStore) UpdateExpert(ctx context.Context, e *expert.Expert) error {
	row := expertRowOf(e)
	return Translate(s.db.Conn(ctx).Save(&row).Error, fmt.Sprintf("update expert %d", e.ID))
}

// Expert implements expert.Store.
func (s *ExpertStore) Expert(ctx context.Context, id int64) (*expert.Expert, error) {
	var row expertRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, expertNotFound(Translate(err, fmt.Sprintf("find expert %d", id)))
	}
	e := row.toDomain()
	return &e, nil
}

// Experts implements expert.Store.
func (s *ExpertStore) Experts(ctx context.Context, kind expert.Kind, specialty string, activeOnly bool) ([]expert.Expert, error) {
	q := s.db.Conn(ctx).Model(&expertRow{})
	if kind != "" {
		q = q.Where("kind = ?", string(kind))
	}
	if activeOnly {
		q = q.Where("active = ?", true)
	}
	var rows []expertRow
	if err := q.Order("id").Limit(500).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list experts")
	}
	out := make([]expert.Expert, 0, len(rows))
	for _, r := range rows {
		e := r.toDomain()
		if specialty == "" || slices.Contains(e.Specialties, specialty) {
			out = append(out, e)
		}
	}
	return out, nil
}

type invitationRow struct {
	ID           int64 `gorm:"primaryKey"`
	ExpertID     int64
	ExpertUserID int64
	ResourceType string
	ResourceID   int64
	Purpose      string
	Note         string
	State        string
	InvitedBy    int64
	Reply        string
	Opinion      string
	CreatedAt    time.Time
	AnsweredAt   *time.Time
	ConcludedAt  *time.Time
	UpdatedAt    time.Time
	Version      int
}

func (invitationRow) TableName() string { return "expert_invitations" }

func (r invitationRow) toDomain() expert.Invitation {
	return expert.Invitation{ID: r.ID, ExpertID: r.ExpertID, ExpertUserID: r.ExpertUserID, ResourceType: r.ResourceType, ResourceID: r.ResourceID,
		Purpose: expert.Purpose(r.Purpose), Note: r.Note, State: expert.State(r.State), InvitedBy: r.InvitedBy, Reply: r.Reply, Opinion: r.Opinion,
		CreatedAt: r.CreatedAt.UTC(), AnsweredAt: utcPtr(r.AnsweredAt), ConcludedAt: utcPtr(r.ConcludedAt), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// CreateInvitation implements expert.Store.
func (s *ExpertStore) CreateInvitation(ctx context.Context, inv *expert.Invitation) error {
	row := invitationRow{ExpertID: inv.ExpertID, ExpertUserID: inv.ExpertUserID, ResourceType: inv.ResourceType, ResourceID: inv.ResourceID,
		Purpose: string(inv.Purpose), Note: inv.Note, State: string(inv.State), InvitedBy: inv.InvitedBy, CreatedAt: inv.CreatedAt.UTC(),
		UpdatedAt: inv.UpdatedAt.UTC(), Version: inv.Version}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create expert invitation")
	}
	inv.ID = row.ID
	return nil
}

// Invitation implements expert.Store.
func (s *ExpertStore) Invitation(ctx context.Context, id int64) (*expert.Invitation, error) {
	var row invitationRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find expert invitation %d", id))
	}
	inv := row.toDomain()
	return &inv, nil
}

// UpdateInvitation implements expert.Store.
func (s *ExpertStore) UpdateInvitation(ctx context.Context, inv *expert.Invitation) (bool, error) {
	res := s.db.Conn(ctx).Model(&invitationRow{}).Where("id = ? AND version = ?", inv.ID, inv.Version).Updates(map[string]any{
		"state": string(inv.State), "reply": inv.Reply, "opinion": inv.Opinion, "answered_at": utcPtr(inv.AnsweredAt),
		"concluded_at": utcPtr(inv.ConcludedAt), "updated_at": inv.UpdatedAt.UTC(), "version": inv.Version + 1})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update expert invitation %d", inv.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	inv.Version++
	return true, nil
}

// Invitations implements expert.Store.
func (s *ExpertStore) Invitations(ctx context.Context, resourceType string, resourceID, expertUserID int64) ([]expert.Invitation, error) {
	q := s.db.Conn(ctx).Model(&invitationRow{})
	if resourceType != "" {
		q = q.Where("resource_type = ? AND resource_id = ?", resourceType, resourceID)
	} else {
		q = q.Where("expert_user_id = ?", expertUserID)
	}
	var rows []invitationRow
	if err := q.Order("id DESC").Limit(100).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list expert invitations")
	}
	out := make([]expert.Invitation, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
