package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// searchQuery decodes the custom-search filters (自定义检索) from the query
// string; from and to are local dates, both days included.
func (s *Server) searchQuery(c *fiber.Ctx) (m.Search, error) {
	q := m.Search{
		PartyName: utils.CopyString(c.Query("party_name")), PartyPhone: utils.CopyString(c.Query("party_phone")),
		Place: utils.CopyString(c.Query("place")), Category: utils.CopyString(c.Query("category")), Tag: utils.CopyString(c.Query("tag")),
		Classification: m.Classification(utils.CopyString(c.Query("classification"))), Status: m.Status(utils.CopyString(c.Query("status"))),
	}
	var p domain.Problems
	for _, f := range []struct {
		name string
		to   *int64
	}{{"station_id", &q.StationID}, {"lead_id", &q.LeadID}} {
		if v := c.Query(f.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				p.Add(f.name, domain.FieldInvalid, "is not an ID")
			}
			*f.to = n
		}
	}
	for _, f := range []struct {
		name    string
		to      *time.Time
		nextDay bool
	}{{"from", &q.From, false}, {"to", &q.To, true}} {
		if v := c.Query(f.name); v != "" {
			d, err := time.ParseInLocation("2006-01-02", v, s.loc)
			if err != nil {
				p.Add(f.name, domain.FieldInvalid, "is a date like 2026-11-30")
				continue
			}
			if f.nextDay {
				d = d.AddDate(0, 0, 1)
			}
			*f.to = d
		}
	}
	return q, p.Err()
}

// searchRequests answers a page of the requests matching the filters, or
// all of them as CSV with format=csv.
func (s *Server) searchRequests(c *fiber.Ctx) error {
	q, err := s.searchQuery(c)
	if err != nil {
		return err
	}
	a := s.actor(c)
	if c.Query("format") == "csv" {
		items, err := s.mediation.ExportRequests(c.UserContext(), a, q)
		if err != nil {
			return err
		}
		return s.sendSearchCSV(c, items)
	}
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	items, err := s.mediation.SearchRequests(c.UserContext(), a, q, m.Page{Before: before, Limit: limit})
	if err != nil {
		return err
	}
	out := make([]requestDTO, len(items))
	for i := range items {
		out[i] = toRequestDTO(&items[i], a, s.loc)
	}
	return c.JSON(newPage(out, limit, func(r requestDTO) int64 { return r.ID }))
}

// sendSearchCSV writes the search result for a spreadsheet: names and
// Chinese labels, never IDs or codes, and every phone masked whoever asks.
func (s *Server) sendSearchCSV(c *fiber.Ctx, items []m.Request) error {
	var stations, leads []int64
	for _, r := range items {
		stations, leads = append(stations, r.Filing.StationID), append(leads, r.LeadID)
	}
	names, err := s.lookupNames(c.UserContext(), stations, leads, true)
	if err != nil {
		return err
	}
	rows := [][]string{{"编号", "受理时间", "派出所", "类型", "类别", "状态", "分类", "主调人", "地点", "当事人", "标签"}}
	for _, r := range items {
		parties := make([]string, len(r.Filing.Parties))
		for i, p := range r.Filing.Parties {
			parties[i] = p.Name
			if p.Phone != "" {
				parties[i] += "(" + domain.MaskPhone(p.Phone) + ")"
			}
		}
		rows = append(rows, []string{i64(r.ID), r.CreatedAt.In(s.loc).Format("2006-01-02 15:04"), names.org(r.Filing.StationID),
			label(kindLabels, string(r.Filing.Kind)), names.category(r.Filing.Category), label(statusLabels, string(r.Status)),
			label(classificationLabels, string(r.Classification)), names.staff(r.LeadID), csvText(r.Filing.Place),
			csvText(strings.Join(parties, "、")), strings.Join(r.Tags, "、")})
	}
	return sendCSV(c, "search.csv", rows)
}

// csvText keeps a citizen's free text from being read as a spreadsheet
// formula (CSV injection).
func csvText(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}
