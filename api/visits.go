package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	dt "github.com/tiaojie/tiaojie/domain/detention"
)

// VisitService is what the visit-booking handlers (会见预约) need of the
// domain. *detention.Visits implements it.
type VisitService interface {
	VisitFeedback(ctx context.Context, a domain.Actor, bookingID int64, stars int, comment string) (*dt.Feedback, error)
	VisitRulesOf(ctx context.Context, centreID int64) (dt.VisitRules, error)
	SetVisitRules(ctx context.Context, a domain.Actor, centreID int64, r dt.VisitRules) (dt.VisitRules, error)
	VisitTemplates(ctx context.Context, a domain.Actor, centreID int64) ([]dt.VisitTemplate, error)
	ReplaceVisitTemplates(ctx context.Context, a domain.Actor, centreID int64, ts []dt.VisitTemplate) ([]dt.VisitTemplate, error)
	BlockedDates(ctx context.Context, a domain.Actor, centreID int64) ([]dt.BlockedDate, error)
	BlockDate(ctx context.Context, a domain.Actor, centreID int64, day, reason string) (*dt.BlockedDate, error)
	UnblockDate(ctx context.Context, a domain.Actor, centreID int64, day string) error
	VisitSlots(ctx context.Context, centreID int64, fromDay, toDay string) ([]dt.VisitSlot, error)
	HoldSeat(ctx context.Context, a domain.Actor, slotID, detaineeID int64) (*dt.VisitHold, error)
	Book(ctx context.Context, a domain.Actor, n dt.NewBooking, idemKey string) (*dt.VisitBooking, bool, error)
	Booking(ctx context.Context, a domain.Actor, id int64) (*dt.BookingView, error)
	ListBookings(ctx context.Context, a domain.Actor, f dt.BookingFilter) ([]dt.BookingItem, error)
	Approve(ctx context.Context, a domain.Actor, id int64) (*dt.VisitBooking, error)
	Refuse(ctx context.Context, a domain.Actor, id int64, reason string) (*dt.VisitBooking, error)
	Cancel(ctx context.Context, a domain.Actor, id int64, reason string) (*dt.VisitBooking, error)
	Reschedule(ctx context.Context, a domain.Actor, id, slotID int64) (*dt.VisitBooking, error)
	MarkAttendance(ctx context.Context, a domain.Actor, id int64, outcome string) (*dt.VisitBooking, error)
}

var _ VisitService = (*dt.Visits)(nil)

// Who reaches the visit routes (the domain then checks the centre): the
// centres' staff and those above them, and the families.
var (
	visitDesk    = []string{account.RoleDetentionStaff, supervisor, admin}
	visitReaders = []string{citizen, account.RoleDetentionStaff, supervisor, admin}
)

