package mysql

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain/mediation"
)

var _ mediation.InvitationStore = (*MediationStore)(nil)

type roomInvitationRow struct {
	ID        int64 `gorm:"primaryKey"`
	RoomID    string
	Kind      string
	UserID    int64
	Name      string
	InvitedBy int64
	CreatedAt time.Time
}

func (roomInvitationRow) TableName() string { return "room_invitations" }

// AddInvitation stores an invitation and the invitee's role in the room,
// in the caller's transaction; a second invite of the same person is a
// conflict.
func (s *MediationStore) AddInvitation(ctx context.Context, inv *mediation.RoomInvitation) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Create(&inviteRow{RoomID: inv.RoomID, UserID: inv.UserID, Role: inv.Role}).Error; err != nil {
			return Translate(err, "invite to room")
		}
		row := roomInvitationRow{RoomID: inv.RoomID, Kind: inv.Kind, UserID: inv.UserID, Name: inv.Name, InvitedBy: inv.InvitedBy, CreatedAt: inv.CreatedAt.UTC()}
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return Translate(err, "record room invitation")
		}
		inv.ID = row.ID
		return nil
	})
}

// Invitations lists a room's invitations in order, with each invitee's
// role.
func (s *MediationStore) Invitations(ctx context.Context, roomID string) ([]mediation.RoomInvitation, error) {
	var rows []roomInvitationRow
	if err := s.db.Conn(ctx).Where("room_id = ?", roomID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list room invitations")
	}
	var roles []inviteRow
	if err := s.db.Conn(ctx).Where("room_id = ?", roomID).Find(&roles).Error; err != nil {
		return nil, Translate(err, "list room invites")
	}
	roleOf := map[int64]string{}
	for _, r := range roles {
		roleOf[r.UserID] = r.Role
	}
	out := make([]mediation.RoomInvitation, len(rows))
	for i, r := range rows {
		out[i] = mediation.RoomInvitation{ID: r.ID, RoomID: r.RoomID, Kind: r.Kind, UserID: r.UserID, Name: r.Name, Role: roleOf[r.UserID],
			InvitedBy: r.InvitedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
