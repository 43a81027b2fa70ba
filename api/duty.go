package api

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/assessment"
	"github.com/tiaojie/tiaojie/domain/duty"
	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// DutyService is what the duty handlers need of the domain.
type DutyService interface {
	CheckIn(ctx context.Context, a domain.Actor, stationID int64) (*duty.Attendance, error)
	CheckOut(ctx context.Context, a domain.Actor, stationID int64) (*duty.Attendance, error)
	Roster(ctx context.Context, a domain.Actor, stationID int64) (duty.Roster, error)
	SetRoster(ctx context.Context, a domain.Actor, r duty.Roster) (duty.Roster, error)
	Report(ctx context.Context, a domain.Actor, from, to time.Time, firmID int64) ([]duty.LawyerAttendance, []duty.FirmAttendance, error)
}

// AssessmentService is what the assessment handlers need.
type AssessmentService interface {
	Run(ctx context.Context, a domain.Actor, month string, from, to time.Time) ([]assessment.FirmAssessment, error)
	ListFor(ctx context.Context, a domain.Actor, month string) ([]assessment.FirmAssessment, error)
	Override(ctx context.Context, a domain.Actor, id int64, grade assessment.Grade, reason string) (*assessment.FirmAssessment, error)
	// MoneyStatement is every firm's subsidies and fee for [from, to).
	MoneyStatementFor(ctx context.Context, a domain.Actor, from, to time.Time) ([]assessment.FirmMoney, error)
	RateDifficulty(ctx context.Context, a domain.Actor, requestID int64, tier int, reason string) error
}

type attendanceDTO struct {
	ID         int64      `json:"id"`
	StationID  int64      `json:"station_id"`
	Day        string     `json:"day"`
	CheckInAt  *time.Time `json:"check_in_at"`
	CheckOutAt *time.Time `json:"check_out_at"`
	Late       bool       `json:"late"`
	EarlyLeave bool       `json:"early_leave"`
}

func (s *Server) dutyAction(in bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var body struct {
			StationID int64 `json:"station_id"`
		}
		if err := s.decodeJSON(c, &body); err != nil {
			return err
		}
		act := s.duty.CheckOut
		if in {
			act = s.duty.CheckIn
		}
		at, err := act(c.UserContext(), s.actor(c), body.StationID)
		if err != nil {
			return err
		}
		return c.JSON(attendanceDTO{ID: at.ID, StationID: at.StationID, Day: at.Day, CheckInAt: inLoc(at.CheckInAt, s.loc),
			CheckOutAt: inLoc(at.CheckOutAt, s.loc), Late: at.Late, EarlyLeave: at.EarlyLeave})
	}
}

type rosterDTO struct {
	StationID int64  `json:"station_id"`
	Hours     string `json:"hours"`    // "09:00-18:00"
	Weekdays  []int  `json:"weekdays"` // 0 Sunday … 6 Saturday
}

func toRosterDTO(r duty.Roster) rosterDTO {
	d := rosterDTO{StationID: r.StationID, Hours: clockOf(r.From) + "-" + clockOf(r.To), Weekdays: []int{}}
	for i, on := range r.Weekdays {
		if on {
			d.Weekdays = append(d.Weekdays, i)
		}
	}
	return d
}

