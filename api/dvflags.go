package api

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	w "github.com/tiaojie/tiaojie/domain/warning"
)

type newDVFlagDTO struct {
	Kind      string `json:"kind"`
	Phone     string `json:"phone"`
	Name      string `json:"name"`
	Address   string `json:"address"`
	StationID int64  `json:"station_id"`
	Note      string `json:"note"`
}

// dvFlagDTO shows a flag; the phone is masked: staff recognise a number,
// they do not need to dial it from this list.
type dvFlagDTO struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Phone     *string   `json:"phone"`
	Name      string    `json:"name"`
	Address   *string   `json:"address"`
	StationID int64     `json:"station_id"`
	Note      string    `json:"note"`
	FlaggedBy int64     `json:"flagged_by"`
	FlaggedAt time.Time `json:"flagged_at"`
}

func (s *Server) toDVFlagDTO(f *w.DVFlag) dvFlagDTO {
	d := dvFlagDTO{ID: f.ID, Kind: string(f.Kind), Name: f.Name, StationID: f.StationID, Note: f.Note, FlaggedBy: f.FlaggedBy,
		FlaggedAt: f.FlaggedAt.In(s.loc)}
	if f.Kind == w.DVPerson {
		d.Phone = optString(domain.MaskPhone(f.Key))
	} else {
		d.Address = optString(f.Address)
	}
	return d
}

func (s *Server) flagDV(c *fiber.Ctx) error {
	var body newDVFlagDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	f, err := s.warnings.FlagDV(c.UserContext(), s.actor(c), s.scope, w.DVFlagInput{Kind: w.DVKind(body.Kind), Phone: body.Phone, Name: body.Name,
		Address: body.Address, StationID: body.StationID, Note: body.Note})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toDVFlagDTO(f))
}

func (s *Server) listDVFlags(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	items, err := s.warnings.ListDV(c.UserContext(), s.actor(c), s.scope, before, limit)
	if err != nil {
		return err
	}
	out := make([]dvFlagDTO, len(items))
	for i := range items {
		out[i] = s.toDVFlagDTO(&items[i])
	}
	return c.JSON(newPage(out, limit, func(d dvFlagDTO) int64 { return d.ID }))
}

func (s *Server) clearDVFlag(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.warnings.ClearDV(c.UserContext(), s.actor(c), s.scope, id); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
