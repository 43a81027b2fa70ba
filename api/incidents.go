package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/incident"
)

// IncidentService is legal workers on police incidents and the compensation
// calculator (issue 19 part 3).
type IncidentService interface {
	Create(ctx context.Context, a domain.Actor, n incident.NewIncident) (*incident.Incident, error)
	Get(ctx context.Context, a domain.Actor, id int64) (*incident.View, error)
	List(ctx context.Context, a domain.Actor, f incident.Filter) ([]incident.Incident, error)
	BringIn(ctx context.Context, a domain.Actor, id, workerID int64) (*incident.Incident, error)
	RecordPart(ctx context.Context, a domain.Actor, id int64, opinion string) (*incident.Incident, error)
	End(ctx context.Context, a domain.Actor, id int64, e incident.Ending) (*incident.Incident, error)
	Calculate(ctx context.Context, a domain.Actor, id int64, in incident.Input, note string) (*incident.Calculation, error)
	Preview(ctx context.Context, in incident.Input) (*incident.Standard, incident.Result, error)
	Counts(ctx context.Context, a domain.Actor, from, to time.Time) (incident.Counts, error)

	Standards(ctx context.Context) ([]incident.Standard, error)
	CreateStandard(ctx context.Context, a domain.Actor, st incident.Standard) (*incident.Standard, error)
	UpdateStandard(ctx context.Context, a domain.Actor, id int64, version int, st incident.Standard) (*incident.Standard, error)
	DeleteStandard(ctx context.Context, a domain.Actor, id int64) error
}

var _ IncidentService = (*incident.Service)(nil)

// Who works incidents: the station's side, and the legal workers brought in.
var (
	incidentDesk    = []string{police, supervisor, admin}
	incidentWorkers = []string{police, supervisor, admin, lawyer, mediator}
)

