package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/stats"
)

// StatsService is what the statistics handlers need of the domain.
type StatsService interface {
	Breakdown(ctx context.Context, a domain.Actor, from, to time.Time, by stats.Group, station int64) (*stats.Report, error)
	Ledger(ctx context.Context, a domain.Actor, from, to time.Time) ([]stats.LedgerLine, error)
	DutyLedger(ctx context.Context, a domain.Actor, from, to time.Time) ([]stats.DutyLedgerLine, error)
}

type statsRowDTO struct {
	Key                     string  `json:"key"`
	Filed                   int64   `json:"filed"`
	Responded               int64   `json:"responded"`
	Closed                  int64   `json:"closed"`
	Agreed                  int64   `json:"agreed"`
	Failed                  int64   `json:"failed"`
	Referred                int64   `json:"referred"`
	Rejected                int64   `json:"rejected"`
	ClosureRate             float64 `json:"closure_rate"`
	SuccessRate             float64 `json:"success_rate"`
	AvgFirstResponseHours   float64 `json:"avg_first_response_hours"`
	AvgCloseHours           float64 `json:"avg_close_hours"`
	Satisfaction            float64 `json:"satisfaction"`
	Rated                   int64   `json:"rated"`
	ReturnVisitRated        int64   `json:"return_visit_rated"`
	ReturnVisitSatisfaction float64 `json:"return_visit_satisfaction"`
	WarningsRaised          int64   `json:"warnings_raised"`
	WarningsResolved        int64   `json:"warnings_resolved"`
	Consultations           int64   `json:"consultations"`
	EducationSessions       int64   `json:"education_sessions"`
	EducationAttendees      int64   `json:"education_attendees"`
	PoliceAssists           int64   `json:"police_assists"`
}

func toStatsRow(r stats.Row) statsRowDTO {
	return statsRowDTO{Key: r.Key, Filed: r.Filed, Responded: r.Responded, Closed: r.Closed, Agreed: r.Agreed, Failed: r.Failed,
		Referred: r.Referred, Rejected: r.Rejected, ClosureRate: r.ClosureRate, SuccessRate: r.SuccessRate,
		AvgFirstResponseHours: r.AvgFirstResponseH, AvgCloseHours: r.AvgCloseH, Satisfaction: r.Satisfaction, Rated: r.Rated,
		ReturnVisitRated: r.ReturnVisits, ReturnVisitSatisfaction: r.ReturnSatisfaction,
		WarningsRaised: r.WarningsRaised, WarningsResolved: r.WarningsResolved,
		Consultations: r.Duty.Consultations, EducationSessions: r.Duty.EducationSessions, EducationAttendees: r.Duty.EducationAttendees,
		PoliceAssists: r.Duty.PoliceAssists}
}

type statsReportDTO struct {
	From    time.Time     `json:"from"`
	To      time.Time     `json:"to"`
	GroupBy string        `json:"group_by"`
	Rows    []statsRowDTO `json:"rows"`
	Total   statsRowDTO   `json:"total"`
	// Fusion is police–justice fusion over the same period, in the
	// monthly and quarterly reports; absent when the caller works in no
	// fusion area.
	Fusion *fusionStatsDTO `json:"fusion,omitempty"`
	// LegalWork is the police–justice fusion figures of the period
	// (monthly and quarterly reports): pairing coverage, legal workers on
	// incidents, compensation calculations.
	LegalWork *legalWorkDTO `json:"legal_work,omitempty"`
}

func (s *Server) toReport(rep *stats.Report) statsReportDTO {
	out := statsReportDTO{From: rep.From.In(s.loc), To: rep.To.In(s.loc), GroupBy: string(rep.By), Rows: []statsRowDTO{}, Total: toStatsRow(rep.Total)}
	for _, r := range rep.Rows {
		out.Rows = append(out.Rows, toStatsRow(r))
	}
	return out
}

