package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/jointmeeting"
	"github.com/tiaojie/tiaojie/domain/stats"
)

type meetingDTO struct {
	ID          int64               `json:"id"`
	Level       string              `json:"level"`
	AreaID      int64               `json:"area_id"`
	DistrictID  int64               `json:"district_id"`
	Period      string              `json:"period"`
	Title       string              `json:"title"`
	ScheduledAt time.Time           `json:"scheduled_at"`
	State       string              `json:"state"`
	Agenda      jointmeeting.Agenda `json:"agenda"`
	HeldAt      *time.Time          `json:"held_at"`
	Place       string              `json:"place"`
	Attendees   []int64             `json:"attendees"`
	Minutes     string              `json:"minutes"`
	Decisions   string              `json:"decisions"`
	Actions     []meetingActionDTO  `json:"actions,omitempty"`
	Version     int                 `json:"version"`
}

type meetingActionDTO struct {
	ID         int64      `json:"id"`
	MeetingID  int64      `json:"meeting_id"`
	Title      string     `json:"title"`
	AssigneeID int64      `json:"assignee_id"`
	UnitID     int64      `json:"unit_id"`
	DueAt      time.Time  `json:"due_at"`
	State      string     `json:"state"`
	Outcome    string     `json:"outcome"`
	ClosedBy   int64      `json:"closed_by"`
	ClosedAt   *time.Time `json:"closed_at"`
}

func (s *Server) toMeetingActionDTO(a *jointmeeting.Action) meetingActionDTO {
	return meetingActionDTO{ID: a.ID, MeetingID: a.MeetingID, Title: a.Title, AssigneeID: a.AssigneeID, UnitID: a.UnitID, DueAt: a.DueAt.In(s.loc),
		State: string(a.State), Outcome: a.Outcome, ClosedBy: a.ClosedBy, ClosedAt: s.inLoc(a.ClosedAt)}
}

func (s *Server) toMeetingDTO(m *jointmeeting.Meeting, actions []jointmeeting.Action) meetingDTO {
	d := meetingDTO{ID: m.ID, Level: string(m.Level), AreaID: m.AreaID, DistrictID: m.DistrictID, Period: m.Period, Title: m.Title,
		ScheduledAt: m.ScheduledAt.In(s.loc), State: string(m.State), Agenda: m.Agenda, HeldAt: s.inLoc(m.HeldAt), Place: m.Place,
		Attendees: m.Attendees, Minutes: m.Minutes, Decisions: m.Decisions, Version: m.Version}
	if d.Attendees == nil {
		d.Attendees = []int64{}
	}
	if actions != nil {
		d.Actions = make([]meetingActionDTO, len(actions))
		for i := range actions {
			d.Actions[i] = s.toMeetingActionDTO(&actions[i])
		}
	}
	return d
}

