package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/expert"
)

// ExpertService is the expert pool (专业人才库, issue 19 part 5).
type ExpertService interface {
	SaveExpert(ctx context.Context, a domain.Actor, id int64, e expert.Expert) (*expert.Expert, error)
	Experts(ctx context.Context, kind expert.Kind, specialty string, activeOnly bool) ([]expert.Expert, error)
	Invite(ctx context.Context, a domain.Actor, n expert.NewInvitation) (*expert.Invitation, error)
	Invitation(ctx context.Context, a domain.Actor, id int64) (*expert.Invitation, error)
	MyInvitations(ctx context.Context, a domain.Actor) ([]expert.Invitation, error)
	CaseInvitations(ctx context.Context, a domain.Actor, resourceType string, resourceID int64) ([]expert.Invitation, error)
	Act(ctx context.Context, a domain.Actor, id int64, action expert.Action, text string) (*expert.Invitation, error)
}

var _ ExpertService = (*expert.Service)(nil)

type expertDTO struct {
	ID          int64     `json:"id"`
	UserID      int64     `json:"user_id"`
	UnitID      int64     `json:"unit_id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Specialties []string  `json:"specialties"`
	Bio         string    `json:"bio"`
	Active      bool      `json:"active"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (s *Server) toExpertDTO(e *expert.Expert) expertDTO {
	return expertDTO{ID: e.ID, UserID: e.UserID, UnitID: e.UnitID, Name: e.Name, Kind: string(e.Kind), Specialties: orEmpty(e.Specialties), Bio: e.Bio,
		Active: e.Active, UpdatedAt: e.UpdatedAt.In(s.loc)}
}

type invitationDTO struct {
	ID           int64      `json:"id"`
	ExpertID     int64      `json:"expert_id"`
	ExpertUserID int64      `json:"expert_user_id"`
	ResourceType string     `json:"resource_type"`
	ResourceID   int64      `json:"resource_id"`
	Purpose      string     `json:"purpose"`
	Note         string     `json:"note"`
	State        string     `json:"state"`
	InvitedBy    int64      `json:"invited_by"`
	Reply        string     `json:"reply"`
	Opinion      string     `json:"opinion"`
	CreatedAt    time.Time  `json:"created_at"`
	AnsweredAt   *time.Time `json:"answered_at"`
	ConcludedAt  *time.Time `json:"concluded_at"`
}

func (s *Server) toInvitationDTO(i *expert.Invitation) invitationDTO {
	return invitationDTO{ID: i.ID, ExpertID: i.ExpertID, ExpertUserID: i.ExpertUserID, ResourceType: i.ResourceType, ResourceID: i.ResourceID,
		Purpose: string(i.Purpose), Note: i.Note, State: string(i.State), InvitedBy: i.InvitedBy, Reply: i.Reply, Opinion: i.Opinion,
		CreatedAt: i.CreatedAt.In(s.loc), AnsweredAt: s.localPtr(i.AnsweredAt), ConcludedAt: s.localPtr(i.ConcludedAt)}
}

type expertInputDTO struct {
	UserID      int64    `json:"user_id"`
	Kind        string   `json:"kind"`
	Specialties []string `json:"specialties"`
	Bio         string   `json:"bio"`
	Active      *bool    `json:"active"`
}

func (d expertInputDTO) toDomain() expert.Expert {
	active := d.Active == nil || *d.Active
	return expert.Expert{UserID: d.UserID, Kind: expert.Kind(d.Kind), Specialties: d.Specialties, Bio: d.Bio, Active: active}
}

func (s *Server) listExperts(c *fiber.Ctx) error {
	items, err := s.experts.Experts(c.UserContext(), expert.Kind(c.Query("kind")), c.Query("specialty"), c.Query("all") != "true")
	if err != nil {
		return err
	}
	out := make([]expertDTO, len(items))
	for i := range items {
		out[i] = s.toExpertDTO(&items[i])
	}
	return c.JSON(out)
}

func (s *Server) createExpert(c *fiber.Ctx) error {
	var body expertInputDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	e, err := s.experts.SaveExpert(c.UserContext(), s.actor(c), 0, body.toDomain())
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toExpertDTO(e))
}

func (s *Server) updateExpert(c *fiber.Ctx) error {
	var body expertInputDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	e, err := s.experts.SaveExpert(c.UserContext(), s.actor(c), id, body.toDomain())
	if err != nil {
		return err
	}
	return c.JSON(s.toExpertDTO(e))
}

func (s *Server) inviteExpert(c *fiber.Ctx) error {
	var body struct {
		ExpertID     int64  `json:"expert_id"`
		ResourceType string `json:"resource_type"`
		ResourceID   int64  `json:"resource_id"`
		Purpose      string `json:"purpose"`
		Note         string `json:"note"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	inv, err := s.experts.Invite(c.UserContext(), s.actor(c), expert.NewInvitation{ExpertID: body.ExpertID, ResourceType: body.ResourceType,
		ResourceID: body.ResourceID, Purpose: expert.Purpose(body.Purpose), Note: body.Note})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toInvitationDTO(inv))
}

// listInvitations serves the invitations of one case (?resource_type=
// &resource_id=), or without them those to the caller as an expert.
func (s *Server) listInvitations(c *fiber.Ctx) error {
	var items []expert.Invitation
	var err error
	if rt := c.Query("resource_type"); rt != "" {
		id, perr := strconv.ParseInt(c.Query("resource_id"), 10, 64)
		if perr != nil || id <= 0 {
			return domain.Invalid(domain.FieldError{Field: "resource_id", Code: domain.FieldInvalid, Message: "is the case's ID"})
		}
		items, err = s.experts.CaseInvitations(c.UserContext(), s.actor(c), rt, id)
	} else {
		items, err = s.experts.MyInvitations(c.UserContext(), s.actor(c))
	}
	if err != nil {
		return err
	}
	out := make([]invitationDTO, len(items))
	for i := range items {
		out[i] = s.toInvitationDTO(&items[i])
	}
	return c.JSON(out)
}

func (s *Server) getInvitation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := s.experts.Invitation(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toInvitationDTO(inv))
}

// actOnInvitation serves /expert-invitations/{id}/accept, /decline,
// /conclude and /withdraw.
func (s *Server) actOnInvitation(action expert.Action) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var body struct {
			Text string `json:"text"`
		}
		id, err := s.pathIDAndBody(c, "id", &body)
		if err != nil {
			return err
		}
		inv, err := s.experts.Act(c.UserContext(), s.actor(c), id, action, body.Text)
		if err != nil {
			return err
		}
		return c.JSON(s.toInvitationDTO(inv))
	}
}
