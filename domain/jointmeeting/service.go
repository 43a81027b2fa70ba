package jointmeeting

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/specialpop"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Service runs the meetings.
type Service struct {
	Tx       domain.TxRunner
	Store    Store
	Sources  Sources
	Register Register
	Orgs     Orgs
	Orders   Orders
	Inbox    Inbox
	Audit    domain.Auditor
	Clock    domain.Clock
	Loc      *time.Location
}

// ActionResource is what work orders call an action item.
const ActionResource = "meeting_action"

var (
	errNotFound       = domain.Errorf(domain.KindNotFound, "meeting.not_found", "No such meeting.")
	errActionNotFound = domain.Errorf(domain.KindNotFound, "meeting_action.not_found", "No such action item.")
)

func (s *Service) loc() *time.Location {
	if s.Loc == nil {
		return time.UTC
	}
	return s.Loc
}

// scope is the areas the actor works in and their districts.
type scope struct {
	areas     []specialpop.Area
	districts []int64
	wide      bool // a supervisor or admin: may hold district meetings
}

func (s *Service) scope(ctx context.Context, a domain.Actor) (scope, error) {
	areas, err := s.Register.AreasOf(ctx, a)
	sc := scope{areas: areas, wide: a.Has("supervisor", "admin")}
	for _, ar := range areas {
		if !slices.Contains(sc.districts, ar.DistrictID) {
			sc.districts = append(sc.districts, ar.DistrictID)
		}
	}
	return sc, err
}

func (sc scope) area(id int64) (specialpop.Area, bool) {
	for _, ar := range sc.areas {
		if ar.ID == id {
			return ar, true
		}
	}
	return specialpop.Area{}, false
}

func (sc scope) areasOf(district int64) []specialpop.Area {
	var out []specialpop.Area
	for _, ar := range sc.areas {
		if ar.DistrictID == district {
			out = append(out, ar)
		}
	}
	return out
}

func (sc scope) sees(m *Meeting) bool {
	if m.Level == LevelArea {
		_, ok := sc.area(m.AreaID)
		return ok
	}
	return slices.Contains(sc.districts, m.DistrictID)
}

// NewMeeting plans a meeting.
type NewMeeting struct {
	Level       Level
	AreaID      int64  // area meetings
	DistrictID  int64  // district meetings
	Period      string // 2026-11 for an area, 2026-Q4 for a district
	ScheduledAt time.Time
	Title       string
}

// period is the month or quarter a period names, in the deployment's zone.
func (s *Service) period(level Level, p string) (time.Time, time.Time, bool) {
	if level == LevelArea {
		from, err := time.ParseInLocation("2006-01", p, s.loc())
		return from, from.AddDate(0, 1, 0), err == nil
	}
	y, q, ok := strings.Cut(p, "-Q")
	year, yerr := strconv.Atoi(y)
	n, qerr := strconv.Atoi(q)
	if !ok || yerr != nil || qerr != nil || n < 1 || n > 4 || year < 2000 || year > 2100 {
		return time.Time{}, time.Time{}, false
	}
	from := time.Date(year, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, s.loc())
	return from, from.AddDate(0, 3, 0), true
}