// requestStats serves GET /api/v1/stats/requests?from=&to=&group_by=&station_id=.
func (s *Server) requestStats(c *fiber.Ctx) error {
	var p domain.Problems
	now := time.Now().In(s.loc)
	from, to := now.AddDate(0, -1, 0), now
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				p.Add(name, domain.FieldInvalid, "is an RFC 3339 time")
			}
			*dst = t
		}
	}
	var station int64
	if v := c.Query("station_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			p.Add("station_id", domain.FieldInvalid, "is a station ID")
		}
		station = id
	}
	if err := p.Err(); err != nil {
		return err
	}
	rep, err := s.stats.Breakdown(c.UserContext(), s.actor(c), from, to, stats.Group(c.Query("group_by")), station)
	if err != nil {
		return err
	}
	return c.JSON(s.toReport(rep))
}

// report serves the monthly and quarterly reports, as JSON or CSV.
func (s *Server) report(period string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var from, to time.Time
		var err error
		var by stats.Group
		switch period {
		case "monthly":
			from, to, err = stats.MonthBounds(c.Query("month"), s.loc)
			by = stats.ByStation
		default:
			from, to, err = stats.QuarterBounds(c.Query("quarter"), s.loc)
			by = stats.ByMonth
		}
		if err != nil {
			return err
		}
		byCategory := c.Query("group_by") == "category"
		if byCategory {
			by = stats.ByCategory
		}
		rep, err := s.stats.Breakdown(c.UserContext(), s.actor(c), from, to, by, 0)
		if err != nil {
			return err
		}
		out := s.toReport(rep)
		if s.register != nil && s.meetings != nil {
			if out.Fusion, err = s.fusionFigures(c.UserContext(), s.actor(c), from, to); err != nil {
				return err
			}
			if len(out.Fusion.People) == 0 && out.Fusion.MeetingsHeld+out.Fusion.MeetingsPlanned == 0 {
				out.Fusion = nil
			}
		}
		if s.pairing != nil && s.incidents != nil {
			if out.LegalWork, err = s.legalWork(c.UserContext(), s.actor(c), from, to); err != nil {
				return err
			}
		}
		if c.Query("format") != "csv" {
			return c.JSON(out)
		}
		keyHead := map[stats.Group]string{stats.ByStation: "派出所", stats.ByMonth: "月份", stats.ByCategory: "类别", stats.ByKind: "类型"}[by]
		var stations []int64
		for _, r := range rep.Rows {
			if id, err := strconv.ParseInt(r.Key, 10, 64); by == stats.ByStation && err == nil {
				stations = append(stations, id)
			}
		}
		names, err := s.lookupNames(c.UserContext(), stations, nil, by == stats.ByCategory)
		if err != nil {
			return err
		}
		lines := [][]string{{keyHead, "受理", "已响应", "已办结", "调解成功", "调解失败", "转诉讼", "不予受理", "办结率", "调解成功率",
			"平均首次响应(小时)", "平均办结(小时)", "应用内评价数", "应用内满意度", "回访评价数", "回访满意度", "预警数", "预警已处置",
			"法律咨询", "法治宣传(场)", "法治宣传受众(人次)", "协助涉警事务"}}
		for _, r := range append(s.toReport(rep).Rows, toStatsRow(rep.Total)) {
			key := r.Key
			switch {
			case r.Key == "total":
				key = "合计"
			case by == stats.ByStation:
				id, _ := strconv.ParseInt(r.Key, 10, 64)
				key = names.org(id)
			case by == stats.ByCategory:
				key = names.category(r.Key)
			case by == stats.ByKind:
				key = label(kindLabels, r.Key)
			case by == stats.ByMonth:
				if m, err := time.Parse("2006-01", r.Key); err == nil {
					key = m.Format("2006年1月")
				}
			}
			lines = append(lines, []string{key, i64(r.Filed), i64(r.Responded), i64(r.Closed), i64(r.Agreed), i64(r.Failed), i64(r.Referred),
				i64(r.Rejected), f64(r.ClosureRate), f64(r.SuccessRate), f64(r.AvgFirstResponseHours), f64(r.AvgCloseHours), i64(r.Rated), f64(r.Satisfaction),
				i64(r.ReturnVisitRated), f64(r.ReturnVisitSatisfaction),
				i64(r.WarningsRaised), i64(r.WarningsResolved), i64(r.Consultations), i64(r.EducationSessions), i64(r.EducationAttendees),
				i64(r.PoliceAssists)})
		}
		// The fusion figures follow the main table (which ends with 合计),
		// each as a section of its own: an empty line, a title row, then
		// label–value rows, padded to the table's width so that the file
		// stays one rectangle for spreadsheets and CSV readers.
		fusion, err := s.fusionSection(c.UserContext(), out.Fusion)
		if err != nil {
			return err
		}
		for _, section := range [][][]string{fusion, legalWorkSection(out.LegalWork)} {
			if len(section) == 0 {
				continue
			}
			lines = append(lines, []string{})
			for _, row := range section {
				lines = append(lines, append(row, make([]string, len(lines[0])-len(row))...))
			}
		}
		name := period + "-" + c.Query("month") + c.Query("quarter") + ".csv"
		return sendCSV(c, name, lines)
	}
}