type incidentWorkerDTO struct {
	UserID     int64      `json:"user_id"`
	OrgID      int64      `json:"org_id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	InvitedBy  int64      `json:"invited_by"`
	InvitedAt  time.Time  `json:"invited_at"`
	Opinion    string     `json:"opinion"`
	AssistedAt *time.Time `json:"assisted_at"`
}

type incidentDTO struct {
	ID         int64               `json:"id"`
	StationID  int64               `json:"station_id"`
	OfficerID  int64               `json:"officer_id"`
	CallNo     string              `json:"call_no"`
	CaseType   string              `json:"case_type"`
	Summary    string              `json:"summary"`
	Place      string              `json:"place"`
	OccurredAt time.Time           `json:"occurred_at"`
	State      string              `json:"state"`
	Outcome    string              `json:"outcome"`
	RequestID  *int64              `json:"request_id"`
	Workers    []incidentWorkerDTO `json:"workers"`
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
}

func (s *Server) toIncidentDTO(in *incident.Incident) incidentDTO {
	out := incidentDTO{ID: in.ID, StationID: in.StationID, OfficerID: in.OfficerID, CallNo: in.CallNo, CaseType: string(in.CaseType), Summary: in.Summary,
		Place: in.Place, OccurredAt: in.OccurredAt.In(s.loc), State: string(in.State), Outcome: in.Outcome, RequestID: optID(in.RequestID),
		Workers: []incidentWorkerDTO{}, CreatedAt: in.CreatedAt.In(s.loc), UpdatedAt: in.UpdatedAt.In(s.loc)}
	for _, w := range in.Workers {
		d := incidentWorkerDTO{UserID: w.UserID, OrgID: w.OrgID, Name: w.Name, Role: string(w.Role), InvitedBy: w.InvitedBy, InvitedAt: w.InvitedAt.In(s.loc),
			Opinion: w.Opinion}
		if w.AssistedAt != nil {
			t := w.AssistedAt.In(s.loc)
			d.AssistedAt = &t
		}
		out.Workers = append(out.Workers, d)
	}
	return out
}

// compensationInputDTO is the calculator's input; amounts in fen.
type compensationInputDTO struct {
	Province        string `json:"province"`
	Year            int    `json:"year"`
	MedicalFen      int64  `json:"medical_fen"`
	LostDays        int    `json:"lost_days"`
	DailyIncomeFen  int64  `json:"daily_income_fen"`
	NursingDays     int    `json:"nursing_days"`
	Carers          int    `json:"carers"`
	NursingDailyFen int64  `json:"nursing_daily_fen"`
	TransportFen    int64  `json:"transport_fen"`
	HospitalDays    int    `json:"hospital_days"`
	NutritionDays   int    `json:"nutrition_days"`
	DisabilityGrade int    `json:"disability_grade"`
	Age             int    `json:"age"`
	LiabilityPct    int    `json:"liability_pct"`
}

func (d compensationInputDTO) toDomain() incident.Input {
	return incident.Input{Province: d.Province, Year: d.Year, MedicalFen: d.MedicalFen, LostDays: d.LostDays, DailyIncomeFen: d.DailyIncomeFen,
		NursingDays: d.NursingDays, Carers: d.Carers, NursingDailyFen: d.NursingDailyFen, TransportFen: d.TransportFen, HospitalDays: d.HospitalDays,
		NutritionDays: d.NutritionDays, DisabilityGrade: d.DisabilityGrade, Age: d.Age, LiabilityPct: d.LiabilityPct}
}

func inputDTO(in incident.Input) compensationInputDTO {
	return compensationInputDTO{Province: in.Province, Year: in.Year, MedicalFen: in.MedicalFen, LostDays: in.LostDays, DailyIncomeFen: in.DailyIncomeFen,
		NursingDays: in.NursingDays, Carers: in.Carers, NursingDailyFen: in.NursingDailyFen, TransportFen: in.TransportFen, HospitalDays: in.HospitalDays,
		NutritionDays: in.NutritionDays, DisabilityGrade: in.DisabilityGrade, Age: in.Age, LiabilityPct: in.LiabilityPct}
}

type compensationItemDTO struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Basis     string `json:"basis"`
	AmountFen int64  `json:"amount_fen"`
}

type compensationResultDTO struct {
	Items        []compensationItemDTO `json:"items"`
	TotalFen     int64                 `json:"total_fen"`
	LiabilityPct int                   `json:"liability_pct"`
	PayableFen   int64                 `json:"payable_fen"`
	Sample       bool                  `json:"sample"`
	StandardID   int64                 `json:"standard_id"`
}

func resultDTO(r incident.Result, standardID int64, sample bool) compensationResultDTO {
	out := compensationResultDTO{Items: []compensationItemDTO{}, TotalFen: r.TotalFen, LiabilityPct: r.LiabilityPct, PayableFen: r.PayableFen,
		Sample: sample, StandardID: standardID}
	for _, it := range r.Items {
		out.Items = append(out.Items, compensationItemDTO{Code: it.Code, Name: it.Name, Basis: it.Basis, AmountFen: it.AmountFen})
	}
	return out
}

type calculationDTO struct {
	ID         int64                 `json:"id"`
	IncidentID int64                 `json:"incident_id"`
	Input      compensationInputDTO  `json:"input"`
	Result     compensationResultDTO `json:"result"`
	Note       string                `json:"note"`
	CreatedBy  int64                 `json:"created_by"`
	CreatedAt  time.Time             `json:"created_at"`
}

func (s *Server) toCalculationDTO(c *incident.Calculation) calculationDTO {
	return calculationDTO{ID: c.ID, IncidentID: c.IncidentID, Input: inputDTO(c.Input), Result: resultDTO(c.Result, c.StandardID, c.Sample),
		Note: c.Note, CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt.In(s.loc)}
}

type incidentDetailDTO struct {
	incidentDTO
	Calculations []calculationDTO `json:"calculations"`
}

func (s *Server) createIncident(c *fiber.Ctx) error {
	var body struct {
		StationID  int64     `json:"station_id"`
		CallNo     string    `json:"call_no"`
		CaseType   string    `json:"case_type"`
		Summary    string    `json:"summary"`
		Place      string    `json:"place"`
		OccurredAt time.Time `json:"occurred_at"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	in, err := s.incidents.Create(c.UserContext(), s.actor(c), incident.NewIncident{StationID: body.StationID, CallNo: body.CallNo,
		CaseType: incident.CaseType(body.CaseType), Summary: body.Summary, Place: body.Place, OccurredAt: body.OccurredAt})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toIncidentDTO(in))
}

func (s *Server) listIncidents(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	items, err := s.incidents.List(c.UserContext(), s.actor(c), incident.Filter{State: incident.State(c.Query("state")), BeforeID: before, Limit: limit})
	if err != nil {
		return err
	}
	out := make([]incidentDTO, len(items))
	for i := range items {
		out[i] = s.toIncidentDTO(&items[i])
	}
	return c.JSON(newPage(out, limit, func(d incidentDTO) int64 { return d.ID }))
}

