package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	wo "github.com/tiaojie/tiaojie/domain/workorder"
)

// WorkOrderService is what the work-order handlers need of the domain.
type WorkOrderService interface {
	List(ctx context.Context, a domain.Actor, f wo.Filter) ([]wo.Order, error)
	Get(ctx context.Context, a domain.Actor, id int64) (*wo.Order, []wo.Event, error)
	Claim(ctx context.Context, a domain.Actor, id int64) (*wo.Order, error)
	Complete(ctx context.Context, a domain.Actor, id int64, outcome string) (*wo.Order, error)
	Reassign(ctx context.Context, a domain.Actor, id, unitID, personID int64, reason string) (*wo.Order, error)
	Cancel(ctx context.Context, a domain.Actor, id int64, reason string) (*wo.Order, error)
	Wait(ctx context.Context, a domain.Actor, id int64, reason string) (*wo.Order, error)
	Resume(ctx context.Context, a domain.Actor, id int64) (*wo.Order, error)
	ConfigureUnit(ctx context.Context, a domain.Actor, st wo.UnitSettings) (wo.UnitSettings, error)
	UnitSettingsOf(ctx context.Context, unitID int64) (wo.UnitSettings, error)
}

type workOrderDTO struct {
	ID            int64      `json:"id"`
	Kind          string     `json:"kind"`
	UnitID        int64      `json:"unit_id"`
	PersonID      *int64     `json:"person_id"`
	AssigneeID    *int64     `json:"assignee_id"`
	Priority      int        `json:"priority"`
	State         string     `json:"state"`
	Title         string     `json:"title"`
	ResourceType  string     `json:"resource_type"`
	ResourceID    int64      `json:"resource_id"`
	EscalatedFrom *int64     `json:"escalated_from"`
	Outcome       string     `json:"outcome"`
	DueAt         *time.Time `json:"due_at"`
	Paused        bool       `json:"paused"`
	DeliveredAt   *time.Time `json:"delivered_at"`
	ClaimedAt     *time.Time `json:"claimed_at"`
	ClosedAt      *time.Time `json:"closed_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

type workOrderEventDTO struct {
	At      time.Time `json:"at"`
	ActorID *int64    `json:"actor_id"`
	Action  string    `json:"action"`
	Detail  string    `json:"detail"`
}

func inLoc(t *time.Time, loc *time.Location) *time.Time {
	if t == nil {
		return nil
	}
	v := t.In(loc)
	return &v
}

func toWorkOrderDTO(o *wo.Order, loc *time.Location) workOrderDTO {
	return workOrderDTO{ID: o.ID, Kind: o.Kind, UnitID: o.UnitID, PersonID: optID(o.PersonID), AssigneeID: optID(o.AssigneeID),
		Priority: o.Priority, State: string(o.State), Title: o.Title, ResourceType: o.ResourceType, ResourceID: o.ResourceID,
		EscalatedFrom: optID(o.EscalatedFrom), Outcome: o.Outcome, DueAt: inLoc(o.DueAt, loc), Paused: o.PausedAt != nil,
		DeliveredAt: inLoc(o.DeliveredAt, loc), ClaimedAt: inLoc(o.ClaimedAt, loc), ClosedAt: inLoc(o.ClosedAt, loc),
		CreatedAt: o.CreatedAt.In(loc), UpdatedAt: o.UpdatedAt.In(loc)}
}

var workOrderStates = map[string]bool{"queued": true, "delivered": true, "claimed": true, "completed": true, "escalated": true, "cancelled": true}

func (s *Server) listWorkOrders(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := wo.Filter{BeforeID: before, Limit: limit, Kind: c.Query("kind")}
	var p domain.Problems
	if v := c.Query("state"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !workOrderStates[st] {
				p.Add("state", domain.FieldInvalid, "is a comma list of queued, delivered, claimed, completed, escalated, cancelled")
				break
			}
			f.States = append(f.States, wo.State(st))
		}
	}
	if v := c.Query("unit_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add("unit_id", domain.FieldInvalid, "is a unit ID")
		}
		f.Units = []int64{id}
	}
	if err := p.Err(); err != nil {
		return err
	}
	items, err := s.workOrders.List(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	out := make([]workOrderDTO, len(items))
	for i := range items {
		out[i] = toWorkOrderDTO(&items[i], s.loc)
	}
	return c.JSON(newPage(out, limit, func(d workOrderDTO) int64 { return d.ID }))
}

func (s *Server) getWorkOrder(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	o, events, err := s.workOrders.Get(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	hist := make([]workOrderEventDTO, len(events))
	for i, e := range events {
		hist[i] = workOrderEventDTO{At: e.At.In(s.loc), ActorID: optID(e.ActorID), Action: e.Action, Detail: e.Detail}
	}
	return c.JSON(struct {
		workOrderDTO
		History []workOrderEventDTO `json:"history"`
	}{toWorkOrderDTO(o, s.loc), hist})
}

// actOnWorkOrder serves the order actions; each reads its own body fields.
func (s *Server) actOnWorkOrder(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var body struct {
			Outcome  string `json:"outcome"`
			Reason   string `json:"reason"`
			UnitID   int64  `json:"unit_id"`
			PersonID int64  `json:"person_id"`
		}
		if len(c.Body()) > 0 {
			if err := s.decodeJSON(c, &body); err != nil {
				return err
			}
		}
		ctx, a := c.UserContext(), s.actor(c)
		var o *wo.Order
		switch action {
		case "claim":
			o, err = s.workOrders.Claim(ctx, a, id)
		case "complete":
			o, err = s.workOrders.Complete(ctx, a, id, body.Outcome)
		case "reassign":
			o, err = s.workOrders.Reassign(ctx, a, id, body.UnitID, body.PersonID, body.Reason)
		case "cancel":
			o, err = s.workOrders.Cancel(ctx, a, id, body.Reason)
		case "wait":
			o, err = s.workOrders.Wait(ctx, a, id, body.Reason)
		case "resume":
			o, err = s.workOrders.Resume(ctx, a, id)
		}
		if err != nil {
			return err
		}
		return c.JSON(toWorkOrderDTO(o, s.loc))
	}
}

type unitDispatchDTO struct {
	UnitID     int64  `json:"unit_id"`
	Assignment string `json:"assignment"`
	Hours      string `json:"hours"`
	Weekends   bool   `json:"weekends"`
}

func (s *Server) getUnitDispatch(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st, err := s.workOrders.UnitSettingsOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(unitDispatchDTO{UnitID: id, Assignment: st.Assignment, Hours: st.Hours, Weekends: st.Weekends})
}

func (s *Server) putUnitDispatch(c *fiber.Ctx) error {
	var body unitDispatchDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	st, err := s.workOrders.ConfigureUnit(c.UserContext(), s.actor(c), wo.UnitSettings{UnitID: id, Assignment: body.Assignment, Hours: body.Hours, Weekends: body.Weekends})
	if err != nil {
		return err
	}
	return c.Status(http.StatusOK).JSON(unitDispatchDTO{UnitID: id, Assignment: st.Assignment, Hours: st.Hours, Weekends: st.Weekends})
}
