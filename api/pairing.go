package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/incident"
	"github.com/tiaojie/tiaojie/domain/pairing"
)

// PairingService is station pairing (包联, issue 19 part 4).
type PairingService interface {
	Pair(ctx context.Context, a domain.Actor, cadreID int64, level pairing.Level, stationID int64) (*pairing.Pairing, error)
	End(ctx context.Context, a domain.Actor, id int64) (*pairing.Pairing, error)
	LogVisit(ctx context.Context, a domain.Actor, pairingID int64, n pairing.NewVisit) (*pairing.Visit, error)
	Visits(ctx context.Context, a domain.Actor, pairingID int64, limit int) ([]pairing.Visit, error)
	ActOnFinding(ctx context.Context, a domain.Actor, id int64, action pairing.FindingAction, note string) (*pairing.Finding, error)
	Coverage(ctx context.Context, a domain.Actor) (*pairing.Coverage, error)
	Pairings(ctx context.Context, a domain.Actor) ([]pairing.Pairing, error)
	Stats(ctx context.Context, a domain.Actor, from, to time.Time) (*pairing.Stats, error)
}

var _ PairingService = (*pairing.Service)(nil)

type pairingDTO struct {
	ID        int64      `json:"id"`
	CadreID   int64      `json:"cadre_id"`
	CadreName string     `json:"cadre_name"`
	Level     string     `json:"level"`
	StationID int64      `json:"station_id"`
	CreatedAt time.Time  `json:"created_at"`
	EndedAt   *time.Time `json:"ended_at"`
}

func (s *Server) toPairingDTO(p *pairing.Pairing) pairingDTO {
	out := pairingDTO{ID: p.ID, CadreID: p.CadreID, CadreName: p.CadreName, Level: string(p.Level), StationID: p.StationID, CreatedAt: p.CreatedAt.In(s.loc)}
	if p.EndedAt != nil {
		t := p.EndedAt.In(s.loc)
		out.EndedAt = &t
	}
	return out
}

type findingDTO struct {
	ID          int64      `json:"id"`
	VisitID     int64      `json:"visit_id"`
	PairingID   int64      `json:"pairing_id"`
	StationID   int64      `json:"station_id"`
	Description string     `json:"description"`
	State       string     `json:"state"`
	Round       int        `json:"round"`
	Note        string     `json:"note"`
	RectifiedAt *time.Time `json:"rectified_at"`
	VerifiedAt  *time.Time `json:"verified_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func (s *Server) localPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	l := t.In(s.loc)
	return &l
}

func (s *Server) toFindingDTO(f *pairing.Finding) findingDTO {
	return findingDTO{ID: f.ID, VisitID: f.VisitID, PairingID: f.PairingID, StationID: f.StationID, Description: f.Description, State: string(f.State),
		Round: f.Round, Note: f.Note, RectifiedAt: s.localPtr(f.RectifiedAt), VerifiedAt: s.localPtr(f.VerifiedAt), UpdatedAt: f.UpdatedAt.In(s.loc)}
}

type pairingVisitDTO struct {
	ID        int64        `json:"id"`
	PairingID int64        `json:"pairing_id"`
	CadreID   int64        `json:"cadre_id"`
	StationID int64        `json:"station_id"`
	VisitedAt time.Time    `json:"visited_at"`
	Checked   []string     `json:"checked"`
	Summary   string       `json:"summary"`
	Findings  []findingDTO `json:"findings"`
}

func (s *Server) toVisitDTO(v *pairing.Visit) pairingVisitDTO {
	out := pairingVisitDTO{ID: v.ID, PairingID: v.PairingID, CadreID: v.CadreID, StationID: v.StationID, VisitedAt: v.VisitedAt.In(s.loc),
		Checked: orEmpty(v.Checked), Summary: v.Summary, Findings: []findingDTO{}}
	for i := range v.Findings {
		out.Findings = append(out.Findings, s.toFindingDTO(&v.Findings[i]))
	}
	return out
}

func (s *Server) createPairing(c *fiber.Ctx) error {
	var body struct {
		CadreID   int64  `json:"cadre_id"`
		Level     string `json:"level"`
		StationID int64  `json:"station_id"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	p, err := s.pairing.Pair(c.UserContext(), s.actor(c), body.CadreID, pairing.Level(body.Level), body.StationID)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toPairingDTO(p))
}