// Plan plans a meeting and prepares its agenda: an area's month (its
// disputes, open warnings, special-population changes and the open items of
// earlier meetings) or a district's quarter (the same for every area, with
// each area's figures). Staff of an area's offices plan its meetings; a
// district's supervisors and admins plan the district's.
func (s *Service) Plan(ctx context.Context, a domain.Actor, n NewMeeting) (*MeetingView, error) {
	n.Title = strings.TrimSpace(n.Title)
	sc, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	var p domain.Problems
	from, to, ok := s.period(n.Level, n.Period)
	if n.Level != LevelArea && n.Level != LevelDistrict {
		p.Add("level", domain.FieldUnsupported, "must be area or district")
	} else if !ok {
		p.Add("period", domain.FieldInvalid, "must be YYYY-MM for an area, YYYY-Qn for a district")
	}
	if n.ScheduledAt.IsZero() {
		p.Add("scheduled_at", domain.FieldRequired, "is required")
	}
	if utf8.RuneCountInString(n.Title) > 100 {
		p.Add("title", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	m := &Meeting{Level: n.Level, Period: n.Period, ScheduledAt: n.ScheduledAt.UTC(), State: Planned, Title: n.Title, Attendees: []int64{}, CreatedBy: a.UserID}
	var areas []specialpop.Area
	if n.Level == LevelArea {
		ar, ok := sc.area(n.AreaID)
		if !ok {
			return nil, domain.Errorf(domain.KindNotFound, "fusion_area.not_found", "No such area.")
		}
		areas, m.AreaID, m.DistrictID = []specialpop.Area{ar}, ar.ID, ar.DistrictID
		if m.Title == "" {
			m.Title = ar.Name + " " + n.Period + " 警法融合分析研判会"
		}
	} else {
		if !sc.wide || !slices.Contains(sc.districts, n.DistrictID) {
			return nil, domain.Errorf(domain.KindForbidden, "meeting.district_forbidden", "Only the district's supervisors and admins hold its joint meeting.")
		}
		areas, m.DistrictID = sc.areasOf(n.DistrictID), n.DistrictID
		if m.Title == "" {
			m.Title = "警法融合联席会 " + n.Period
		}
	}
	if m.Agenda, err = s.agenda(ctx, n.Level, areas, from, to); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	m.CreatedAt, m.UpdatedAt, m.Version = now, now, 1
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateMeeting(ctx, m); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return domain.Errorf(domain.KindConflict, "meeting.exists", "This meeting is planned already.")
			}
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "meeting.plan", "meeting", m.ID, string(m.Level)+" "+m.Period))
	})
	if err != nil {
		return nil, err
	}
	return &MeetingView{Meeting: *m, Actions: []Action{}}, nil
}

func (s *Service) agenda(ctx context.Context, level Level, areas []specialpop.Area, from, to time.Time) (Agenda, error) {
	ag := Agenda{From: from.UTC(), To: to.UTC(), Disputes: []Dispute{}, OpenWarnings: []OpenWarning{}, SpecialChanges: []SpecialChange{}, OpenActions: []ActionSummary{}}
	var stations, areaIDs, districts []int64
	for _, ar := range areas {
		stations, areaIDs = append(stations, ar.StationID), append(areaIDs, ar.ID)
		if !slices.Contains(districts, ar.DistrictID) {
			districts = append(districts, ar.DistrictID)
		}
	}
	if len(areas) == 0 {
		return ag, nil
	}
	disputes, err := s.Sources.Disputes(ctx, stations, from, to)
	if err != nil {
		return ag, err
	}
	warnings, err := s.Sources.OpenWarnings(ctx, stations)
	if err != nil {
		return ag, err
	}
	changes, err := s.Register.Changes(ctx, areaIDs, from, to)
	if err != nil {
		return ag, err
	}
	var actionDistricts []int64
	if level == LevelDistrict {
		actionDistricts = districts
	}
	open, err := s.Store.OpenActions(ctx, areaIDs, actionDistricts)
	if err != nil {
		return ag, err
	}
	ag.Disputes = append(ag.Disputes, disputes...)
	ag.OpenWarnings = append(ag.OpenWarnings, warnings...)
	for _, c := range changes {
		if c.Type == specialpop.RecVisit || c.Type == specialpop.RecHelp || c.Type == specialpop.RecPlan {
			continue // routine work, not a change
		}
		ag.SpecialChanges = append(ag.SpecialChanges, SpecialChange{PersonID: c.PersonID, Type: c.Type, ToState: string(c.ToState), At: c.At.UTC()})
	}
	for _, x := range open {
		ag.OpenActions = append(ag.OpenActions, ActionSummary{ID: x.ID, Title: x.Title, DueAt: x.DueAt.UTC()})
	}
	if level == LevelDistrict {
		for _, ar := range areas {
			f := AreaFigures{AreaID: ar.ID}
			sub, err := s.agenda(ctx, LevelArea, []specialpop.Area{ar}, from, to)
			if err != nil {
				return ag, err
			}
			f.Disputes, f.OpenWarnings, f.SpecialChanges, f.OpenActions = len(sub.Disputes), len(sub.OpenWarnings), len(sub.SpecialChanges), len(sub.OpenActions)
			ag.Areas = append(ag.Areas, f)
		}
	}
	return ag, nil
}

// MeetingView is a meeting with its action items.
type MeetingView struct {
	Meeting Meeting
	Actions []Action
}

func (s *Service) visible(ctx context.Context, a domain.Actor, id int64) (*Meeting, scope, error) {
	sc, err := s.scope(ctx, a)
	if err != nil {
		return nil, sc, err
	}
	m, err := s.Store.Meeting(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) || err == nil && !sc.sees(m) {
		return nil, sc, errNotFound
	}
	return m, sc, err
}