// dailyLedger serves 每日台帐 for one local day, as JSON or CSV.
func (s *Server) dailyLedger(c *fiber.Ctx) error {
	from, to, err := stats.DayBounds(c.Query("date"), s.loc)
	if err != nil {
		return err
	}
	lines, err := s.stats.Ledger(c.UserContext(), s.actor(c), from, to)
	if err != nil {
		return err
	}
	work, err := s.stats.DutyLedger(c.UserContext(), s.actor(c), from, to)
	if err != nil {
		return err
	}
	type lineDTO struct {
		RequestID      int64     `json:"request_id"`
		FiledAt        time.Time `json:"filed_at"`
		StationID      int64     `json:"station_id"`
		Kind           string    `json:"kind"`
		Category       string    `json:"category"`
		Status         string    `json:"status"`
		Classification string    `json:"classification"`
		LeadID         *int64    `json:"lead_id"`
		Outcome        string    `json:"outcome"`
	}
	out := make([]lineDTO, len(lines))
	for i, l := range lines {
		out[i] = lineDTO{RequestID: l.RequestID, FiledAt: l.FiledAt.In(s.loc), StationID: l.StationID, Kind: l.Kind, Category: l.Category,
			Status: l.Status, Classification: l.Classification, LeadID: optID(l.LeadID), Outcome: l.Outcome}
	}
	type workDTO struct {
		ID        int64     `json:"id"`
		At        time.Time `json:"at"`
		StationID int64     `json:"station_id"`
		Kind      string    `json:"kind"`
		LawyerID  int64     `json:"lawyer_id"`
		Topic     string    `json:"topic"`
		Minutes   int       `json:"minutes"`
		Attendees int       `json:"attendees"`
	}
	duties := make([]workDTO, len(work))
	for i, w := range work {
		duties[i] = workDTO{w.ID, w.At.In(s.loc), w.StationID, w.Kind, w.LawyerID, w.Topic, w.Minutes, w.Attendees}
	}
	if c.Query("format") != "csv" {
		return c.JSON(fiber.Map{"date": c.Query("date"), "items": out, "duty_work": duties})
	}
	var stations, leads []int64
	for _, l := range lines {
		stations, leads = append(stations, l.StationID), append(leads, l.LeadID)
	}
	for _, w := range work {
		stations, leads = append(stations, w.StationID), append(leads, w.LawyerID)
	}
	names, err := s.lookupNames(c.UserContext(), stations, leads, true)
	if err != nil {
		return err
	}
	rows := [][]string{{"编号", "受理时间", "派出所", "类型", "类别", "状态", "分类", "主调人", "结果"}}
	for _, l := range lines {
		rows = append(rows, []string{i64(l.RequestID), l.FiledAt.In(s.loc).Format("2006-01-02 15:04"), names.org(l.StationID), label(kindLabels, l.Kind),
			names.category(l.Category), label(statusLabels, l.Status), label(classificationLabels, l.Classification), names.staff(l.LeadID),
			label(statusLabels, l.Outcome)})
	}
	// The day's other duty work follows the requests in the same columns:
	// the duty as the type, the topic as the category, the lawyer as lead.
	for _, w := range work {
		result := strconv.Itoa(w.Minutes) + "分钟"
		if w.Kind == "education" {
			result = "受众" + strconv.Itoa(w.Attendees) + "人，" + result
		}
		rows = append(rows, []string{"职能" + i64(w.ID), w.At.In(s.loc).Format("2006-01-02 15:04"), names.org(w.StationID), label(dutyWorkLabels, w.Kind),
			w.Topic, "已登记", "", names.staff(w.LawyerID), result})
	}
	return sendCSV(c, "ledger-"+c.Query("date")+".csv", rows)
}

