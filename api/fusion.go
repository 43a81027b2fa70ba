package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/jointmeeting"
	sp "github.com/tiaojie/tiaojie/domain/specialpop"
)

// RegisterService is the special population register (特殊人群联控) of
// police–justice fusion: *specialpop.Service.
type RegisterService interface {
	CreateArea(ctx context.Context, a domain.Actor, n sp.NewArea) (*sp.Area, error)
	AreasOf(ctx context.Context, a domain.Actor) ([]sp.Area, error)
	Kinds(ctx context.Context) ([]sp.Kind, error)
	AddKind(ctx context.Context, a domain.Actor, code, name string) (*sp.Kind, error)
	Register(ctx context.Context, a domain.Actor, n sp.NewPerson) (*sp.Person, error)
	Profile(ctx context.Context, a domain.Actor, id int64) (*sp.Profile, error)
	List(ctx context.Context, a domain.Actor, f sp.Filter) ([]sp.Person, error)
	RecordVisit(ctx context.Context, a domain.Actor, id int64, v sp.NewVisit) (*sp.Person, error)
	RecordHelp(ctx context.Context, a domain.Actor, id int64, note string) (*sp.Person, error)
	Act(ctx context.Context, a domain.Actor, id int64, action sp.Action, note string) (*sp.Person, error)
	ChangePlan(ctx context.Context, a domain.Actor, id int64, c sp.PlanChange) (*sp.Person, error)
	TransferPerson(ctx context.Context, a domain.Actor, id int64, t sp.Transfer) (*sp.Person, error)
	GeneratePatrols(ctx context.Context, a domain.Actor, req sp.Patrols) (int, error)
	Summarise(ctx context.Context, a domain.Actor, areaIDs []int64) (*sp.Summary, error)
}

// MeetingService is the joint analysis meetings (会商研判):
// *jointmeeting.Service.
type MeetingService interface {
	Plan(ctx context.Context, a domain.Actor, n jointmeeting.NewMeeting) (*jointmeeting.MeetingView, error)
	Get(ctx context.Context, a domain.Actor, id int64) (*jointmeeting.MeetingView, error)
	List(ctx context.Context, a domain.Actor, before int64, limit int) ([]jointmeeting.Meeting, error)
	RecordMinutes(ctx context.Context, a domain.Actor, id int64, m jointmeeting.Minutes) (*jointmeeting.MeetingView, error)
	AddAction(ctx context.Context, a domain.Actor, meetingID int64, n jointmeeting.NewAction) (*jointmeeting.Action, error)
	CloseAction(ctx context.Context, a domain.Actor, meetingID, actionID int64, outcome string) (*jointmeeting.Action, error)
	SendDigest(ctx context.Context, a domain.Actor, areaID int64, week time.Time) (*jointmeeting.Digest, error)
	Summarise(ctx context.Context, a domain.Actor, from, to time.Time) (jointmeeting.Tally, error)
}

var (
	_ RegisterService = (*sp.Service)(nil)
	_ MeetingService  = (*jointmeeting.Service)(nil)
)

// fusionDesk reaches the fusion routes; the domain then checks that the
// caller works at one of the area's three offices (or above them). Reads
// are open to everyone signed in so that a citizen is told "not found".
var fusionDesk = []string{police, mediator, account.RolePartner, supervisor, admin}

type fusionAreaDTO struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	DistrictID      int64     `json:"district_id"`
	StationID       int64     `json:"station_id"`
	JusticeOfficeID int64     `json:"justice_office_id"`
	LegalServiceID  int64     `json:"legal_service_id"`
	StationLiaison  int64     `json:"station_liaison"`
	JusticeLiaison  int64     `json:"justice_liaison"`
	LegalLiaison    int64     `json:"legal_liaison"`
	CreatedAt       time.Time `json:"created_at"`
}

func (s *Server) toAreaDTO(a *sp.Area) fusionAreaDTO {
	return fusionAreaDTO{ID: a.ID, Name: a.Name, DistrictID: a.DistrictID, StationID: a.StationID, JusticeOfficeID: a.JusticeOfficeID,
		LegalServiceID: a.LegalServiceID, StationLiaison: a.StationLiaison, JusticeLiaison: a.JusticeLiaison, LegalLiaison: a.LegalLiaison,
		CreatedAt: a.CreatedAt.In(s.loc)}
}