func clockOf(d time.Duration) string {
	return twoDigits(int(d/time.Hour)) + ":" + twoDigits(int(d%time.Hour/time.Minute))
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func (s *Server) getRoster(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.duty.Roster(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(toRosterDTO(r))
}

func (s *Server) putRoster(c *fiber.Ctx) error {
	var body rosterDTO
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	r := duty.Roster{StationID: id}
	from, to, err := workorder.ParseHours(body.Hours)
	if err != nil {
		return domain.Invalid(domain.FieldError{Field: "hours", Code: domain.FieldInvalid, Message: "is HH:MM-HH:MM, e.g. 09:00-18:00"})
	}
	r.From, r.To = from, to
	for _, d := range body.Weekdays {
		if d < 0 || d > 6 {
			return domain.Invalid(domain.FieldError{Field: "weekdays", Code: domain.FieldOutOfRange, Message: "are 0 (Sunday) to 6 (Saturday)"})
		}
		r.Weekdays[d] = true
	}
	saved, err := s.duty.SetRoster(c.UserContext(), s.actor(c), r)
	if err != nil {
		return err
	}
	return c.JSON(toRosterDTO(saved))
}

func (s *Server) attendanceReport(c *fiber.Ctx) error {
	from, to, err := stats.MonthBounds(c.Query("month"), s.loc)
	if err != nil {
		return err
	}
	var firm int64
	if v := c.Query("firm_id"); v != "" {
		if firm, err = strconv.ParseInt(v, 10, 64); err != nil || firm <= 0 {
			return domain.Invalid(domain.FieldError{Field: "firm_id", Code: domain.FieldInvalid, Message: "is a law firm ID"})
		}
	}
	lawyers, firms, err := s.duty.Report(c.UserContext(), s.actor(c), from, to, firm)
	if err != nil {
		return err
	}
	type row struct {
		LawyerID   int64   `json:"lawyer_id,omitempty"`
		Name       string  `json:"name,omitempty"`
		FirmID     int64   `json:"firm_id"`
		Expected   int     `json:"expected"`
		Present    int     `json:"present"`
		Late       int     `json:"late"`
		EarlyLeave int     `json:"early_leave"`
		Absent     int     `json:"absent"`
		Rate       float64 `json:"attendance_rate"`
		Work       workDTO `json:"duties"`
	}
	out := struct {
		Month   string `json:"month"`
		Lawyers []row  `json:"lawyers"`
		Firms   []row  `json:"firms"`
	}{Month: c.Query("month"), Lawyers: []row{}, Firms: []row{}}
	for _, l := range lawyers {
		out.Lawyers = append(out.Lawyers, row{l.ID, l.Name, l.FirmID, l.Expected, l.Present, l.Late, l.EarlyLeave, l.Absent, l.Rate(), toWorkDTO(l.Work)})
	}
	for _, f := range firms {
		out.Firms = append(out.Firms, row{0, "", f.FirmID, f.Expected, f.Present, f.Late, f.EarlyLeave, f.Absent, f.Rate(), toWorkDTO(f.Work)})
	}
	if c.Query("format") != "csv" {
		return c.JSON(out)
	}
	var firmIDs []int64
	for _, r := range out.Lawyers {
		firmIDs = append(firmIDs, r.FirmID)
	}
	names, err := s.lookupNames(c.UserContext(), firmIDs, nil, false)
	if err != nil {
		return err
	}
	lines := [][]string{{"律师", "律所", "应值班", "出勤", "迟到", "早退", "缺勤", "出勤率", "调解", "法律咨询", "法治宣传", "协助涉警事务"}}
	for _, r := range out.Lawyers {
		lines = append(lines, []string{r.Name, names.org(r.FirmID), strconv.Itoa(r.Expected), strconv.Itoa(r.Present), strconv.Itoa(r.Late),
			strconv.Itoa(r.EarlyLeave), strconv.Itoa(r.Absent), f64(r.Rate), strconv.Itoa(r.Work.Mediations), strconv.Itoa(r.Work.Consultations),
			strconv.Itoa(r.Work.EducationSessions), strconv.Itoa(r.Work.PoliceAssists)})
	}
	return sendCSV(c, "attendance-"+out.Month+".csv", lines)
}

type assessmentDTO struct {
	ID              int64     `json:"id"`
	FirmID          int64     `json:"firm_id"`
	Month           string    `json:"month"`
	CasesHandled    int       `json:"cases_handled"`
	SuccessRate     float64   `json:"success_rate"`
	Satisfaction    float64   `json:"satisfaction"`
	AttendanceRate  float64   `json:"attendance_rate"`
	Consultations   int       `json:"consultations"`
	Education       int       `json:"education_sessions"`
	PoliceAssists   int       `json:"police_assists"`
	Score           float64   `json:"score"`
	Computed        string    `json:"computed_grade"`
	Grade           string    `json:"grade"`
	Override        *string   `json:"override_grade"`
	OverrideReason  string    `json:"override_reason"`
	DismissalReview bool      `json:"dismissal_review"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func (s *Server) toAssessment(f assessment.FirmAssessment) assessmentDTO {
	return assessmentDTO{ID: f.ID, FirmID: f.FirmID, Month: f.Month, CasesHandled: f.Indicators.CasesHandled, SuccessRate: f.Indicators.SuccessRate,
		Satisfaction: f.Indicators.Satisfaction, AttendanceRate: f.Indicators.AttendanceRate, Consultations: f.Indicators.Consultations,
		Education: f.Indicators.EducationSessions, PoliceAssists: f.Indicators.PoliceAssists, Score: f.Score, Computed: string(f.Computed),
		Grade: string(f.Effective()), Override: optString(string(f.Override)), OverrideReason: f.OverrideReason, DismissalReview: f.DismissalReview,
		UpdatedAt: f.UpdatedAt.In(s.loc)}
}

func (s *Server) runAssessment(c *fiber.Ctx) error {
	var body struct {
		Month string `json:"month"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	from, to, err := stats.MonthBounds(body.Month, s.loc)
	if err != nil {
		return err
	}
	list, err := s.assessments.Run(c.UserContext(), s.actor(c), body.Month, from, to)
	if err != nil {
		return err
	}
	return c.JSON(s.assessmentList(list))
}

func (s *Server) assessmentList(list []assessment.FirmAssessment) []assessmentDTO {
	out := make([]assessmentDTO, len(list))
	for i := range list {
		out[i] = s.toAssessment(list[i])
	}
	return out
}

func (s *Server) listAssessments(c *fiber.Ctx) error {
	if _, _, err := stats.MonthBounds(c.Query("month"), s.loc); err != nil {
		return err
	}
	list, err := s.assessments.ListFor(c.UserContext(), s.actor(c), c.Query("month"))
	if err != nil {
		return err
	}
	return c.JSON(s.assessmentList(list))
}

func (s *Server) overrideAssessment(c *fiber.Ctx) error {
	var body struct {
		Grade  string `json:"grade"`
		Reason string `json:"reason"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	f, err := s.assessments.Override(c.UserContext(), s.actor(c), id, assessment.Grade(body.Grade), body.Reason)
	if err != nil {
		return err
	}
	return c.JSON(s.toAssessment(*f))
}

type stationFeeDTO struct {
	StationID   int64   `json:"station_id"`
	DailyVolume float64 `json:"daily_volume"`
	FeeTier     string  `json:"fee_tier"`
	Fee         int     `json:"fee"`
}

func (s *Server) subsidyReport(c *fiber.Ctx) error {
	from, to, err := stats.MonthBounds(c.Query("month"), s.loc)
	if err != nil {
		return err
	}
	list, err := s.assessments.MoneyStatementFor(c.UserContext(), s.actor(c), from, to)
	if err != nil {
		return err
	}
	type row struct {
		FirmID      int64           `json:"firm_id"`
		CasesByTier map[string]int  `json:"cases_by_tier"`
		Subsidy     int             `json:"subsidy"`
		Stations    []stationFeeDTO `json:"stations"`
		StationID   int64           `json:"station_id"`
		DailyVolume float64         `json:"daily_volume"`
		FeeTier     string          `json:"fee_tier"`
		Fee         int             `json:"fee"`
		Total       int             `json:"total"`
	}
	out := []row{}
	for _, m := range list {
		r := row{m.FirmID, m.CasesByTier, m.Subsidy, []stationFeeDTO{}, m.StationID, m.DailyVolume, m.FeeTier, m.Fee, m.Total}
		for _, st := range m.Stations {
			r.Stations = append(r.Stations, stationFeeDTO{st.StationID, st.DailyVolume, st.FeeTier, st.Fee})
		}
		out = append(out, r)
	}
	if c.Query("format") != "csv" {
		return c.JSON(fiber.Map{"month": c.Query("month"), "firms": out})
	}
	var orgs []int64
	for _, r := range out {
		orgs = append(orgs, r.FirmID)
		for _, st := range r.Stations {
			orgs = append(orgs, st.StationID)
		}
	}
	names, err := s.lookupNames(c.UserContext(), orgs, nil, false)
	if err != nil {
		return err
	}
	// One line per station a firm serves (its fee), then the firm's line:
	// cases by tier, subsidy, the fees together and the total.
	lines := [][]string{{"律所", "项目", "一档案件", "二档案件", "三档案件", "四档案件", "五档案件", "办案补贴(元)", "派出所", "日均接警量", "档次", "值班费(元)", "合计(元)"}}
	for _, r := range out {
		for _, st := range r.Stations {
			lines = append(lines, []string{names.org(r.FirmID), "驻所值班费", "", "", "", "", "", "", names.org(st.StationID), f64(st.DailyVolume),
				label(feeTierLabels, st.FeeTier), strconv.Itoa(st.Fee), ""})
		}
		line := []string{names.org(r.FirmID), "合计"}
		for t := 1; t <= assessment.Tiers; t++ {
			line = append(line, strconv.Itoa(r.CasesByTier[strconv.Itoa(t)]))
		}
		lines = append(lines, append(line, strconv.Itoa(r.Subsidy), "", "", "", strconv.Itoa(r.Fee), strconv.Itoa(r.Total)))
	}
	return sendCSV(c, "subsidies-"+c.Query("month")+".csv", lines)
}

func (s *Server) rateDifficulty(c *fiber.Ctx) error {
	var body struct {
		Tier   int    `json:"tier"`
		Reason string `json:"reason"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	if err := s.assessments.RateDifficulty(c.UserContext(), s.actor(c), id, body.Tier, body.Reason); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"request_id": id, "tier": body.Tier})
}

// workDTO is a lawyer's or firm's four duties in the attendance report.
type workDTO struct {
	Mediations        int `json:"mediation"`
	Consultations     int `json:"consultation"`
	EducationSessions int `json:"education"`
	PoliceAssists     int `json:"police_assist"`
}

func toWorkDTO(w duty.Work) workDTO {
	return workDTO{w.Mediations, w.Consultations, w.EducationSessions, w.PoliceAssists}
}