type visitSlotDTO struct {
	ID        int64     `json:"id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Mode      string    `json:"mode"`
	Capacity  int       `json:"capacity"`
	Remaining int       `json:"remaining"`
}

func (s *Server) listVisitSlots(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	slots, err := s.visits.VisitSlots(c.UserContext(), id, c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	out := make([]visitSlotDTO, len(slots))
	for i, v := range slots {
		out[i] = visitSlotDTO{ID: v.ID, StartsAt: v.StartsAt.In(s.loc), EndsAt: v.EndsAt.In(s.loc), Mode: string(v.Mode),
			Capacity: v.Capacity, Remaining: v.Remaining()}
	}
	return c.JSON(fiber.Map{"items": out})
}

type visitRulesDTO struct {
	MinDaysAhead int `json:"min_days_ahead"`
	MaxDaysAhead int `json:"max_days_ahead"`
	HoldMinutes  int `json:"hold_minutes"`
	MaxVisitors  int `json:"max_visitors"`
	CancelHours  int `json:"cancel_hours"`
	NoShowLimit  int `json:"no_show_limit"`
	SuspendDays  int `json:"suspend_days"`
}

func toVisitRulesDTO(r dt.VisitRules) visitRulesDTO {
	return visitRulesDTO{MinDaysAhead: r.MinDaysAhead, MaxDaysAhead: r.MaxDaysAhead, HoldMinutes: r.HoldMinutes, MaxVisitors: r.MaxVisitors,
		CancelHours: r.CancelHours, NoShowLimit: r.NoShowLimit, SuspendDays: r.SuspendDays}
}

func (s *Server) getVisitRules(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.visits.VisitRulesOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(toVisitRulesDTO(r))
}

func (s *Server) putVisitRules(c *fiber.Ctx) error {
	var body visitRulesDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	r, err := s.visits.SetVisitRules(c.UserContext(), s.actor(c), id, dt.VisitRules{MinDaysAhead: body.MinDaysAhead,
		MaxDaysAhead: body.MaxDaysAhead, HoldMinutes: body.HoldMinutes, MaxVisitors: body.MaxVisitors, CancelHours: body.CancelHours,
		NoShowLimit: body.NoShowLimit, SuspendDays: body.SuspendDays})
	if err != nil {
		return err
	}
	return c.JSON(toVisitRulesDTO(r))
}

type visitTemplateDTO struct {
	ID        int64   `json:"id"`
	Weekday   int     `json:"weekday"`
	Start     string  `json:"start"`
	End       string  `json:"end"`
	Mode      string  `json:"mode"`
	Capacity  int     `json:"capacity"`
	ValidFrom string  `json:"valid_from"`
	ValidTo   *string `json:"valid_to"`
}

type visitTemplatesDTO struct {
	Templates []visitTemplateDTO `json:"templates"`
}

func toVisitTemplatesDTO(ts []dt.VisitTemplate) visitTemplatesDTO {
	out := visitTemplatesDTO{Templates: make([]visitTemplateDTO, len(ts))}
	for i, t := range ts {
		d := visitTemplateDTO{ID: t.ID, Weekday: t.Weekday, Start: t.Start, End: t.End, Mode: string(t.Mode), Capacity: t.Capacity, ValidFrom: t.ValidFrom}
		if t.ValidTo != "" {
			to := t.ValidTo
			d.ValidTo = &to
		}
		out.Templates[i] = d
	}
	return out
}

func (s *Server) getVisitTemplates(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ts, err := s.visits.VisitTemplates(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toVisitTemplatesDTO(ts))
}

func (s *Server) putVisitTemplates(c *fiber.Ctx) error {
	var body struct {
		Templates []struct {
			ID        int64   `json:"id"` // as read back; replaced templates get new IDs
			Weekday   int     `json:"weekday"`
			Start     string  `json:"start"`
			End       string  `json:"end"`
			Mode      string  `json:"mode"`
			Capacity  int     `json:"capacity"`
			ValidFrom string  `json:"valid_from"`
			ValidTo   *string `json:"valid_to"`
		} `json:"templates"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	ts := make([]dt.VisitTemplate, len(body.Templates))
	for i, t := range body.Templates {
		ts[i] = dt.VisitTemplate{Weekday: t.Weekday, Start: t.Start, End: t.End, Mode: dt.VisitMode(t.Mode), Capacity: t.Capacity, ValidFrom: t.ValidFrom}
		if t.ValidTo != nil {
			ts[i].ValidTo = *t.ValidTo
		}
	}
	saved, err := s.visits.ReplaceVisitTemplates(c.UserContext(), s.actor(c), id, ts)
	if err != nil {
		return err
	}
	return c.JSON(toVisitTemplatesDTO(saved))
}

type blockedDateDTO struct {
	Date      string    `json:"date"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

func (s *Server) listBlockedDates(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	days, err := s.visits.BlockedDates(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	out := make([]blockedDateDTO, len(days))
	for i, d := range days {
		out[i] = blockedDateDTO{Date: d.Day, Reason: d.Reason, CreatedAt: d.CreatedAt.In(s.loc)}
	}
	return c.JSON(fiber.Map{"items": out})
}

func (s *Server) blockDate(c *fiber.Ctx) error {
	var body struct {
		Date   string `json:"date"`
		Reason string `json:"reason"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	b, err := s.visits.BlockDate(c.UserContext(), s.actor(c), id, body.Date, body.Reason)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(blockedDateDTO{Date: b.Day, Reason: b.Reason, CreatedAt: b.CreatedAt.In(s.loc)})
}