// sendCSV answers UTF-8 CSV with a byte-order mark, so that spreadsheet
// programs open the Chinese text correctly.
func sendCSV(c *fiber.Ctx, name string, rows [][]string) error {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
	}
	_ = w.WriteAll(rows)
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+csvFileName(name)+`"`)
	return c.Send(b.Bytes())
}

func i64(n int64) string   { return strconv.FormatInt(n, 10) }
func f64(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Labels of the special population's states in the report CSVs.
var specialStateLabels = map[string]string{"managed": "在管", "lost_contact": "脱管", "reoffended": "重新违法犯罪", "released": "解除管控"}

// fusionSection is the report CSV's 警法融合 section: the special population
// by kind and state, contact-plan compliance, meetings and their actions;
// none when the report has no fusion figures.
func (s *Server) fusionSection(ctx context.Context, f *fusionStatsDTO) ([][]string, error) {
	if f == nil {
		return nil, nil
	}
	kinds, err := s.register.Kinds(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, k := range kinds {
		names[k.Code] = k.Name
	}
	rows := [][]string{{"警法融合"}, {"特殊人群类别", "状态", "人数"}}
	for _, p := range f.People {
		rows = append(rows, []string{label(names, p.Kind), label(specialStateLabels, p.State), strconv.Itoa(p.Count)})
	}
	return append(rows,
		[]string{"在管人数", strconv.Itoa(f.Managed)},
		[]string{"按计划联系", strconv.Itoa(f.OnPlan)},
		[]string{"联系计划执行率", f64(f.Compliance)},
		[]string{"联席会议已召开", strconv.Itoa(f.MeetingsHeld)},
		[]string{"联席会议计划", strconv.Itoa(f.MeetingsPlanned)},
		[]string{"会议事项", strconv.Itoa(f.Actions)},
		[]string{"会议事项已办结", strconv.Itoa(f.ActionsClosed)},
		[]string{"会议事项逾期", strconv.Itoa(f.ActionsOverdue)}), nil
}

// legalWorkSection is the report CSV's 法律服务 section: station pairing
// coverage, legal workers on police incidents, compensation calculations.
func legalWorkSection(l *legalWorkDTO) [][]string {
	if l == nil {
		return nil
	}
	p, in := l.Pairing, l.Incidents
	return [][]string{{"法律服务"},
		{"派出所数", strconv.Itoa(p.Stations)},
		{"已结对派出所", strconv.Itoa(p.Paired)},
		{"结对覆盖率", f64(p.CoverageRate)},
		{"结对走访逾期", strconv.Itoa(p.Overdue)},
		{"结对走访", i64(p.Visits)},
		{"走访发现问题", i64(p.Findings)},
		{"问题已核实", i64(p.Verified)},
		{"警情", i64(in.Incidents)},
		{"法律工作者参与警情", i64(in.WithLegalWorker)},
		{"警情已化解", i64(in.Resolved)},
		{"警情转调解", i64(in.Referred)},
		{"赔偿测算", i64(in.Calculations)},
		{"测算金额(元)", f64(float64(in.CalculatedFen) / 100)},
	}
}
