package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// DetentionService is what the detention-centre handlers (拘调融合) need of
// the domain: profiles and labels, release and transfer, the follow-up
// after release and joint mediation. *detention.Custody implements it.
type DetentionService interface {
	JointFeedback(ctx context.Context, a domain.Actor, jointID int64, stars int, comment string) (*detention.Feedback, error)
	Stats(ctx context.Context, a domain.Actor, centreID int64, from, to time.Time) (*detention.CentreStats, error)
	Centres(ctx context.Context) ([]detention.Org, error)
	Intake(ctx context.Context, a domain.Actor, n detention.NewIntake) (*detention.Detainee, error)
	Profile(ctx context.Context, a domain.Actor, id int64) (*detention.Profile, error)
	ListDetainees(ctx context.Context, a domain.Actor, f detention.DetaineeFilter) ([]detention.Detainee, error)
	LinkFamily(ctx context.Context, a domain.Actor, detaineeID int64, n detention.NewFamilyLink) (*detention.FamilyLink, error)
	MyDetainees(ctx context.Context, a domain.Actor) ([]detention.FamilyDetainee, error)
	MyJoints(ctx context.Context, a domain.Actor) ([]detention.FamilyJoint, error)
	RecordBehaviour(ctx context.Context, a domain.Actor, detaineeID int64, n detention.NewBehaviour) (*detention.Detainee, error)
	OverrideLabel(ctx context.Context, a domain.Actor, detaineeID int64, label detention.RiskLabel, reason string) (*detention.Detainee, error)
	Release(ctx context.Context, a domain.Actor, detaineeID int64, d detention.Departure) (*detention.Detainee, *detention.FollowUp, error)
	Transfer(ctx context.Context, a domain.Actor, detaineeID int64, d detention.Departure) (*detention.Detainee, error)

	FollowUp(ctx context.Context, a domain.Actor, id int64) (*detention.FollowUpView, error)
	AddFollowUpVisit(ctx context.Context, a domain.Actor, id int64, n detention.NewFollowUpVisit) (*detention.FollowUp, error)
	AssessFollowUp(ctx context.Context, a domain.Actor, id int64, assessment, note string) (*detention.FollowUp, error)
	CloseFollowUp(ctx context.Context, a domain.Actor, id int64, note string) (*detention.FollowUp, error)

	BusinessLines() []detention.BusinessLine
	StartJoint(ctx context.Context, a domain.Actor, n detention.NewJoint) (*detention.JointMediation, error)
	Joint(ctx context.Context, a domain.Actor, id int64) (*detention.JointView, error)
	JointMessages(ctx context.Context, a domain.Actor, id, beforeID int64, limit int) ([]detention.JointMessage, error)
	PostJointMessage(ctx context.Context, a domain.Actor, id int64, body string, attachmentIDs []int64) (*detention.JointMessage, error)
	DecideJoint(ctx context.Context, a domain.Actor, id int64, d detention.JointDecision) (*detention.JointMediation, error)
	MarkEarlyRelease(ctx context.Context, a domain.Actor, id int64, e detention.EarlyRelease) (*detention.JointMediation, error)

	ListJoints(ctx context.Context, a domain.Actor, f detention.JointFilter) ([]detention.JointListItem, error)
	ListFollowUps(ctx context.Context, a domain.Actor, f detention.FollowUpFilter) ([]detention.FollowUpView, error)
	JointUnits(ctx context.Context) ([]detention.Org, error)
}

var _ DetentionService = (*detention.Custody)(nil)

// Who reaches the detention routes (the domain then checks organisations):
// the centres' side, and the home stations' side of a follow-up.
var (
	detentionDesk = []string{account.RoleDetentionStaff, supervisor, admin}
	followUpDesk  = []string{police, account.RoleDetentionStaff, supervisor, admin}
)

// Dates without a time (punishment, behaviour, visits) travel as
// YYYY-MM-DD in the deployment's zone.
const detentionDateLayout = "2006-01-02"

func (s *Server) parseDetentionDate(p *domain.Problems, field, v string) time.Time {
	if v == "" {
		p.Add(field, domain.FieldRequired, "is required")
		return time.Time{}
	}
	t, err := time.ParseInLocation(detentionDateLayout, v, s.loc)
	if err != nil {
		p.Add(field, domain.FieldInvalid, "is a date, YYYY-MM-DD")
	}
	return t
}