// listPairings serves the pairings of the caller's stations and those the
// caller leads as a cadre.
func (s *Server) listPairings(c *fiber.Ctx) error {
	items, err := s.pairing.Pairings(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	out := make([]pairingDTO, len(items))
	for i := range items {
		out[i] = s.toPairingDTO(&items[i])
	}
	return c.JSON(out)
}

func (s *Server) endPairing(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.pairing.End(c.UserContext(), s.actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(s.toPairingDTO(p))
}

func (s *Server) logPairingVisit(c *fiber.Ctx) error {
	var body struct {
		VisitedAt   time.Time `json:"visited_at"`
		Unannounced bool      `json:"unannounced"`
		Checked     []string  `json:"checked"`
		Summary     string    `json:"summary"`
		Findings    []string  `json:"findings"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	v, err := s.pairing.LogVisit(c.UserContext(), s.actor(c), id, pairing.NewVisit{VisitedAt: body.VisitedAt, Unannounced: body.Unannounced,
		Checked: body.Checked, Summary: body.Summary, Findings: body.Findings})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(s.toVisitDTO(v))
}

func (s *Server) listPairingVisits(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	visits, err := s.pairing.Visits(c.UserContext(), s.actor(c), id, limit)
	if err != nil {
		return err
	}
	out := make([]pairingVisitDTO, len(visits))
	for i := range visits {
		out[i] = s.toVisitDTO(&visits[i])
	}
	return c.JSON(out)
}

// actOnFinding serves /pairing-findings/{id}/rectify, /verify and /reject.
func (s *Server) actOnFinding(action pairing.FindingAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var body struct {
			Note string `json:"note"`
		}
		id, err := s.pathIDAndBody(c, "id", &body)
		if err != nil {
			return err
		}
		f, err := s.pairing.ActOnFinding(c.UserContext(), s.actor(c), id, action, body.Note)
		if err != nil {
			return err
		}
		return c.JSON(s.toFindingDTO(f))
	}
}

type levelShareDTO struct {
	Level     string `json:"level"`
	Stations  int    `json:"stations"`
	SharePct  int    `json:"share_pct"`
	TargetPct int    `json:"target_pct"`
	Shortfall int    `json:"shortfall"`
}

type coverageSummaryDTO struct {
	Stations int             `json:"stations"`
	Paired   int             `json:"paired"`
	Unpaired []int64         `json:"unpaired"`
	Complete bool            `json:"complete"`
	Overdue  int             `json:"overdue"`
	ByLevel  []levelShareDTO `json:"by_level"`
}

func toCoverageSummary(sum pairing.Summary, overdue int) coverageSummaryDTO {
	out := coverageSummaryDTO{Stations: sum.Stations, Paired: sum.Paired, Unpaired: orEmptyIDs(sum.Unpaired), Complete: sum.Complete, Overdue: overdue,
		ByLevel: []levelShareDTO{}}
	for _, l := range sum.ByLevel {
		out.ByLevel = append(out.ByLevel, levelShareDTO{Level: string(l.Level), Stations: l.Stations, SharePct: l.SharePct, TargetPct: l.TargetPct, Shortfall: l.Shortfall})
	}
	return out
}

func orEmptyIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

type stationCoverageDTO struct {
	StationID    int64       `json:"station_id"`
	StationName  string      `json:"station_name"`
	Pairing      *pairingDTO `json:"pairing"`
	LastVisitAt  *time.Time  `json:"last_visit_at"`
	DueAt        *time.Time  `json:"due_at"`
	Overdue      bool        `json:"overdue"`
	OpenFindings int         `json:"open_findings"`
}

func (s *Server) pairingCoverage(c *fiber.Ctx) error {
	cov, err := s.pairing.Coverage(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	lines := []stationCoverageDTO{}
	for _, st := range cov.Stations {
		l := stationCoverageDTO{StationID: st.Station.ID, StationName: st.Station.Name, LastVisitAt: s.localPtr(st.LastVisitAt), DueAt: s.localPtr(st.DueAt),
			Overdue: st.Overdue, OpenFindings: st.OpenFindings}
		if st.Pairing != nil {
			p := s.toPairingDTO(st.Pairing)
			l.Pairing = &p
		}
		lines = append(lines, l)
	}
	return c.JSON(fiber.Map{"at": cov.At.In(s.loc), "summary": toCoverageSummary(cov.Summary, cov.Overdue), "stations": lines})
}

// statsPeriod reads ?from= and ?to= (RFC 3339; default the last month).
func (s *Server) statsPeriod(c *fiber.Ctx) (time.Time, time.Time, error) {
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
	if err := p.Err(); err != nil {
		return from, to, err
	}
	if !to.After(from) || to.Sub(from) > 400*24*time.Hour {
		return from, to, domain.Invalid(domain.FieldError{Field: "to", Code: domain.FieldOutOfRange, Message: "is after from, at most 400 days"})
	}
	return from, to, nil
}

type pairingStatsDTO struct {
	coverageSummaryDTO
	CoverageRate float64 `json:"coverage_rate"`
	Visits       int64   `json:"visits"`
	Findings     int64   `json:"findings"`
	Verified     int64   `json:"verified"`
}

type incidentStatsDTO struct {
	Incidents       int64 `json:"incidents"`
	WithLegalWorker int64 `json:"with_legal_worker"`
	Resolved        int64 `json:"resolved"`
	Referred        int64 `json:"referred"`
	Calculations    int64 `json:"calculations"`
	CalculatedFen   int64 `json:"calculated_fen"`
}

func toPairingStats(st *pairing.Stats) pairingStatsDTO {
	out := pairingStatsDTO{coverageSummaryDTO: toCoverageSummary(st.Summary, st.Overdue), Visits: st.Visits, Findings: st.Findings, Verified: st.Verified}
	if st.Stations > 0 {
		out.CoverageRate = float64(st.Paired) / float64(st.Stations)
	}
	return out
}

func toIncidentStats(c incident.Counts) incidentStatsDTO {
	return incidentStatsDTO{Incidents: c.Incidents, WithLegalWorker: c.WithLegalWorker, Resolved: c.Resolved, Referred: c.Referred,
		Calculations: c.Calculations, CalculatedFen: c.CalculatedFen}
}

// pairingStats serves GET /api/v1/stats/pairing: coverage now, visits and
// findings of the period, and the incidents legal workers joined.
func (s *Server) pairingStats(c *fiber.Ctx) error {
	from, to, err := s.statsPeriod(c)
	if err != nil {
		return err
	}
	legal, err := s.legalWork(c.UserContext(), s.actor(c), from, to)
	if err != nil {
		return err
	}
	return c.JSON(legal)
}

type legalWorkDTO struct {
	From      time.Time        `json:"from"`
	To        time.Time        `json:"to"`
	Pairing   pairingStatsDTO  `json:"pairing"`
	Incidents incidentStatsDTO `json:"incidents"`
}

// legalWork is the fusion figures of a period: the stats endpoint and the
// monthly report show them.
func (s *Server) legalWork(ctx context.Context, a domain.Actor, from, to time.Time) (*legalWorkDTO, error) {
	ps, err := s.pairing.Stats(ctx, a, from, to)
	if err != nil {
		return nil, err
	}
	ic, err := s.incidents.Counts(ctx, a, from, to)
	if err != nil {
		return nil, err
	}
	return &legalWorkDTO{From: from.In(s.loc), To: to.In(s.loc), Pairing: toPairingStats(ps), Incidents: toIncidentStats(ic)}, nil
}
