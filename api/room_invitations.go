package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// InvitationService is what the invitation handlers need of the mediation
// domain.
type InvitationService interface {
	Invite(ctx context.Context, a domain.Actor, roomID string, in m.Invitee) (*m.RoomInvitation, error)
	Invitations(ctx context.Context, a domain.Actor, roomID string) ([]m.RoomInvitation, error)
}

type roomInviteBody struct {
	Kind   string `json:"kind"`
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Phone  string `json:"phone"`
}

type roomInvitationDTO struct {
	ID        int64     `json:"id"`
	RoomID    string    `json:"room_id"`
	Kind      string    `json:"kind"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	InvitedBy int64     `json:"invited_by"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Server) toRoomInvitationDTO(i *m.RoomInvitation) roomInvitationDTO {
	return roomInvitationDTO{ID: i.ID, RoomID: i.RoomID, Kind: i.Kind, UserID: i.UserID, Name: i.Name, Role: i.Role, InvitedBy: i.InvitedBy,
		CreatedAt: i.CreatedAt.In(s.loc)}
}

func (s *Server) inviteToRoom(c *fiber.Ctx) error {
	var body roomInviteBody
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	inv, err := s.rooms.Invite(c.UserContext(), s.actor(c), utils.CopyString(c.Params("id")),
		m.Invitee{Kind: body.Kind, UserID: body.UserID, Name: body.Name, Phone: body.Phone})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(s.toRoomInvitationDTO(inv))
}

func (s *Server) listRoomInvitations(c *fiber.Ctx) error {
	invs, err := s.rooms.Invitations(c.UserContext(), s.actor(c), utils.CopyString(c.Params("id")))
	if err != nil {
		return err
	}
	out := make([]roomInvitationDTO, len(invs))
	for i := range invs {
		out[i] = s.toRoomInvitationDTO(&invs[i])
	}
	return c.JSON(out)
}
