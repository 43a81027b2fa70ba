package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// The staff lists of the detention desk (the console's 联合调解 and 回访
// pages).

type jointListItemDTO struct {
	jointMediationDTO
	DetaineeName string `json:"detainee_name"`
	myFeedback
}

func (s *Server) listJointMediations(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := detention.JointFilter{BeforeID: before, Limit: limit, State: detention.JointState(c.Query("state"))}
	if v := c.Query("detainee_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return domain.Invalid(domain.FieldError{Field: "detainee_id", Code: domain.FieldInvalid, Message: "is a detainee ID"})
		}
		f.DetaineeID = id
	}
	items, err := s.custody.ListJoints(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	out := make([]jointListItemDTO, len(items))
	for i := range items {
		out[i] = jointListItemDTO{jointMediationDTO: s.toJointDTO(&items[i].JointMediation), DetaineeName: items[i].DetaineeName,
			myFeedback: myFeedback{s.toFeedbackDTO(items[i].MyFeedback)}}
	}
	return c.JSON(newPage(out, limit, func(d jointListItemDTO) int64 { return d.ID }))
}

type followUpListItemDTO struct {
	followUpDTO
	Detainee followUpPersonDTO `json:"detainee"`
}

func (s *Server) listFollowUps(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	items, err := s.custody.ListFollowUps(c.UserContext(), s.actor(c), detention.FollowUpFilter{BeforeID: before, Limit: limit,
		State: detention.FollowUpState(c.Query("state"))})
	if err != nil {
		return err
	}
	out := make([]followUpListItemDTO, len(items))
	for i := range items {
		d := &items[i].Detainee
		out[i] = followUpListItemDTO{followUpDTO: s.toFollowUpDTO(&items[i].FollowUp), Detainee: followUpPersonDTO{ID: d.ID, Name: d.Name,
			IDNumberMasked: d.IDNumberMasked, CaseCause: d.CaseCause, Label: string(d.Label)}}
	}
	return c.JSON(newPage(out, limit, func(d followUpListItemDTO) int64 { return d.ID }))
}

type jointUnitDTO struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

func (s *Server) listJointUnits(c *fiber.Ctx) error {
	units, err := s.custody.JointUnits(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]jointUnitDTO, len(units))
	for i, o := range units {
		out[i] = jointUnitDTO{ID: o.ID, Kind: o.Kind, Name: o.Name}
	}
	return c.JSON(out)
}
