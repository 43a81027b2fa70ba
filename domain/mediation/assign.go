package mediation

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// EventNextShift is the timeline entry of a case that came in while no
// lawyer was on duty and went to the next shift's: staff and the citizen
// read on the timeline why nobody answers before the morning.
const EventNextShift = "assigned_next_shift"

// beijing is the zone times are written in on the timeline (China has one
// zone and no daylight saving).
var beijing = time.FixedZone("CST", 8*60*60)

// nextShiftNote says who the case waits for and from when.
func nextShiftNote(asg Assignment, class Classification) string {
	legal := asg.Assistant
	if class.lawyerLeads() {
		legal = asg.Lead
	}
	name := legal.Name
	if name == "" {
		name = "（编号 " + strconv.FormatInt(legal.UserID, 10) + "）"
	}
	return "值班时间外受理，已指派下一班次律师 " + name + "，其值班自 " +
		asg.NextShift.In(beijing).Format("2006年1月2日 15:04") + "（北京时间）开始。"
}

// manualAssignmentOrder asks the station to staff a case routing could not:
// nobody of the station is free now or on a coming shift. The order is about
// the request; its text names the way to do it, POST
// /api/v1/requests/{id}/assign, which also finishes the order.
func manualAssignmentOrder(r *Request) OrderRequest {
	return OrderRequest{Kind: "assignment", UnitID: r.Filing.StationID, Priority: 1,
		Title:        "调解案件需人工指派：请在案件中指定主调与协助人员（指派 /api/v1/requests/" + strconv.FormatInt(r.ID, 10) + "/assign）",
		ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "assign-manual")}
}

// Staffing is a lead and an assistant chosen by hand; a zero ID keeps the
// case's current one.
type Staffing struct {
	LeadID, AssistantID int64
	Note                string
}