func (s *Server) createFusionArea(c *fiber.Ctx) error {
	var body struct {
		Name            string `json:"name"`
		StationID       int64  `json:"station_id"`
		JusticeOfficeID int64  `json:"justice_office_id"`
		LegalServiceID  int64  `json:"legal_service_id"`
		StationLiaison  int64  `json:"station_liaison"`
		JusticeLiaison  int64  `json:"justice_liaison"`
		LegalLiaison    int64  `json:"legal_liaison"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	ar, err := s.register.CreateArea(c.UserContext(), s.actor(c), sp.NewArea{Name: body.Name, StationID: body.StationID, JusticeOfficeID: body.JusticeOfficeID,
		LegalServiceID: body.LegalServiceID, StationLiaison: body.StationLiaison, JusticeLiaison: body.JusticeLiaison, LegalLiaison: body.LegalLiaison})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toAreaDTO(ar))
}

func (s *Server) listFusionAreas(c *fiber.Ctx) error {
	areas, err := s.register.AreasOf(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	out := make([]fusionAreaDTO, len(areas))
	for i := range areas {
		out[i] = s.toAreaDTO(&areas[i])
	}
	return c.JSON(fiber.Map{"items": out})
}

type specialKindDTO struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Builtin bool   `json:"builtin"`
}

func (s *Server) listSpecialKinds(c *fiber.Ctx) error {
	kinds, err := s.register.Kinds(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]specialKindDTO, len(kinds))
	for i, k := range kinds {
		out[i] = specialKindDTO{Code: k.Code, Name: k.Name, Builtin: k.Builtin}
	}
	return c.JSON(fiber.Map{"items": out})
}

func (s *Server) addSpecialKind(c *fiber.Ctx) error {
	var body struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	k, err := s.register.AddKind(c.UserContext(), s.actor(c), body.Code, body.Name)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(specialKindDTO{Code: k.Code, Name: k.Name, Builtin: k.Builtin})
}

// specialPersonDTO shows a person; the ID number only masked.
type specialPersonDTO struct {
	ID             int64      `json:"id"`
	AreaID         int64      `json:"area_id"`
	Kind           string     `json:"kind"`
	Name           string     `json:"name"`
	IDNumberMasked string     `json:"id_number_masked"`
	Address        string     `json:"address"`
	RiskLevel      string     `json:"risk_level"`
	OfficerID      int64      `json:"officer_id"`
	SocialWorkerID int64      `json:"social_worker_id"`
	LegalStewardID int64      `json:"legal_steward_id"`
	VisitEveryDays int        `json:"visit_every_days"`
	LastContactAt  *time.Time `json:"last_contact_at"`
	NextContactDue time.Time  `json:"next_contact_due"`
	Overdue        bool       `json:"overdue"`
	State          string     `json:"state"`
	Note           string     `json:"note"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	Version        int        `json:"version"`
}

func (s *Server) inLoc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	x := t.In(s.loc)
	return &x
}

func (s *Server) toSpecialPersonDTO(p *sp.Person) specialPersonDTO {
	return specialPersonDTO{ID: p.ID, AreaID: p.AreaID, Kind: p.Kind, Name: p.Name, IDNumberMasked: p.IDNumberMasked, Address: p.Address,
		RiskLevel: p.RiskLevel, OfficerID: p.OfficerID, SocialWorkerID: p.SocialWorkerID, LegalStewardID: p.LegalStewardID,
		VisitEveryDays: p.VisitEveryDays, LastContactAt: s.inLoc(p.LastContactAt), NextContactDue: p.NextContactDue.In(s.loc),
		Overdue: p.OverdueSince != nil, State: string(p.State), Note: p.Note, CreatedAt: p.CreatedAt.In(s.loc), UpdatedAt: p.UpdatedAt.In(s.loc), Version: p.Version}
}

type specialRecordDTO struct {
	ID        int64     `json:"id"`
	AreaID    int64     `json:"area_id"`
	Type      string    `json:"type"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"`
	Method    string    `json:"method"`
	Note      string    `json:"note"`
	FromState string    `json:"from_state"`
	ToState   string    `json:"to_state"`
	FromArea  int64     `json:"from_area"`
	ToArea    int64     `json:"to_area"`
}