func (s *Server) planMeeting(c *fiber.Ctx) error {
	var body struct {
		Level       string    `json:"level"`
		AreaID      int64     `json:"area_id"`
		DistrictID  int64     `json:"district_id"`
		Period      string    `json:"period"`
		ScheduledAt time.Time `json:"scheduled_at"`
		Title       string    `json:"title"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	v, err := s.meetings.Plan(c.UserContext(), s.actor(c), jointmeeting.NewMeeting{Level: jointmeeting.Level(body.Level), AreaID: body.AreaID,
		DistrictID: body.DistrictID, Period: body.Period, ScheduledAt: body.ScheduledAt, Title: body.Title})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toMeetingDTO(&v.Meeting, v.Actions))
}

func (s *Server) listMeetings(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	ms, err := s.meetings.List(c.UserContext(), s.actor(c), before, limit)
	if err != nil {
		return err
	}
	out := make([]meetingDTO, len(ms))
	for i := range ms {
		out[i] = s.toMeetingDTO(&ms[i], nil)
	}
	return c.JSON(newPage(out, limit, func(d meetingDTO) int64 { return d.ID }))
}

func (s *Server) getMeeting(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.meetings.Get(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toMeetingDTO(&v.Meeting, v.Actions))
}

func (s *Server) recordMinutes(c *fiber.Ctx) error {
	var body struct {
		HeldAt    time.Time `json:"held_at"`
		Place     string    `json:"place"`
		Attendees []int64   `json:"attendees"`
		Minutes   string    `json:"minutes"`
		Decisions string    `json:"decisions"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	v, err := s.meetings.RecordMinutes(c.UserContext(), s.actor(c), id, jointmeeting.Minutes{HeldAt: body.HeldAt, Place: body.Place,
		Attendees: body.Attendees, Minutes: body.Minutes, Decisions: body.Decisions})
	if err != nil {
		return err
	}
	return c.JSON(s.toMeetingDTO(&v.Meeting, v.Actions))
}

func (s *Server) addMeetingAction(c *fiber.Ctx) error {
	var body struct {
		Title      string    `json:"title"`
		AssigneeID int64     `json:"assignee_id"`
		DueAt      time.Time `json:"due_at"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	x, err := s.meetings.AddAction(c.UserContext(), s.actor(c), id, jointmeeting.NewAction{Title: body.Title, AssigneeID: body.AssigneeID, DueAt: body.DueAt})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toMeetingActionDTO(x))
}

func (s *Server) closeMeetingAction(c *fiber.Ctx) error {
	var body struct {
		Outcome string `json:"outcome"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	actionID, err := pathID(c, "action_id")
	if err != nil {
		return err
	}
	x, err := s.meetings.CloseAction(c.UserContext(), s.actor(c), id, actionID, body.Outcome)
	if err != nil {
		return err
	}
	return c.JSON(s.toMeetingActionDTO(x))
}

func (s *Server) sendLiaisonDigest(c *fiber.Ctx) error {
	var body struct {
		Week string `json:"week"` // a day of the week, YYYY-MM-DD; empty: this week
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	var week time.Time // zero: this week by the service's clock
	if body.Week != "" {
		if week, err = time.ParseInLocation("2006-01-02", body.Week, s.loc); err != nil {
			return domain.Invalid(domain.FieldError{Field: "week", Code: domain.FieldInvalid, Message: "must be YYYY-MM-DD"})
		}
	}
	d, err := s.meetings.SendDigest(c.UserContext(), s.actor(c), id, week)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"area_id": d.AreaID, "week_start": d.WeekStart.Format("2006-01-02"), "disputes": d.Disputes,
		"open_warnings": d.OpenWarnings, "special_changes": d.SpecialChanges, "open_actions": d.OpenActions, "overdue_actions": d.OverdueActions,
		"recipients": d.Recipients, "text": d.Text})
}

// fusionStatsDTO is police–justice fusion in figures: the register by kind
// and state, contact-plan compliance, meetings held and actions closed.
type fusionStatsDTO struct {
	From            time.Time        `json:"from"`
	To              time.Time        `json:"to"`
	People          []fusionCountDTO `json:"people"`
	Managed         int              `json:"managed"`
	OnPlan          int              `json:"on_plan"`
	Compliance      float64          `json:"compliance"`
	MeetingsHeld    int              `json:"meetings_held"`
	MeetingsPlanned int              `json:"meetings_planned"`
	Actions         int              `json:"actions"`
	ActionsClosed   int              `json:"actions_closed"`
	ActionsOverdue  int              `json:"actions_overdue"`
}

type fusionCountDTO struct {
	Kind  string `json:"kind"`
	State string `json:"state"`
	Count int    `json:"count"`
}

func (s *Server) fusionFigures(ctx context.Context, a domain.Actor, from, to time.Time) (*fusionStatsDTO, error) {
	sum, err := s.register.Summarise(ctx, a, nil)
	if err != nil {
		return nil, err
	}
	t, err := s.meetings.Summarise(ctx, a, from, to)
	if err != nil {
		return nil, err
	}
	out := &fusionStatsDTO{From: from.In(s.loc), To: to.In(s.loc), People: []fusionCountDTO{}, Managed: sum.Managed, OnPlan: sum.OnPlan,
		Compliance: sum.Compliance, MeetingsHeld: t.Held, MeetingsPlanned: t.Planned, Actions: t.Actions, ActionsClosed: t.ActionsClosed,
		ActionsOverdue: t.ActionsOverdue}
	for _, c := range sum.Counts {
		out.People = append(out.People, fusionCountDTO{Kind: c.Kind, State: string(c.State), Count: c.N})
	}
	return out, nil
}

// fusionStats serves GET /api/v1/stats/fusion?month= (default: this month).
func (s *Server) fusionStats(c *fiber.Ctx) error {
	month := c.Query("month")
	if month == "" {
		month = time.Now().In(s.loc).Format("2006-01")
	}
	from, to, err := stats.MonthBounds(month, s.loc)
	if err != nil {
		return err
	}
	out, err := s.fusionFigures(c.UserContext(), s.actor(c), from, to)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
