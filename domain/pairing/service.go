package pairing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Service runs pairings.
type Service struct {
	Tx        domain.TxRunner
	Store     Store
	Directory Directory
	Orders    Orders
	Warnings  Warnings
	Audit     domain.Auditor
	Clock     domain.Clock
}

func notFound() error {
	return domain.Errorf(domain.KindNotFound, "pairing.not_found", "No such pairing.")
}

// scope is the stations the actor oversees (nil and true: all).
func (s *Service) scope(ctx context.Context, a domain.Actor) ([]int64, bool, error) {
	if !a.Has("police", "supervisor", "admin") {
		return nil, false, nil
	}
	return s.Directory.StationScope(ctx, a)
}

func (s *Service) inScope(ctx context.Context, a domain.Actor, station int64) (bool, error) {
	st, all, err := s.scope(ctx, a)
	return all || slices.Contains(st, station), err
}

// visiblePairing loads a pairing whose station the actor oversees, or whose
// cadre they are.
func (s *Service) visiblePairing(ctx context.Context, a domain.Actor, id int64) (*Pairing, error) {
	p, err := s.Store.Pairing(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, notFound()
	}
	if err != nil {
		return nil, err
	}
	if p.CadreID == a.UserID && a.UserID != 0 {
		return p, nil
	}
	if ok, err := s.inScope(ctx, a, p.StationID); err != nil || !ok {
		if err == nil {
			err = notFound()
		}
		return nil, err
	}
	return p, nil
}

// Pair pairs a cadre with a station in the actor's scope (supervisors and
// admins). A station has one cadre at a time.
func (s *Service) Pair(ctx context.Context, a domain.Actor, cadreID int64, level Level, stationID int64) (*Pairing, error) {
	var p domain.Problems
	if !level.Valid() {
		p.Add("level", domain.FieldUnsupported, "is province, city or county")
	}
	if cadreID <= 0 {
		p.Add("cadre_id", domain.FieldRequired, "is required")
	}
	if stationID <= 0 {
		p.Add("station_id", domain.FieldRequired, "is required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	stations, all, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !all && !slices.Contains(stations, stationID) {
		return nil, domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldDoesNotExist, Message: "is not a station in your scope"})
	}
	name, _, err := s.Directory.Cadre(ctx, cadreID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, domain.Invalid(domain.FieldError{Field: "cadre_id", Code: domain.FieldDoesNotExist, Message: "is not a leading cadre (a supervisor or admin account)"})
	}
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	out := &Pairing{CadreID: cadreID, CadreName: name, Level: level, StationID: stationID, CreatedBy: a.UserID, CreatedAt: now}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreatePairing(ctx, out); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return domain.Errorf(domain.KindConflict, "pairing.station_taken", "This station already has a pairing cadre; end that pairing first.")
			}
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "pairing.create", "pairing", out.ID, string(level)))
	})
	return out, err
}

// End ends a pairing (supervisors and admins of its station).
func (s *Service) End(ctx context.Context, a domain.Actor, id int64) (*Pairing, error) {
	var out *Pairing
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		p, err := s.Store.Pairing(ctx, id)
		if domain.IsKind(err, domain.KindNotFound) {
			return notFound()
		}
		if err != nil {
			return err
		}
		if ok, err := s.inScope(ctx, a, p.StationID); err != nil || !ok {
			if err == nil {
				err = notFound()
			}
			return err
		}
		if !p.Active() {
			return domain.Errorf(domain.KindFailedPrecondition, "pairing.ended", "The pairing has ended.")
		}
		now := s.Clock.Now()
		if err := s.Store.EndPairing(ctx, id, now); err != nil {
			return err
		}
		p.EndedAt = &now
		out = p
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "pairing.end", "pairing", id, ""))
	})
	return out, err
}

// Pairings lists the pairings of the stations the actor oversees and those
// the actor leads as a cadre (a provincial cadre's stations lie outside their
// own organisation), newest first.
func (s *Service) Pairings(ctx context.Context, a domain.Actor) ([]Pairing, error) {
	stations, all, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.Store.PairingsOf(ctx, stations, all, a.UserID)
}

// NewVisit is what a cadre logs of a visit.
type NewVisit struct {
	VisitedAt   time.Time
	Unannounced bool // the cadre confirms 四不两直
	Checked     []string
	Summary     string
	Findings    []string
}

func text(p *domain.Problems, field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		p.Add(field, domain.FieldRequired, "is required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, domain.FieldTooLong, fmt.Sprintf("is at most %d characters", max))
	}
	return v
}