// Get reads a meeting with its items.
func (s *Service) Get(ctx context.Context, a domain.Actor, id int64) (*MeetingView, error) {
	m, _, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	actions, err := s.Store.Actions(ctx, id)
	return &MeetingView{Meeting: *m, Actions: actions}, err
}

// List pages the meetings of the actor's areas and districts; a caller who
// works in no area (a citizen) finds nothing.
func (s *Service) List(ctx context.Context, a domain.Actor, before int64, limit int) ([]Meeting, error) {
	if a.OrgID == 0 {
		return nil, errNotFound
	}
	sc, err := s.scope(ctx, a)
	if err != nil || len(sc.areas) == 0 {
		return nil, err
	}
	f := Filter{DistrictIDs: sc.districts, Before: before, Limit: limit}
	for _, ar := range sc.areas {
		f.AreaIDs = append(f.AreaIDs, ar.ID)
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	return s.Store.Meetings(ctx, f)
}

// Minutes are what a meeting decided and who came.
type Minutes struct {
	HeldAt    time.Time
	Place     string
	Attendees []int64
	Minutes   string
	Decisions string
}

// RecordMinutes writes (or corrects) a meeting's minutes; the meeting is
// held from then on.
func (s *Service) RecordMinutes(ctx context.Context, a domain.Actor, id int64, mi Minutes) (*MeetingView, error) {
	mi.Place, mi.Minutes, mi.Decisions = strings.TrimSpace(mi.Place), strings.TrimSpace(mi.Minutes), strings.TrimSpace(mi.Decisions)
	var p domain.Problems
	if mi.HeldAt.IsZero() {
		p.Add("held_at", domain.FieldRequired, "is required")
	} else if mi.HeldAt.After(s.Clock.Now().Add(time.Hour)) {
		p.Add("held_at", domain.FieldOutOfRange, "is in the future")
	}
	if utf8.RuneCountInString(mi.Place) > 100 {
		p.Add("place", domain.FieldTooLong, "is too long")
	}
	if p.Require("minutes", mi.Minutes) && utf8.RuneCountInString(mi.Minutes) > 10000 {
		p.Add("minutes", domain.FieldTooLong, "is too long")
	}
	if utf8.RuneCountInString(mi.Decisions) > 5000 {
		p.Add("decisions", domain.FieldTooLong, "is too long")
	}
	if len(mi.Attendees) == 0 || len(mi.Attendees) > 50 {
		p.Add("attendees", domain.FieldOutOfRange, "1 to 50 staff")
	}
	for i, u := range mi.Attendees {
		if _, err := s.Orgs.OrgOfUser(ctx, u); domain.IsKind(err, domain.KindNotFound) {
			p.Add(fmt.Sprintf("attendees[%d]", i), domain.FieldDoesNotExist, "is not a staff member")
		} else if err != nil {
			return nil, err
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *MeetingView
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		m, _, err := s.visible(ctx, a, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		held := mi.HeldAt.UTC()
		m.State, m.HeldAt, m.Place, m.Attendees, m.Minutes, m.Decisions, m.UpdatedAt = Held, &held, mi.Place, slices.Compact(slices.Sorted(slices.Values(mi.Attendees))), mi.Minutes, mi.Decisions, now
		if ok, err := s.Store.UpdateMeeting(ctx, m); err != nil {
			return err
		} else if !ok {
			return domain.Errorf(domain.KindConflict, "meeting.changed", "The meeting changed meanwhile; reload it and try again.")
		}
		actions, err := s.Store.Actions(ctx, id)
		out = &MeetingView{Meeting: *m, Actions: actions}
		if err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "meeting.minutes", "meeting", id, ""))
	})
	return out, err
}

// NewAction is an action item decided at a meeting.
type NewAction struct {
	Title      string
	AssigneeID int64
	DueAt      time.Time
}