func (s *Server) registerSpecialPerson(c *fiber.Ctx) error {
	var body struct {
		AreaID         int64  `json:"area_id"`
		Kind           string `json:"kind"`
		Name           string `json:"name"`
		IDNumber       string `json:"id_number"`
		Address        string `json:"address"`
		RiskLevel      string `json:"risk_level"`
		OfficerID      int64  `json:"officer_id"`
		SocialWorkerID int64  `json:"social_worker_id"`
		LegalStewardID int64  `json:"legal_steward_id"`
		VisitEveryDays int    `json:"visit_every_days"`
		Note           string `json:"note"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	p, err := s.register.Register(c.UserContext(), s.actor(c), sp.NewPerson{AreaID: body.AreaID, Kind: body.Kind, Name: body.Name, IDNumber: body.IDNumber,
		Address: body.Address, RiskLevel: body.RiskLevel, OfficerID: body.OfficerID, SocialWorkerID: body.SocialWorkerID, LegalStewardID: body.LegalStewardID,
		VisitEveryDays: body.VisitEveryDays, Note: body.Note})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toSpecialPersonDTO(p))
}

func queryInt64(c *fiber.Ctx, p *domain.Problems, name string) int64 {
	v := c.Query(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.Add(name, domain.FieldInvalid, "is an ID")
	}
	return n
}

func (s *Server) listSpecialPeople(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	var p domain.Problems
	f := sp.Filter{State: sp.State(c.Query("state")), Kind: c.Query("kind"), Before: before, Limit: limit}
	if area := queryInt64(c, &p, "area_id"); area != 0 {
		f.AreaIDs = []int64{area}
	}
	if err := p.Err(); err != nil {
		return err
	}
	people, err := s.register.List(c.UserContext(), s.actor(c), f)
	if err != nil {
		return err
	}
	out := make([]specialPersonDTO, len(people))
	for i := range people {
		out[i] = s.toSpecialPersonDTO(&people[i])
	}
	return c.JSON(newPage(out, limit, func(d specialPersonDTO) int64 { return d.ID }))
}

func (s *Server) getSpecialPerson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pr, err := s.register.Profile(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	recs := make([]specialRecordDTO, len(pr.Records))
	for i, r := range pr.Records {
		recs[i] = specialRecordDTO{ID: r.ID, AreaID: r.AreaID, Type: r.Type, At: r.At.In(s.loc), ActorID: r.ActorID, Method: r.Method, Note: r.Note,
			FromState: string(r.FromState), ToState: string(r.ToState), FromArea: r.FromArea, ToArea: r.ToArea}
	}
	return c.JSON(struct {
		specialPersonDTO
		Area    fusionAreaDTO      `json:"area"`
		Records []specialRecordDTO `json:"records"`
	}{s.toSpecialPersonDTO(&pr.Person), s.toAreaDTO(&pr.Area), recs})
}

func (s *Server) changeSpecialPlan(c *fiber.Ctx) error {
	var body struct {
		RiskLevel      string `json:"risk_level"`
		VisitEveryDays int    `json:"visit_every_days"`
		OfficerID      int64  `json:"officer_id"`
		SocialWorkerID int64  `json:"social_worker_id"`
		LegalStewardID int64  `json:"legal_steward_id"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	p, err := s.register.ChangePlan(c.UserContext(), s.actor(c), id, sp.PlanChange{RiskLevel: body.RiskLevel, VisitEveryDays: body.VisitEveryDays,
		OfficerID: body.OfficerID, SocialWorkerID: body.SocialWorkerID, LegalStewardID: body.LegalStewardID})
	if err != nil {
		return err
	}
	return c.JSON(s.toSpecialPersonDTO(p))
}

func (s *Server) visitSpecialPerson(c *fiber.Ctx) error {
	var body struct {
		At     *time.Time `json:"at"`
		Method string     `json:"method"`
		Note   string     `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	v := sp.NewVisit{Method: body.Method, Note: body.Note}
	if body.At != nil {
		v.At = *body.At
	}
	p, err := s.register.RecordVisit(c.UserContext(), s.actor(c), id, v)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toSpecialPersonDTO(p))
}

func (s *Server) helpSpecialPerson(c *fiber.Ctx) error {
	var body struct {
		Note string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	p, err := s.register.RecordHelp(c.UserContext(), s.actor(c), id, body.Note)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toSpecialPersonDTO(p))
}

func (s *Server) transitionSpecialPerson(c *fiber.Ctx) error {
	var body struct {
		Action string `json:"action"`
		Note   string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	p, err := s.register.Act(c.UserContext(), s.actor(c), id, sp.Action(body.Action), body.Note)
	if err != nil {
		return err
	}
	return c.JSON(s.toSpecialPersonDTO(p))
}

func (s *Server) transferSpecialPerson(c *fiber.Ctx) error {
	var body struct {
		ToAreaID       int64  `json:"to_area_id"`
		OfficerID      int64  `json:"officer_id"`
		SocialWorkerID int64  `json:"social_worker_id"`
		LegalStewardID int64  `json:"legal_steward_id"`
		Note           string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	p, err := s.register.TransferPerson(c.UserContext(), s.actor(c), id, sp.Transfer{ToAreaID: body.ToAreaID, OfficerID: body.OfficerID,
		SocialWorkerID: body.SocialWorkerID, LegalStewardID: body.LegalStewardID, Note: body.Note})
	if err != nil {
		return err
	}
	return c.JSON(s.toSpecialPersonDTO(p))
}

func (s *Server) generatePatrols(c *fiber.Ctx) error {
	var body struct {
		AreaID int64  `json:"area_id"`
		From   string `json:"from"`
		To     string `json:"to"`
		Reason string `json:"reason"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	n, err := s.register.GeneratePatrols(c.UserContext(), s.actor(c), sp.Patrols{AreaID: body.AreaID, From: body.From, To: body.To, Reason: body.Reason})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"orders": n})
}