// LogVisit records the cadre's own visit to their station; each finding
// becomes a rectification work order for the station.
func (s *Service) LogVisit(ctx context.Context, a domain.Actor, pairingID int64, n NewVisit) (*Visit, error) {
	var p domain.Problems
	now := s.Clock.Now()
	if n.VisitedAt.IsZero() {
		p.Add("visited_at", domain.FieldRequired, "is required")
	} else if n.VisitedAt.After(now.Add(5 * time.Minute)) {
		p.Add("visited_at", domain.FieldOutOfRange, "is in the future")
	}
	if !n.Unannounced {
		p.Add("unannounced", domain.FieldInvalid, "a pairing visit is unannounced (四不两直); confirm it was")
	}
	n.Summary = text(&p, "summary", n.Summary, true, 2000)
	if len(n.Checked) > 20 {
		p.Add("checked", domain.FieldTooLong, "names at most 20 places")
	}
	var checked []string
	for _, c := range n.Checked {
		if c = text(&p, "checked", c, false, 50); c != "" {
			checked = append(checked, c)
		}
	}
	if len(n.Findings) > 30 {
		p.Add("findings", domain.FieldTooLong, "at most 30 findings a visit")
	}
	var findings []string
	for _, f := range n.Findings {
		if f = text(&p, "findings", f, false, 1000); f != "" {
			findings = append(findings, f)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Visit
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		pr, err := s.visiblePairing(ctx, a, pairingID)
		if err != nil {
			return err
		}
		if pr.CadreID != a.UserID {
			return domain.Errorf(domain.KindForbidden, "pairing.not_your_station", "Only the station's pairing cadre logs their visits.")
		}
		if !pr.Active() {
			return domain.Errorf(domain.KindFailedPrecondition, "pairing.ended", "The pairing has ended.")
		}
		v := &Visit{PairingID: pr.ID, CadreID: a.UserID, StationID: pr.StationID, VisitedAt: n.VisitedAt.UTC(), Checked: checked, Summary: n.Summary, CreatedAt: now}
		if err := s.Store.CreateVisit(ctx, v); err != nil {
			return err
		}
		for _, d := range findings {
			f := Finding{VisitID: v.ID, PairingID: pr.ID, StationID: pr.StationID, Description: d, State: FindingOpen, Round: 1, CreatedAt: now, UpdatedAt: now, Version: 1}
			if err := s.Store.CreateFinding(ctx, &f); err != nil {
				return err
			}
			if err := s.rectificationOrder(ctx, &f); err != nil {
				return err
			}
			v.Findings = append(v.Findings, f)
		}
		out = v
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "pairing.visit", "pairing", pr.ID, fmt.Sprintf("%d findings", len(findings))))
	})
	return out, err
}

func (s *Service) rectificationOrder(ctx context.Context, f *Finding) error {
	title := f.Description
	if utf8.RuneCountInString(title) > 60 {
		title = string([]rune(title)[:60]) + "…"
	}
	return s.Orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindRectification, UnitID: f.StationID, Priority: 2,
		Title: "包联问题整改：" + title, ResourceType: "pairing_finding", ResourceID: f.ID,
		DedupeKey: fmt.Sprintf("pairing_finding:%d:round:%d", f.ID, f.Round)})
}

// Visits pages a pairing's visits with their findings, newest first.
func (s *Service) Visits(ctx context.Context, a domain.Actor, pairingID int64, limit int) ([]Visit, error) {
	if _, err := s.visiblePairing(ctx, a, pairingID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	return s.Store.Visits(ctx, pairingID, limit)
}

// ActOnFinding moves a finding: the station's officers (and supervisors)
// report it rectified, which finishes its order; the pairing cadre (or a
// supervisor) verifies it or rejects the fix, which sends a new order.
func (s *Service) ActOnFinding(ctx context.Context, a domain.Actor, id int64, action FindingAction, note string) (*Finding, error) {
	var p domain.Problems
	note = text(&p, "note", note, action != ActVerify, 1000)
	if !slices.Contains(FindingActions, action) {
		p.Add("action", domain.FieldUnsupported, "is rectify, verify or reject")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out *Finding
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		f, err := s.Store.Finding(ctx, id)
		if domain.IsKind(err, domain.KindNotFound) {
			return domain.Errorf(domain.KindNotFound, "pairing.finding_not_found", "No such finding.")
		}
		if err != nil {
			return err
		}
		pr, err := s.visiblePairing(ctx, a, f.PairingID)
		if domain.IsKind(err, domain.KindNotFound) {
			return domain.Errorf(domain.KindNotFound, "pairing.finding_not_found", "No such finding.")
		}
		if err != nil {
			return err
		}
		station, err := s.inScope(ctx, a, f.StationID)
		if err != nil {
			return err
		}
		switch {
		case action == ActRectify && !(station && a.Has("police", "supervisor", "admin")):
			return domain.Errorf(domain.KindForbidden, "pairing.station_only", "Only the station reports a finding rectified.")
		case action != ActRectify && pr.CadreID != a.UserID && !a.Has("supervisor", "admin"):
			return domain.Errorf(domain.KindForbidden, "pairing.cadre_only", "Only the pairing cadre verifies a rectification.")
		}
		to, err := NextFinding(f.State, action)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch action {
		case ActRectify:
			f.RectifiedBy, f.RectifiedAt = a.UserID, &now
		case ActVerify:
			f.VerifiedBy, f.VerifiedAt = a.UserID, &now
		case ActReject:
			f.Round++
		}
		if note != "" {
			f.Note = note
		}
		f.State, f.UpdatedAt = to, now
		ok, err := s.Store.UpdateFinding(ctx, f)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "pairing.finding_changed", "The finding changed meanwhile; reload it and try again.")
		}
		switch action {
		case ActRectify:
			if _, err := s.Orders.Settle(ctx, a, workorder.CauseFindingRectified, f.ID); err != nil {
				return err
			}
		case ActReject:
			if err := s.rectificationOrder(ctx, f); err != nil {
				return err
			}
		}
		out = f
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "pairing_finding."+string(action), "pairing_finding", f.ID, string(to)))
	})
	return out, err
}