// Assign staffs a case by hand. Police of the case's station and
// supervisors over it name the lead and the assistant of a screened case
// (one routing could not staff), or replace either on a case assigned or in
// mediation. The people must belong to the station — its officers, the
// lawyers and mediators serving it — on the sides the classification wants
// (CheckStaffing); duty hours and load are the assigner's judgement. The
// change, its timeline entry and audit line, the new people's assignment
// orders and the closing of the "人工指派" order are one transaction.
// Naming the case's current lead and assistant again changes nothing.
func (s *Service) Assign(ctx context.Context, a domain.Actor, id int64, st Staffing) (*Request, error) {
	st.Note = strings.TrimSpace(st.Note)
	var p domain.Problems
	if st.LeadID < 0 {
		p.Add("lead_id", domain.FieldOutOfRange, "is not a user ID")
	}
	if st.AssistantID < 0 {
		p.Add("assistant_id", domain.FieldOutOfRange, "is not a user ID")
	}
	if st.LeadID == 0 && st.AssistantID == 0 {
		p.Add("lead_id", domain.FieldRequired, "name the lead, the assistant or both")
	}
	if utf8.RuneCountInString(st.Note) > 500 {
		p.Add("note", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if r, same, err := s.alreadyStaffed(ctx, a, id, st); err != nil || same {
		return r, err
	}
	return s.change(ctx, a, id, func(ctx context.Context, r *Request, c *changes) error {
		if !a.Has(RolePolice, RoleSupervisor) {
			return errNotYours()
		}
		if ok, err := s.inScope(ctx, a, r.Filing.StationID); err != nil {
			return err
		} else if !ok {
			return errNotYours()
		}
		action, event := ActionReassign, "reassigned"
		if r.Status == StatusScreened {
			action, event = ActionAssign, "assigned"
		}
		if _, err := Next(r.Status, action); err != nil {
			return err
		}
		lead, assistant := keep(st.LeadID, r.LeadID), keep(st.AssistantID, r.AssistantID)
		people, err := s.Directory.Candidates(ctx, r.Filing.StationID)
		if err != nil {
			return err
		}
		if err := CheckStaffing(r.Classification, r.Filing.StationID, people, lead, assistant); err != nil {
			return err
		}
		note := "人工指派：主调 " + nameOf(people, lead) + "，协助 " + nameOf(people, assistant)
		if st.Note != "" {
			note += "；" + st.Note
		}
		for _, who := range []struct {
			id, was     int64
			role, title string
		}{{lead, r.LeadID, "lead", "您有新的调解案件（主调）"}, {assistant, r.AssistantID, "assistant", "您有新的调解案件（协助）"}} {
			if who.id != who.was {
				c.order(OrderRequest{Kind: "assignment", UnitID: r.Filing.StationID, PersonID: who.id, Priority: 2, Title: who.title,
					ResourceType: "request", ResourceID: r.ID, DedupeKey: key(r.ID, "assign-"+who.role+"-"+strconv.Itoa(r.Version))})
			}
		}
		r.LeadID, r.AssistantID = lead, assistant
		// Staffing a waiting case finishes the station's 人工指派 order (and
		// escalations of it); a reassignment voids the orders of whoever was
		// taken off the case.
		if action == ActionAssign {
			c.settle("case.assigned")
		} else {
			c.settle("case.reassigned", lead, assistant)
		}
		return c.move(r, action, event, note)
	})
}

// alreadyStaffed answers a repeated assignment (a retried click) with the
// case as it stands, writing nothing.
func (s *Service) alreadyStaffed(ctx context.Context, a domain.Actor, id int64, st Staffing) (*Request, bool, error) {
	r, err := s.Requests.Request(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if err := s.mayRead(ctx, a, r); err != nil {
		return nil, false, err
	}
	if r.Status != StatusAssigned && r.Status != StatusInMediation || !a.Has(RolePolice, RoleSupervisor) {
		return nil, false, nil
	}
	if ok, err := s.inScope(ctx, a, r.Filing.StationID); err != nil || !ok {
		return nil, false, err
	}
	same := keep(st.LeadID, r.LeadID) == r.LeadID && keep(st.AssistantID, r.AssistantID) == r.AssistantID
	return r, same, nil
}

func keep(chosen, current int64) int64 {
	if chosen != 0 {
		return chosen
	}
	return current
}

func nameOf(people []Candidate, id int64) string {
	for _, c := range people {
		if c.UserID == id && c.Name != "" {
			return c.Name
		}
	}
	return "（编号 " + strconv.FormatInt(id, 10) + "）"
}

// CheckStaffing says whether a lead and an assistant chosen by hand fit a
// case of the station: a civil case is led by a lawyer or mediator serving
// the station with one of its police officers assisting; a public-security
// or minor criminal case the other way round.
func CheckStaffing(class Classification, stationID int64, people []Candidate, leadID, assistantID int64) error {
	wantLead, wantAssistant := SidePolice, SideLegal
	if class.lawyerLeads() {
		wantLead, wantAssistant = SideLegal, SidePolice
	}
	var p domain.Problems
	for _, x := range []struct {
		field string
		id    int64
		want  Side
	}{{"lead_id", leadID, wantLead}, {"assistant_id", assistantID, wantAssistant}} {
		switch {
		case x.id == 0:
			p.Add(x.field, domain.FieldRequired, "the case has none yet; name one")
		case !sideAt(people, stationID, x.id, x.want) && x.want == SideLegal:
			p.Add(x.field, domain.FieldUnsupported, "must be a lawyer or mediator serving the case's station")
		case !sideAt(people, stationID, x.id, x.want):
			p.Add(x.field, domain.FieldUnsupported, "must be a police officer of the case's station")
		}
	}
	return p.Err()
}

func sideAt(people []Candidate, stationID, id int64, side Side) bool {
	for _, c := range people {
		if c.UserID == id && c.Side == side && c.serves(stationID) {
			return true
		}
	}
	return false
}