// AddAction makes an action item of a held meeting and its work order to
// the assignee (who works at one of the area's offices, or for a district
// meeting at one of the district's), due at the item's deadline.
func (s *Service) AddAction(ctx context.Context, a domain.Actor, meetingID int64, n NewAction) (*Action, error) {
	n.Title = strings.TrimSpace(n.Title)
	var p domain.Problems
	if p.Require("title", n.Title) && utf8.RuneCountInString(n.Title) > 200 {
		p.Add("title", domain.FieldTooLong, "is too long")
	}
	if n.DueAt.IsZero() {
		p.Add("due_at", domain.FieldRequired, "is required")
	} else if !n.DueAt.After(s.Clock.Now()) {
		p.Add("due_at", domain.FieldOutOfRange, "must be in the future")
	}
	if n.AssigneeID == 0 {
		p.Add("assignee_id", domain.FieldRequired, "is required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Action
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		m, sc, err := s.visible(ctx, a, meetingID)
		if err != nil {
			return err
		}
		if m.State != Held {
			return domain.Errorf(domain.KindFailedPrecondition, "meeting.not_held", "Write the minutes before the action items.")
		}
		unit, err := s.Orgs.OrgOfUser(ctx, n.AssigneeID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		var offices []int64
		areas := sc.areasOf(m.DistrictID)
		if m.Level == LevelArea {
			ar, _ := sc.area(m.AreaID)
			areas = []specialpop.Area{ar}
		} else {
			offices = append(offices, m.DistrictID)
		}
		for _, ar := range areas {
			offices = append(offices, ar.Offices()...)
		}
		if err != nil || !slices.Contains(offices, unit) {
			return domain.Invalid(domain.FieldError{Field: "assignee_id", Code: domain.FieldDoesNotExist, Message: "does not work at the meeting's offices"})
		}
		now := s.Clock.Now()
		x := &Action{MeetingID: m.ID, Title: n.Title, AssigneeID: n.AssigneeID, UnitID: unit, DueAt: n.DueAt.UTC(), State: ActionOpen, CreatedBy: a.UserID, CreatedAt: now}
		if err := s.Store.CreateAction(ctx, x); err != nil {
			return err
		}
		due := x.DueAt
		if err := s.Orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindMeetingAction, UnitID: unit, PersonID: n.AssigneeID, Priority: 2,
			Title: "会商事项：" + n.Title, ResourceType: ActionResource, ResourceID: x.ID, DueAt: &due,
			DedupeKey: "meeting_action:" + strconv.FormatInt(x.ID, 10)}); err != nil {
			return err
		}
		out = x
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "meeting_action.create", ActionResource, x.ID, ""))
	})
	return out, err
}

// CloseAction closes an item of a meeting the actor sees, with what was
// done; its work order is completed (meeting_action.closed).
func (s *Service) CloseAction(ctx context.Context, a domain.Actor, meetingID, actionID int64, outcome string) (*Action, error) {
	outcome = strings.TrimSpace(outcome)
	var p domain.Problems
	if p.Require("outcome", outcome) && utf8.RuneCountInString(outcome) > 500 {
		p.Add("outcome", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Action
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, _, err := s.visible(ctx, a, meetingID); err != nil {
			return err
		}
		x, err := s.Store.Action(ctx, actionID)
		if domain.IsKind(err, domain.KindNotFound) || err == nil && x.MeetingID != meetingID {
			return errActionNotFound
		}
		if err != nil {
			return err
		}
		if err := s.close(ctx, a, x, outcome); err != nil {
			return err
		}
		out = x
		_, err = s.Orders.Settle(ctx, a, workorder.CauseMeetingActionClosed, x.ID)
		return err
	})
	return out, err
}

func (s *Service) close(ctx context.Context, a domain.Actor, x *Action, outcome string) error {
	if x.State != ActionOpen {
		return domain.Errorf(domain.KindFailedPrecondition, "meeting_action.closed", "This action item is closed already.")
	}
	now := s.Clock.Now()
	x.State, x.Outcome, x.ClosedBy, x.ClosedAt = ActionClosed, outcome, a.UserID, &now
	if ok, err := s.Store.CloseAction(ctx, x); err != nil {
		return err
	} else if !ok {
		return domain.Errorf(domain.KindConflict, "meeting_action.changed", "The action item changed meanwhile; reload it.")
	}
	return s.Audit.Audit(ctx, domain.AuditOf(a, now, "meeting_action.close", ActionResource, x.ID, ""))
}

// OrderCompleted implements workorder.Follower: the assignee completing
// the item's order closes the item with the order's outcome.
func (s *Service) OrderCompleted(ctx context.Context, a domain.Actor, o *workorder.Order) error {
	x, err := s.Store.Action(ctx, o.ResourceID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil
	}
	if err != nil || x.State != ActionOpen {
		return err
	}
	return s.close(ctx, a, x, o.Outcome)
}

var _ workorder.Follower = (*Service)(nil)