// StationCoverage is one station's line in the coverage view.
type StationCoverage struct {
	Station      Station
	Pairing      *Pairing // nil: unpaired
	LastVisitAt  *time.Time
	DueAt        *time.Time
	Overdue      bool
	OpenFindings int
}

// Coverage is the coverage view of the actor's stations.
type Coverage struct {
	At       time.Time
	Summary  Summary
	Overdue  int
	Stations []StationCoverage
}

// Coverage shows every station in the actor's scope: its cadre, last visit,
// when the next is due and whether it is overdue, and the level shares.
func (s *Service) Coverage(ctx context.Context, a domain.Actor) (*Coverage, error) {
	scope, all, err := s.scope(ctx, a)
	if err != nil {
		return nil, err
	}
	stations, err := s.Directory.Stations(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	var mine []Station
	for _, st := range stations {
		if all || slices.Contains(scope, st.ID) {
			ids, mine = append(ids, st.ID), append(mine, st)
		}
	}
	now := s.Clock.Now()
	out := &Coverage{At: now, Stations: []StationCoverage{}}
	if len(ids) == 0 {
		out.Summary = Summarise(nil, nil)
		return out, nil
	}
	active, err := s.Store.ActivePairings(ctx, ids)
	if err != nil {
		return nil, err
	}
	pids := make([]int64, len(active))
	byStation := map[int64]*Pairing{}
	for i := range active {
		pids[i] = active[i].ID
		byStation[active[i].StationID] = &active[i]
	}
	last, err := s.Store.LastVisits(ctx, pids)
	if err != nil {
		return nil, err
	}
	open, err := s.Store.OpenFindings(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, st := range mine {
		line := StationCoverage{Station: st, OpenFindings: open[st.ID]}
		if p := byStation[st.ID]; p != nil {
			line.Pairing = p
			if t, ok := last[p.ID]; ok {
				line.LastVisitAt = &t
			}
			due := p.DueAt(line.LastVisitAt)
			line.DueAt, line.Overdue = &due, now.After(due)
			if line.Overdue {
				out.Overdue++
			}
		}
		out.Stations = append(out.Stations, line)
	}
	out.Summary = Summarise(ids, active)
	return out, nil
}

// CheckOverdue raises the overdue-visit warning for every active pairing
// whose visit is overdue: one warning per pairing and missed due date, on
// the station's sheet. It reports how many it raised.
func (s *Service) CheckOverdue(ctx context.Context) (int, error) {
	active, err := s.Store.ActivePairings(ctx, nil)
	if err != nil || len(active) == 0 {
		return 0, err
	}
	ids := make([]int64, len(active))
	for i := range active {
		ids[i] = active[i].ID
	}
	last, err := s.Store.LastVisits(ctx, ids)
	if err != nil {
		return 0, err
	}
	now, n := s.Clock.Now(), 0
	for i := range active {
		p := &active[i]
		var lv *time.Time
		if t, ok := last[p.ID]; ok {
			lv = &t
		}
		due := p.DueAt(lv)
		if !now.After(due) {
			continue
		}
		// The station's sheet, and one for the cadre's own bureau: the
		// visit is theirs to make.
		var units []int64
		if _, org, err := s.Directory.Cadre(ctx, p.CadreID); err == nil && org != 0 && org != p.StationID {
			units = []int64{org}
		} else if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return n, err
		}
		w, err := s.Warnings.RaiseFact(ctx, warning.Fact{Kind: warning.KindPairingOverdue, Subject: fmt.Sprintf("pairing:%d", p.ID),
			StationID: p.StationID, DedupeKey: fmt.Sprintf("pairing:%d:due:%s", p.ID, due.UTC().Format(time.RFC3339)), Units: units})
		if err != nil {
			return n, err
		}
		if w != nil {
			n++
		}
	}
	return n, nil
}

// Stats are the pairing figures of the actor's stations.
type Stats struct {
	Summary
	Overdue  int
	Visits   int64
	Findings int64
	Verified int64
}

// Stats counts the coverage now and the visits and findings of [from, to).
func (s *Service) Stats(ctx context.Context, a domain.Actor, from, to time.Time) (*Stats, error) {
	c, err := s.Coverage(ctx, a)
	if err != nil {
		return nil, err
	}
	out := &Stats{Summary: c.Summary, Overdue: c.Overdue}
	ids := make([]int64, len(c.Stations))
	for i, st := range c.Stations {
		ids[i] = st.Station.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	out.Visits, out.Findings, out.Verified, err = s.Store.Counts(ctx, ids, from, to)
	return out, err
}
