package api

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// conflictCheckDTO asks in a body, not a query string, so that the party's
// phone stays out of access logs.
type conflictCheckDTO struct {
	LawyerID   int64  `json:"lawyer_id"`
	PartyPhone string `json:"party_phone"`
}

type matterDTO struct {
	RequestID  int64     `json:"request_id"`
	Role       string    `json:"role"`
	Kind       string    `json:"kind"`
	Category   string    `json:"category"`
	StationID  int64     `json:"station_id"`
	InvolvedAt time.Time `json:"involved_at"`
}

type conflictDTO struct {
	LawyerID int64       `json:"lawyer_id"`
	Conflict bool        `json:"conflict"`
	Matters  []matterDTO `json:"matters"`
}

// checkConflict serves the conflict rule's check (利益冲突审查).
func (s *Server) checkConflict(c *fiber.Ctx) error {
	var body conflictCheckDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	res, err := s.mediation.CheckConflict(c.UserContext(), s.actor(c), body.LawyerID, body.PartyPhone)
	if err != nil {
		return err
	}
	out := conflictDTO{LawyerID: res.LawyerID, Conflict: res.Conflict, Matters: make([]matterDTO, len(res.Matters))}
	for i, m := range res.Matters {
		out.Matters[i] = matterDTO{RequestID: m.RequestID, Role: m.Role, Kind: string(m.Kind), Category: m.Category, StationID: m.StationID,
			InvolvedAt: m.InvolvedAt.In(s.loc)}
	}
	return c.JSON(out)
}