func (s *Server) getIncident(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.incidents.Get(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	out := incidentDetailDTO{incidentDTO: s.toIncidentDTO(&v.Incident), Calculations: []calculationDTO{}}
	for i := range v.Calculations {
		out.Calculations = append(out.Calculations, s.toCalculationDTO(&v.Calculations[i]))
	}
	return c.JSON(out)
}

func (s *Server) bringInWorker(c *fiber.Ctx) error {
	var body struct {
		WorkerID int64 `json:"worker_id"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	in, err := s.incidents.BringIn(c.UserContext(), s.actor(c), id, body.WorkerID)
	if err != nil {
		return err
	}
	return c.JSON(s.toIncidentDTO(in))
}

func (s *Server) recordIncidentPart(c *fiber.Ctx) error {
	var body struct {
		Opinion string `json:"opinion"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	in, err := s.incidents.RecordPart(c.UserContext(), s.actor(c), id, body.Opinion)
	if err != nil {
		return err
	}
	return c.JSON(s.toIncidentDTO(in))
}

func (s *Server) endIncident(c *fiber.Ctx) error {
	var body struct {
		Action    string `json:"action"`
		Outcome   string `json:"outcome"`
		RequestID int64  `json:"request_id"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	in, err := s.incidents.End(c.UserContext(), s.actor(c), id, incident.Ending{Action: incident.Action(body.Action), Outcome: body.Outcome, RequestID: body.RequestID})
	if err != nil {
		return err
	}
	return c.JSON(s.toIncidentDTO(in))
}

func (s *Server) calculateForIncident(c *fiber.Ctx) error {
	var body struct {
		compensationInputDTO
		Note string `json:"note"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	calc, err := s.incidents.Calculate(c.UserContext(), s.actor(c), id, body.compensationInputDTO.toDomain(), body.Note)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toCalculationDTO(calc))
}

func (s *Server) previewCompensation(c *fiber.Ctx) error {
	var body compensationInputDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	st, res, err := s.incidents.Preview(c.UserContext(), body.toDomain())
	if err != nil {
		return err
	}
	return c.JSON(resultDTO(res, st.ID, st.Sample))
}

type standardDTO struct {
	ID                    int64     `json:"id"`
	Province              string    `json:"province"`
	ProvinceName          string    `json:"province_name"`
	Year                  int       `json:"year"`
	DisposableIncomeFen   int64     `json:"disposable_income_fen"`
	AverageWageFen        int64     `json:"average_wage_fen"`
	NursingPerDayFen      int64     `json:"nursing_per_day_fen"`
	HospitalFoodPerDayFen int64     `json:"hospital_food_per_day_fen"`
	NutritionPerDayFen    int64     `json:"nutrition_per_day_fen"`
	Sample                bool      `json:"sample"`
	Note                  string    `json:"note"`
	Version               int       `json:"version"`
	UpdatedAt             time.Time `json:"updated_at"`
}

func (s *Server) toStandardDTO(st *incident.Standard) standardDTO {
	return standardDTO{ID: st.ID, Province: st.Province, ProvinceName: st.ProvinceName, Year: st.Year, DisposableIncomeFen: st.DisposableIncomeFen,
		AverageWageFen: st.AverageWageFen, NursingPerDayFen: st.NursingPerDayFen, HospitalFoodPerDayFen: st.HospitalFoodPerDayFen,
		NutritionPerDayFen: st.NutritionPerDayFen, Sample: st.Sample, Note: st.Note, Version: st.Version, UpdatedAt: st.UpdatedAt.In(s.loc)}
}

type standardInputDTO struct {
	Province              string `json:"province"`
	ProvinceName          string `json:"province_name"`
	Year                  int    `json:"year"`
	DisposableIncomeFen   int64  `json:"disposable_income_fen"`
	AverageWageFen        int64  `json:"average_wage_fen"`
	NursingPerDayFen      int64  `json:"nursing_per_day_fen"`
	HospitalFoodPerDayFen int64  `json:"hospital_food_per_day_fen"`
	NutritionPerDayFen    int64  `json:"nutrition_per_day_fen"`
	Sample                bool   `json:"sample"`
	Note                  string `json:"note"`
	Version               int    `json:"version"`
}

func (d standardInputDTO) toDomain() incident.Standard {
	return incident.Standard{Province: d.Province, ProvinceName: d.ProvinceName, Year: d.Year, DisposableIncomeFen: d.DisposableIncomeFen,
		AverageWageFen: d.AverageWageFen, NursingPerDayFen: d.NursingPerDayFen, HospitalFoodPerDayFen: d.HospitalFoodPerDayFen,
		NutritionPerDayFen: d.NutritionPerDayFen, Sample: d.Sample, Note: d.Note}
}

func (s *Server) listStandards(c *fiber.Ctx) error {
	items, err := s.incidents.Standards(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]standardDTO, len(items))
	for i := range items {
		out[i] = s.toStandardDTO(&items[i])
	}
	return c.JSON(out)
}

func (s *Server) createStandard(c *fiber.Ctx) error {
	var body standardInputDTO
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	st, err := s.incidents.CreateStandard(c.UserContext(), s.actor(c), body.toDomain())
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toStandardDTO(st))
}

func (s *Server) updateStandard(c *fiber.Ctx) error {
	var body standardInputDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	if body.Version <= 0 {
		return domain.Invalid(domain.FieldError{Field: "version", Code: domain.FieldRequired, Message: "is the version you read"})
	}
	st, err := s.incidents.UpdateStandard(c.UserContext(), s.actor(c), id, body.Version, body.toDomain())
	if err != nil {
		return err
	}
	return c.JSON(s.toStandardDTO(st))
}

func (s *Server) deleteStandard(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.incidents.DeleteStandard(c.UserContext(), s.actor(c), id); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}
