package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// JudicialService is what the judicial-confirmation handlers need.
type JudicialService interface {
	RequestConfirmation(ctx context.Context, a domain.Actor, id, courtID int64, note string) (*m.Confirmation, error)
	DecideConfirmation(ctx context.Context, a domain.Actor, id int64, d m.Decision) (*m.Confirmation, error)
}

type confirmationDTO struct {
	CourtID      int64      `json:"court_id"`
	RequestedBy  int64      `json:"requested_by"`
	RequestedAt  time.Time  `json:"requested_at"`
	Note         string     `json:"note"`
	Result       string     `json:"result"`
	DecidedOn    *string    `json:"decided_on"`
	DocumentNo   *string    `json:"document_no"`
	AttachmentID *int64     `json:"attachment_id"`
	DecidedBy    *int64     `json:"decided_by"`
	DecidedAt    *time.Time `json:"decided_at"`
}

func toConfirmationDTO(c *m.Confirmation, loc *time.Location) *confirmationDTO {
	if c == nil {
		return nil
	}
	return &confirmationDTO{CourtID: c.CourtID, RequestedBy: c.RequestedBy, RequestedAt: c.RequestedAt.In(loc), Note: c.Note, Result: string(c.Result),
		DecidedOn: optString(c.DecidedOn), DocumentNo: optString(c.DocumentNo), AttachmentID: optID(c.AttachmentID), DecidedBy: optID(c.DecidedBy),
		DecidedAt: inLoc(c.DecidedAt, loc)}
}

// requestConfirmation serves POST /api/v1/requests/{id}/judicial-confirmation.
func (s *Server) requestConfirmation(c *fiber.Ctx) error {
	var body struct {
		CourtID int64  `json:"court_id"`
		Note    string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	conf, err := s.mediation.RequestConfirmation(c.UserContext(), s.actor(c), id, body.CourtID, body.Note)
	if err != nil {
		return err
	}
	return c.JSON(toConfirmationDTO(conf, s.loc))
}

// decideConfirmation serves POST /api/v1/requests/{id}/judicial-confirmation/decision.
func (s *Server) decideConfirmation(c *fiber.Ctx) error {
	var body struct {
		Result       string `json:"result"`
		DecidedOn    string `json:"decided_on"`
		DocumentNo   string `json:"document_no"`
		AttachmentID int64  `json:"attachment_id"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	conf, err := s.mediation.DecideConfirmation(c.UserContext(), s.actor(c), id,
		m.Decision{Result: m.JudicialResult(body.Result), DecidedOn: body.DecidedOn, DocumentNo: body.DocumentNo, AttachmentID: body.AttachmentID})
	if err != nil {
		return err
	}
	return c.JSON(toConfirmationDTO(conf, s.loc))
}