// requiredDetentionDate parses one required date field on its own.
func (s *Server) requiredDetentionDate(field, v string) (time.Time, error) {
	var p domain.Problems
	t := s.parseDetentionDate(&p, field, v)
	return t, p.Err()
}

func (s *Server) detentionDate(t time.Time) string { return t.In(s.loc).Format(detentionDateLayout) }

func (s *Server) detentionDatePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	d := s.detentionDate(*t)
	return &d
}

type detentionCentreDTO struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func (s *Server) listDetentionCentres(c *fiber.Ctx) error {
	centres, err := s.custody.Centres(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]detentionCentreDTO, len(centres))
	for i, o := range centres {
		out[i] = detentionCentreDTO{ID: o.ID, Name: o.Name}
	}
	return c.JSON(out)
}

// familyDetaineeDTO is a detainee as their family sees them (GET /api/v1/me/detainees).
type familyDetaineeDTO struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	CentreID     int64  `json:"centre_id"`
	CentreName   string `json:"centre_name"`
	Relationship string `json:"relationship"`
	Status       string `json:"status"`
	Punishment   string `json:"punishment"`
	PunishmentTo string `json:"punishment_to"`
}

func (s *Server) listMyDetainees(c *fiber.Ctx) error {
	list, err := s.custody.MyDetainees(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	out := make([]familyDetaineeDTO, len(list))
	for i, f := range list {
		d := f.Detainee
		out[i] = familyDetaineeDTO{ID: d.ID, Name: d.Name, CentreID: d.CentreID, CentreName: f.CentreName, Relationship: f.Relationship,
			Status: string(d.Status), Punishment: d.Punishment, PunishmentTo: d.PunishmentTo.Format(time.DateOnly)}
	}
	return c.JSON(out)
}

// familyJointDTO is a joint mediation as the detainee's family sees it
// (GET /api/v1/me/joint-mediations): no thread, partners, notes or early
// release.
type familyJointDTO struct {
	ID               int64        `json:"id"`
	DetaineeID       int64        `json:"detainee_id"`
	DetaineeName     string       `json:"detainee_name"`
	CentreID         int64        `json:"centre_id"`
	CentreName       string       `json:"centre_name"`
	BusinessLine     string       `json:"business_line"`
	BusinessLineName string       `json:"business_line_name"`
	State            string       `json:"state"`
	DecidedAt        *time.Time   `json:"decided_at"`
	Outcome          *string      `json:"outcome"`
	CreatedAt        time.Time    `json:"created_at"`
	MyFeedback       *feedbackDTO `json:"my_feedback"`
}

func (s *Server) listMyJoints(c *fiber.Ctx) error {
	list, err := s.custody.MyJoints(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	out := make([]familyJointDTO, len(list))
	for i, f := range list {
		j := f.Joint
		out[i] = familyJointDTO{ID: j.ID, DetaineeID: j.DetaineeID, DetaineeName: f.DetaineeName, CentreID: j.CentreID, CentreName: f.CentreName,
			BusinessLine: j.BusinessLine, BusinessLineName: f.LineName, State: string(j.State), CreatedAt: j.CreatedAt.In(s.loc),
			MyFeedback: s.toFeedbackDTO(f.MyFeedback)}
		if d := j.Decision; d != nil {
			at, outcome := d.At.In(s.loc), d.Outcome
			out[i].DecidedAt, out[i].Outcome = &at, &outcome
		}
	}
	return c.JSON(out)
}

type detaineeDTO struct {
	ID                int64     `json:"id"`
	CentreID          int64     `json:"centre_id"`
	HomeStationID     int64     `json:"home_station_id"`
	Name              string    `json:"name"`
	IDNumberMasked    string    `json:"id_number_masked"`
	CaseCause         string    `json:"case_cause"`
	Punishment        string    `json:"punishment"`
	PunishmentFrom    string    `json:"punishment_from"`
	PunishmentTo      string    `json:"punishment_to"`
	HealthNotes       string    `json:"health_notes"`
	DisputeBackground string    `json:"dispute_background"`
	DisputeResolved   bool      `json:"dispute_resolved"`
	PriorRecords      string    `json:"prior_records"`
	Status            string    `json:"status"`
	Label             string    `json:"label"`
	Score             int       `json:"score"`
	LabelOverridden   bool      `json:"label_overridden"`
	LabelReason       string    `json:"label_reason"`
	LeftOn            *string   `json:"left_on"`
	LeaveReason       string    `json:"leave_reason"`
	Destination       string    `json:"destination"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

func (s *Server) toDetaineeDTO(d *detention.Detainee) detaineeDTO {
	return detaineeDTO{ID: d.ID, CentreID: d.CentreID, HomeStationID: d.HomeStationID, Name: d.Name, IDNumberMasked: d.IDNumberMasked,
		CaseCause: d.CaseCause, Punishment: d.Punishment, PunishmentFrom: s.detentionDate(d.PunishmentFrom), PunishmentTo: s.detentionDate(d.PunishmentTo),
		HealthNotes: d.HealthNotes, DisputeBackground: d.DisputeBackground, DisputeResolved: d.DisputeResolved, PriorRecords: d.PriorRecords,
		Status: string(d.Status), Label: string(d.Label), Score: d.Score, LabelOverridden: d.LabelOverridden, LabelReason: d.LabelReason,
		LeftOn: s.detentionDatePtr(d.LeftAt), LeaveReason: d.LeaveReason, Destination: d.Destination, CreatedAt: d.CreatedAt.In(s.loc),
		UpdatedAt: d.UpdatedAt.In(s.loc)}
}

type familyLinkDTO struct {
	UserID       int64     `json:"user_id"`
	Name         string    `json:"name"`
	Relationship string    `json:"relationship"`
	LinkedBy     int64     `json:"linked_by"`
	LinkedAt     time.Time `json:"linked_at"`
}

type behaviourDTO struct {
	ID         int64     `json:"id"`
	Date       string    `json:"date"`
	Kind       string    `json:"kind"`
	Note       string    `json:"note"`
	RecordedBy int64     `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

type labelChangeDTO struct {
	At      time.Time `json:"at"`
	ActorID *int64    `json:"actor_id"`
	From    *string   `json:"from"`
	To      string    `json:"to"`
	Score   int       `json:"score"`
	Source  string    `json:"source"`
	Reason  string    `json:"reason"`
}

type riskDTO struct {
	Score   int      `json:"score"`
	Label   string   `json:"label"`
	Reasons []string `json:"reasons"`
}

type detaineeProfileDTO struct {
	detaineeDTO
	Risk         riskDTO             `json:"risk"`
	Family       []familyLinkDTO     `json:"family"`
	Behaviours   []behaviourDTO      `json:"behaviours"`
	LabelHistory []labelChangeDTO    `json:"label_history"`
	FollowUp     *followUpDTO        `json:"follow_up"`
	Joints       []jointMediationDTO `json:"joint_mediations"`
}

func (s *Server) toFamilyLinkDTO(l detention.FamilyLink) familyLinkDTO {
	return familyLinkDTO{UserID: l.UserID, Name: l.Name, Relationship: l.Relationship, LinkedBy: l.LinkedBy, LinkedAt: l.CreatedAt.In(s.loc)}
}

func (s *Server) toProfileDTO(p *detention.Profile) detaineeProfileDTO {
	out := detaineeProfileDTO{detaineeDTO: s.toDetaineeDTO(&p.Detainee),
		Risk:   riskDTO{Score: p.Risk.Score, Label: string(p.Risk.Label), Reasons: orEmpty(p.Risk.Reasons)},
		Family: []familyLinkDTO{}, Behaviours: []behaviourDTO{}, LabelHistory: []labelChangeDTO{}, Joints: []jointMediationDTO{}}
	for _, l := range p.Family {
		out.Family = append(out.Family, s.toFamilyLinkDTO(l))
	}
	for _, b := range p.Behaviours {
		out.Behaviours = append(out.Behaviours, behaviourDTO{ID: b.ID, Date: s.detentionDate(b.On), Kind: b.Kind, Note: b.Note, RecordedBy: b.RecordedBy,
			CreatedAt: b.CreatedAt.In(s.loc)})
	}
	for _, ch := range p.LabelHistory {
		d := labelChangeDTO{At: ch.At.In(s.loc), ActorID: optID(ch.ActorID), To: string(ch.To), Score: ch.Score, Source: string(ch.Source), Reason: ch.Reason}
		if ch.From != "" {
			from := string(ch.From)
			d.From = &from
		}
		out.LabelHistory = append(out.LabelHistory, d)
	}
	if p.FollowUp != nil {
		f := s.toFollowUpDTO(p.FollowUp)
		out.FollowUp = &f
	}
	for i := range p.Joints {
		out.Joints = append(out.Joints, s.toJointDTO(&p.Joints[i]))
	}
	return out
}

type familyInputDTO struct {
	UserID       int64  `json:"user_id"`
	Phone        string `json:"phone"`
	Relationship string `json:"relationship"`
}

func (s *Server) listDetainees(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	f := detention.DetaineeFilter{BeforeID: before, Limit: limit, Label: detention.RiskLabel(c.Query("label")), Status: detention.Status(c.Query("status"))}
	if v := c.Query("centre_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return domain.Invalid(domain.FieldError{Field: "centre_id", Code: domain.FieldInvalid, Message: "is a detention centre ID"})
		}
		f.Centres = []int64{id}
	}
	items, err := s.custody.ListDetainees(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	out := make([]detaineeDTO, len(items))
	for i := range items {
		out[i] = s.toDetaineeDTO(&items[i])
	}
	return c.JSON(newPage(out, limit, func(d detaineeDTO) int64 { return d.ID }))
}

func (s *Server) createDetainee(c *fiber.Ctx) error {
	var body struct {
		CentreID          int64            `json:"centre_id"`
		HomeStationID     int64            `json:"home_station_id"`
		Name              string           `json:"name"`
		IDNumber          string           `json:"id_number"`
		CaseCause         string           `json:"case_cause"`
		Punishment        string           `json:"punishment"`
		PunishmentFrom    string           `json:"punishment_from"`
		PunishmentTo      string           `json:"punishment_to"`
		HealthNotes       string           `json:"health_notes"`
		DisputeBackground string           `json:"dispute_background"`
		PriorRecords      string           `json:"prior_records"`
		Family            []familyInputDTO `json:"family"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	// A missing date is left to the domain, which names it with every other
	// missing field at once (a form shows them together); a malformed one
	// is answered here.
	var p domain.Problems
	date := func(field, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		return s.parseDetentionDate(&p, field, v)
	}
	n := detention.NewIntake{CentreID: body.CentreID, HomeStationID: body.HomeStationID, Name: body.Name, IDNumber: body.IDNumber,
		CaseCause: body.CaseCause, Punishment: body.Punishment, PunishmentFrom: date("punishment_from", body.PunishmentFrom),
		PunishmentTo: date("punishment_to", body.PunishmentTo), HealthNotes: body.HealthNotes,
		DisputeBackground: body.DisputeBackground, PriorRecords: body.PriorRecords}
	if err := p.Err(); err != nil {
		return err
	}
	for _, f := range body.Family {
		n.Family = append(n.Family, detention.NewFamilyLink{UserID: f.UserID, Phone: f.Phone, Relationship: f.Relationship})
	}
	d, err := s.custody.Intake(c.UserContext(), s.actor(c), n)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toDetaineeDTO(d))
}

func (s *Server) getDetainee(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.custody.Profile(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toProfileDTO(p))
}

func (s *Server) linkDetaineeFamily(c *fiber.Ctx) error {
	var body familyInputDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	l, err := s.custody.LinkFamily(c.UserContext(), s.actor(c), id, detention.NewFamilyLink{UserID: body.UserID, Phone: body.Phone, Relationship: body.Relationship})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toFamilyLinkDTO(*l))
}

func (s *Server) recordDetaineeBehaviour(c *fiber.Ctx) error {
	var body struct {
		Date string `json:"date"`
		Kind string `json:"kind"`
		Note string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	on, err := s.requiredDetentionDate("date", body.Date)
	if err != nil {
		return err
	}
	d, err := s.custody.RecordBehaviour(c.UserContext(), s.actor(c), id, detention.NewBehaviour{On: on, Kind: body.Kind, Note: body.Note})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toDetaineeDTO(d))
}

func (s *Server) overrideDetaineeLabel(c *fiber.Ctx) error {
	var body struct {
		Label  string `json:"label"`
		Reason string `json:"reason"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	d, err := s.custody.OverrideLabel(c.UserContext(), s.actor(c), id, detention.RiskLabel(body.Label), body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(s.toDetaineeDTO(d))
}

type departureInputDTO struct {
	Date        string `json:"date"`
	Reason      string `json:"reason"`
	Destination string `json:"destination"`
}

func (s *Server) departure(c *fiber.Ctx) (int64, detention.Departure, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, detention.Departure{}, err
	}
	var body departureInputDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return 0, detention.Departure{}, err
	}
	on, err := s.requiredDetentionDate("date", body.Date)
	return id, detention.Departure{On: on, Reason: body.Reason, Destination: body.Destination}, err
}

func (s *Server) releaseDetainee(c *fiber.Ctx) error {
	id, dep, err := s.departure(c)
	if err != nil {
		return err
	}
	d, f, err := s.custody.Release(c.UserContext(), s.actor(c), id, dep)
	if err != nil {
		return err
	}
	return c.JSON(struct {
		Detainee detaineeDTO `json:"detainee"`
		FollowUp followUpDTO `json:"follow_up"`
	}{s.toDetaineeDTO(d), s.toFollowUpDTO(f)})
}

func (s *Server) transferDetainee(c *fiber.Ctx) error {
	id, dep, err := s.departure(c)
	if err != nil {
		return err
	}
	d, err := s.custody.Transfer(c.UserContext(), s.actor(c), id, dep)
	if err != nil {
		return err
	}
	return c.JSON(s.toDetaineeDTO(d))
}

type followUpDTO struct {
	ID             int64      `json:"id"`
	DetaineeID     int64      `json:"detainee_id"`
	CentreID       int64      `json:"centre_id"`
	StationID      int64      `json:"station_id"`
	State          string     `json:"state"`
	ReleasedOn     string     `json:"released_on"`
	DueAt          time.Time  `json:"due_at"`
	Assessment     *string    `json:"assessment"`
	AssessmentNote string     `json:"assessment_note"`
	AssessedBy     *int64     `json:"assessed_by"`
	AssessedAt     *time.Time `json:"assessed_at"`
	ClosedBy       *int64     `json:"closed_by"`
	ClosedAt       *time.Time `json:"closed_at"`
	CloseNote      string     `json:"close_note"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

func (s *Server) toFollowUpDTO(f *detention.FollowUp) followUpDTO {
	d := followUpDTO{ID: f.ID, DetaineeID: f.DetaineeID, CentreID: f.CentreID, StationID: f.StationID, State: string(f.State),
		ReleasedOn: s.detentionDate(f.ReleasedOn), DueAt: f.DueAt.In(s.loc), AssessmentNote: f.AssessmentNote, AssessedBy: optID(f.AssessedBy),
		AssessedAt: inLoc(f.AssessedAt, s.loc), ClosedBy: optID(f.ClosedBy), ClosedAt: inLoc(f.ClosedAt, s.loc), CloseNote: f.CloseNote,
		CreatedAt: f.CreatedAt.In(s.loc), UpdatedAt: f.UpdatedAt.In(s.loc)}
	if f.Assessment != "" {
		a := f.Assessment
		d.Assessment = &a
	}
	return d
}

type followUpVisitDTO struct {
	ID         int64     `json:"id"`
	Date       string    `json:"date"`
	Method     string    `json:"method"`
	Note       string    `json:"note"`
	RecordedBy int64     `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// The station sees whom it follows up, not the detention file.
type followUpPersonDTO struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	IDNumberMasked string `json:"id_number_masked"`
	CaseCause      string `json:"case_cause"`
	Label          string `json:"label"`
}

func (s *Server) getFollowUp(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.custody.FollowUp(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	visits := make([]followUpVisitDTO, len(v.Visits))
	for i, x := range v.Visits {
		visits[i] = followUpVisitDTO{ID: x.ID, Date: s.detentionDate(x.On), Method: x.Method, Note: x.Note, RecordedBy: x.RecordedBy, CreatedAt: x.CreatedAt.In(s.loc)}
	}
	return c.JSON(struct {
		followUpDTO
		Detainee followUpPersonDTO  `json:"detainee"`
		Visits   []followUpVisitDTO `json:"visits"`
	}{s.toFollowUpDTO(&v.FollowUp), followUpPersonDTO{ID: v.Detainee.ID, Name: v.Detainee.Name, IDNumberMasked: v.Detainee.IDNumberMasked,
		CaseCause: v.Detainee.CaseCause, Label: string(v.Detainee.Label)}, visits})
}

func (s *Server) addFollowUpVisit(c *fiber.Ctx) error {
	var body struct {
		Date   string `json:"date"`
		Method string `json:"method"`
		Note   string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	on, err := s.requiredDetentionDate("date", body.Date)
	if err != nil {
		return err
	}
	f, err := s.custody.AddFollowUpVisit(c.UserContext(), s.actor(c), id, detention.NewFollowUpVisit{On: on, Method: body.Method, Note: body.Note})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toFollowUpDTO(f))
}

func (s *Server) assessFollowUp(c *fiber.Ctx) error {
	var body struct {
		Assessment string `json:"assessment"`
		Note       string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	f, err := s.custody.AssessFollowUp(c.UserContext(), s.actor(c), id, body.Assessment, body.Note)
	if err != nil {
		return err
	}
	return c.JSON(s.toFollowUpDTO(f))
}

func (s *Server) closeFollowUp(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body struct {
		Note string `json:"note"`
	}
	if len(c.Body()) > 0 {
		if err := s.decodeJSON(c, &body); err != nil {
			return err
		}
	}
	f, err := s.custody.CloseFollowUp(c.UserContext(), s.actor(c), id, body.Note)
	if err != nil {
		return err
	}
	return c.JSON(s.toFollowUpDTO(f))
}

type businessLineDTO struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *Server) listJointBusinessLines(c *fiber.Ctx) error {
	lines := s.custody.BusinessLines()
	out := make([]businessLineDTO, len(lines))
	for i, l := range lines {
		out[i] = businessLineDTO{Code: l.Code, Name: l.Name}
	}
	return c.JSON(out)
}

type jointDecisionDTO struct {
	DecidedAt    time.Time `json:"decided_at"`
	Place        string    `json:"place"`
	Participants []string  `json:"participants"`
	Outcome      string    `json:"outcome"`
	Notes        string    `json:"notes"`
	RecordedBy   int64     `json:"recorded_by"`
}

type earlyReleaseDTO struct {
	Kind       string    `json:"kind"`
	Days       int       `json:"days"`
	Note       string    `json:"note"`
	ApprovedBy int64     `json:"approved_by"`
	ApprovedAt time.Time `json:"approved_at"`
}

type jointMediationDTO struct {
	ID             int64             `json:"id"`
	CentreID       int64             `json:"centre_id"`
	DetaineeID     int64             `json:"detainee_id"`
	RequestID      *int64            `json:"request_id"`
	BusinessLine   string            `json:"business_line"`
	Summary        string            `json:"summary"`
	PartnerUnitIDs []int64           `json:"partner_unit_ids"`
	State          string            `json:"state"`
	CreatedBy      int64             `json:"created_by"`
	Decision       *jointDecisionDTO `json:"decision"`
	EarlyRelease   *earlyReleaseDTO  `json:"early_release"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

func (s *Server) toJointDTO(j *detention.JointMediation) jointMediationDTO {
	d := jointMediationDTO{ID: j.ID, CentreID: j.CentreID, DetaineeID: j.DetaineeID, RequestID: optID(j.RequestID), BusinessLine: j.BusinessLine,
		Summary: j.Summary, PartnerUnitIDs: orEmpty(j.Partners), State: string(j.State), CreatedBy: j.CreatedBy, CreatedAt: j.CreatedAt.In(s.loc),
		UpdatedAt: j.UpdatedAt.In(s.loc)}
	if x := j.Decision; x != nil {
		d.Decision = &jointDecisionDTO{DecidedAt: x.At.In(s.loc), Place: x.Place, Participants: orEmpty(x.Participants), Outcome: x.Outcome,
			Notes: x.Notes, RecordedBy: x.RecordedBy}
	}
	if x := j.EarlyRelease; x != nil {
		d.EarlyRelease = &earlyReleaseDTO{Kind: x.Kind, Days: x.Days, Note: x.Note, ApprovedBy: x.ApprovedBy, ApprovedAt: x.ApprovedAt.In(s.loc)}
	}
	return d
}

func (s *Server) createJointMediation(c *fiber.Ctx) error {
	var body struct {
		DetaineeID     int64   `json:"detainee_id"`
		RequestID      int64   `json:"request_id"`
		BusinessLine   string  `json:"business_line"`
		Summary        string  `json:"summary"`
		PartnerUnitIDs []int64 `json:"partner_unit_ids"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	j, err := s.custody.StartJoint(c.UserContext(), s.actor(c), detention.NewJoint{DetaineeID: body.DetaineeID, RequestID: body.RequestID,
		BusinessLine: body.BusinessLine, Summary: body.Summary, PartnerUnitIDs: body.PartnerUnitIDs})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toJointDTO(j))
}

func (s *Server) getJointMediation(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	j, err := s.custody.Joint(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(struct {
		jointMediationDTO
		myFeedback
	}{s.toJointDTO(&j.JointMediation), myFeedback{s.toFeedbackDTO(j.MyFeedback)}})
}

type jointMessageDTO struct {
	ID            int64     `json:"id"`
	AuthorID      int64     `json:"author_id"`
	AuthorOrgID   *int64    `json:"author_org_id"`
	Body          string    `json:"body"`
	AttachmentIDs []int64   `json:"attachment_ids"`
	CreatedAt     time.Time `json:"created_at"`
}

func (s *Server) toJointMessageDTO(m *detention.JointMessage) jointMessageDTO {
	return jointMessageDTO{ID: m.ID, AuthorID: m.AuthorID, AuthorOrgID: optID(m.AuthorOrgID), Body: m.Body, AttachmentIDs: orEmpty(m.AttachmentIDs),
		CreatedAt: m.CreatedAt.In(s.loc)}
}

func (s *Server) listJointMessages(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	items, err := s.custody.JointMessages(c.UserContext(), s.actor(c), id, before, limit)
	if err != nil {
		return err
	}
	out := make([]jointMessageDTO, len(items))
	for i := range items {
		out[i] = s.toJointMessageDTO(&items[i])
	}
	return c.JSON(newPage(out, limit, func(m jointMessageDTO) int64 { return m.ID }))
}

func (s *Server) postJointMessage(c *fiber.Ctx) error {
	var body struct {
		Body          string  `json:"body"`
		AttachmentIDs []int64 `json:"attachment_ids"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	m, err := s.custody.PostJointMessage(c.UserContext(), s.actor(c), id, body.Body, body.AttachmentIDs)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toJointMessageDTO(m))
}

func (s *Server) decideJointMediation(c *fiber.Ctx) error {
	var body struct {
		DecidedAt    string   `json:"decided_at"`
		Place        string   `json:"place"`
		Participants []string `json:"participants"`
		Outcome      string   `json:"outcome"`
		Notes        string   `json:"notes"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	var at time.Time
	if body.DecidedAt != "" {
		if at, err = time.Parse(time.RFC3339, body.DecidedAt); err != nil {
			return domain.Invalid(domain.FieldError{Field: "decided_at", Code: domain.FieldInvalid, Message: "is an RFC 3339 time"})
		}
	}
	j, err := s.custody.DecideJoint(c.UserContext(), s.actor(c), id, detention.JointDecision{At: at, Place: body.Place,
		Participants: body.Participants, Outcome: body.Outcome, Notes: body.Notes})
	if err != nil {
		return err
	}
	return c.JSON(s.toJointDTO(j))
}

func (s *Server) markJointEarlyRelease(c *fiber.Ctx) error {
	var body struct {
		Kind string `json:"kind"`
		Days int    `json:"days"`
		Note string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	j, err := s.custody.MarkEarlyRelease(c.UserContext(), s.actor(c), id, detention.EarlyRelease{Kind: body.Kind, Days: body.Days, Note: body.Note})
	if err != nil {
		return err
	}
	return c.JSON(s.toJointDTO(j))
}
