package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

type staffNameDTO struct {
	ID    int64    `json:"id"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

// staffNames serves GET /api/v1/staff/names?ids=1,2,3: the names of the
// staff a case names (officers, reviewers, clerks), for staff who may not
// read the user administration.
func (s *Server) staffNames(c *fiber.Ctx) error {
	var ids []int64
	if raw := strings.TrimSpace(c.Query("ids")); raw != "" {
		parts := strings.Split(raw, ",")
		if len(parts) > account.MaxNamesAsked {
			return domain.Invalid(domain.FieldError{Field: "ids", Code: domain.FieldOutOfRange, Message: "at most 100 IDs"})
		}
		for _, p := range parts {
			id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
			if err != nil || id <= 0 {
				return domain.Invalid(domain.FieldError{Field: "ids", Code: domain.FieldInvalid, Message: "is a comma-separated list of IDs"})
			}
			ids = append(ids, id)
		}
	}
	names, err := s.accounts.StaffNames(c.UserContext(), ids)
	if err != nil {
		return err
	}
	out := make([]staffNameDTO, len(names))
	for i, n := range names {
		out[i] = staffNameDTO{ID: n.ID, Name: n.Name, Roles: orEmpty(n.Roles)}
	}
	return c.JSON(fiber.Map{"items": out})
}

type staffPersonDTO struct {
	ID       int64    `json:"id"`
	Name     string   `json:"name"`
	Roles    []string `json:"roles"`
	UnitID   int64    `json:"unit_id"`
	UnitName string   `json:"unit_name"`
}

// staffPeople serves GET /api/v1/staff/people?unit_id=&role=: the staff of
// the caller's district a form may name (pickers).
func (s *Server) staffPeople(c *fiber.Ctx) error {
	var p domain.Problems
	f := account.PeopleFilter{UnitID: queryInt64(c, &p, "unit_id"), Role: c.Query("role")}
	if err := p.Err(); err != nil {
		return err
	}
	people, truncated, err := s.accounts.People(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	out := make([]staffPersonDTO, len(people))
	for i, n := range people {
		out[i] = staffPersonDTO{ID: n.ID, Name: n.Name, Roles: orEmpty(n.Roles), UnitID: n.UnitID, UnitName: n.UnitName}
	}
	return c.JSON(fiber.Map{"items": out, "truncated": truncated})
}

// partnerUnits serves GET /api/v1/partner-units: the courts and other
// partner units a case may be handed to (judicial confirmation).
func (s *Server) partnerUnits(c *fiber.Ctx) error {
	orgs, err := s.accounts.PartnerUnits(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": toOrgDTOs(orgs)})
}