func (s *Server) unblockDate(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.visits.UnblockDate(c.UserContext(), s.actor(c), id, utils.CopyString(c.Params("date"))); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

type visitHoldDTO struct {
	ID         int64     `json:"id"`
	SlotID     int64     `json:"slot_id"`
	DetaineeID int64     `json:"detainee_id"`
	ExpiresAt  time.Time `json:"expires_at"`
}

func (s *Server) holdVisitSlot(c *fiber.Ctx) error {
	var body struct {
		DetaineeID int64 `json:"detainee_id"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	h, err := s.visits.HoldSeat(c.UserContext(), s.actor(c), id, body.DetaineeID)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(visitHoldDTO{ID: h.ID, SlotID: h.SlotID, DetaineeID: h.DetaineeID, ExpiresAt: h.ExpiresAt.In(s.loc)})
}

type visitorDTO struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

type visitBookingDTO struct {
	ID           int64        `json:"id"`
	CentreID     int64        `json:"centre_id"`
	DetaineeID   int64        `json:"detainee_id"`
	SlotID       int64        `json:"slot_id"`
	BookerID     int64        `json:"booker_id"`
	Relationship string       `json:"relationship"`
	Visitors     []visitorDTO `json:"visitors"`
	Mode         string       `json:"mode"`
	StartsAt     time.Time    `json:"starts_at"`
	EndsAt       time.Time    `json:"ends_at"`
	Status       string       `json:"status"`
	Reason       string       `json:"reason"`
	RoomID       *string      `json:"room_id"`
	DecidedAt    *time.Time   `json:"decided_at"`
	CancelledAt  *time.Time   `json:"cancelled_at"`
	MarkedAt     *time.Time   `json:"marked_at"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// toVisitBookingDTO shows ID numbers (stored masked) and phones masked to
// everyone, staff included.
func (s *Server) toVisitBookingDTO(b *dt.VisitBooking) visitBookingDTO {
	vs := make([]visitorDTO, len(b.Visitors))
	for i, v := range b.Visitors {
		vs[i] = visitorDTO{Name: v.Name, IDNumber: v.IDNumber, Phone: domain.MaskPhone(v.Phone)}
	}
	var room *string
	if b.RoomID != "" {
		r := b.RoomID
		room = &r
	}
	return visitBookingDTO{ID: b.ID, CentreID: b.CentreID, DetaineeID: b.DetaineeID, SlotID: b.SlotID, BookerID: b.BookerID,
		Relationship: b.Relationship, Visitors: vs, Mode: string(b.Mode), StartsAt: b.StartsAt.In(s.loc), EndsAt: b.EndsAt.In(s.loc),
		Status: string(b.Status), Reason: b.Reason, RoomID: room, DecidedAt: inLoc(b.DecidedAt, s.loc), CancelledAt: inLoc(b.CancelledAt, s.loc),
		MarkedAt: inLoc(b.MarkedAt, s.loc), CreatedAt: b.CreatedAt.In(s.loc), UpdatedAt: b.UpdatedAt.In(s.loc)}
}

func (s *Server) createVisitBooking(c *fiber.Ctx) error {
	var body struct {
		DetaineeID   int64        `json:"detainee_id"`
		SlotID       int64        `json:"slot_id"`
		Relationship string       `json:"relationship"`
		Visitors     []visitorDTO `json:"visitors"`
		HoldID       int64        `json:"hold_id"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	n := dt.NewBooking{DetaineeID: body.DetaineeID, SlotID: body.SlotID, Relationship: body.Relationship, HoldID: body.HoldID,
		Visitors: make([]dt.Visitor, len(body.Visitors))}
	for i, v := range body.Visitors {
		n.Visitors[i] = dt.Visitor{Name: v.Name, IDNumber: v.IDNumber, Phone: v.Phone}
	}
	b, created, err := s.visits.Book(c.UserContext(), s.actor(c), n, utils.CopyString(c.Get("Idempotency-Key")))
	if err != nil {
		return err
	}
	if !created {
		c.Set("Idempotent-Replayed", "true")
	}
	return c.Status(http.StatusCreated).JSON(s.toVisitBookingDTO(b))
}

var visitBookingStatuses = map[string]bool{"pending": true, "approved": true, "refused": true, "cancelled": true, "attended": true, "no_show": true}

func (s *Server) listVisitBookings(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := dt.BookingFilter{BeforeID: before, Limit: limit}
	var p domain.Problems
	if v := c.Query("status"); v != "" {
		if !visitBookingStatuses[v] {
			p.Add("status", domain.FieldUnsupported, "is a booking status")
		}
		f.Statuses = []dt.BookingStatus{dt.BookingStatus(v)}
	}
	for _, q := range []struct {
		name string
		set  func(int64)
	}{
		{"detainee_id", func(id int64) { f.DetaineeID = id }},
		{"centre_id", func(id int64) { f.Centres = []int64{id} }},
	} {
		if v := c.Query(q.name); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				p.Add(q.name, domain.FieldInvalid, "is an ID")
			}
			q.set(id)
		}
	}
	// from and to (YYYY-MM-DD, inclusive) bound the visit's day: a calendar's
	// week or month.
	if v := c.Query("from"); v != "" {
		f.StartsFrom = s.parseDetentionDate(&p, "from", v)
	}
	if v := c.Query("to"); v != "" {
		if to := s.parseDetentionDate(&p, "to", v); !to.IsZero() {
			f.StartsTo = to.AddDate(0, 0, 1)
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	items, err := s.visits.ListBookings(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	type item struct {
		visitBookingDTO
		myFeedback
	}
	out := make([]item, len(items))
	for i := range items {
		out[i] = item{s.toVisitBookingDTO(&items[i].VisitBooking), myFeedback{s.toFeedbackDTO(items[i].MyFeedback)}}
	}
	return c.JSON(newPage(out, limit, func(d item) int64 { return d.ID }))
}

type visitEventDTO struct {
	At      time.Time `json:"at"`
	ActorID *int64    `json:"actor_id"`
	Action  string    `json:"action"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Detail  string    `json:"detail"`
}

func (s *Server) getVisitBooking(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.visits.Booking(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	hist := make([]visitEventDTO, len(v.Events))
	for i, e := range v.Events {
		hist[i] = visitEventDTO{At: e.At.In(s.loc), ActorID: optID(e.ActorID), Action: e.Action, From: string(e.From), To: string(e.To), Detail: e.Detail}
	}
	return c.JSON(struct {
		visitBookingDTO
		myFeedback
		History []visitEventDTO `json:"history"`
	}{s.toVisitBookingDTO(&v.Booking), myFeedback{s.toFeedbackDTO(v.MyFeedback)}, hist})
}

// actOnVisitBooking serves the booking actions; each reads its own fields.
func (s *Server) actOnVisitBooking(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var body struct {
			Reason  string `json:"reason"`
			SlotID  int64  `json:"slot_id"`
			Outcome string `json:"outcome"`
		}
		if len(c.Body()) > 0 {
			if err := s.decodeJSON(c, &body); err != nil {
				return err
			}
		}
		ctx, a := c.UserContext(), s.actor(c)
		var b *dt.VisitBooking
		switch action {
		case "approve":
			b, err = s.visits.Approve(ctx, a, id)
		case "refuse":
			b, err = s.visits.Refuse(ctx, a, id, body.Reason)
		case "cancel":
			b, err = s.visits.Cancel(ctx, a, id, body.Reason)
		case "reschedule":
			b, err = s.visits.Reschedule(ctx, a, id, body.SlotID)
		case "attendance":
			b, err = s.visits.MarkAttendance(ctx, a, id, body.Outcome)
		}
		if err != nil {
			return err
		}
		return c.JSON(s.toVisitBookingDTO(b))
	}
}
