package stats

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// MaxWindow bounds one query: a year and a bit.
const MaxWindow = 400 * 24 * time.Hour

// Report is a breakdown with its total.
type Report struct {
	From, To time.Time
	By       Group
	Rows     []Row
	Total    Row
}

// Breakdown is the figures of requests filed in [from, to) at the
// stations the actor sees (narrowed to station when not 0), by group.
func (s *Service) Breakdown(ctx context.Context, a domain.Actor, from, to time.Time, by Group, station int64) (*Report, error) {
	var p domain.Problems
	switch by {
	case ByStation, ByCategory, ByKind, ByMonth, ByTag, ByNothing:
	default:
		p.Add("group_by", domain.FieldInvalid, "is station, category, kind, month or tag")
	}
	if !to.After(from) || to.Sub(from) > MaxWindow {
		p.Add("to", domain.FieldOutOfRange, "comes after from, at most 400 days later")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	stations, err := s.stations(ctx, a, station)
	if err != nil {
		return nil, err
	}
	q := Query{Stations: stations, From: from.UTC(), To: to.UTC(), By: by, Offset: s.offset(from)}
	rep := &Report{From: from, To: to, By: by}
	if len(stations) == 0 {
		rep.Total = derive("total", Figures{})
		return rep, nil
	}
	figs, err := s.Store.Figures(ctx, q)
	if err != nil {
		return nil, err
	}
	raised, resolved, err := s.Store.Warnings(ctx, q)
	if err != nil {
		return nil, err
	}
	// A warning has a station and a time but no category or kind: by those,
	// warnings count in the total only, never as a row of their own.
	warningsHaveKey := by == ByStation || by == ByMonth || by == ByNothing
	keys := map[string]bool{}
	for k := range figs {
		keys[k] = true
	}
	var wr, wd int64
	for k := range raised {
		wr, wd = wr+raised[k], wd+resolved[k]
		if warningsHaveKey {
			keys[k] = true
		}
	}
	var total Figures
	for k := range keys {
		row := derive(k, figs[k])
		if warningsHaveKey {
			row.WarningsRaised, row.WarningsResolved = raised[k], resolved[k]
		}
		total.Add(figs[k])
		rep.Rows = append(rep.Rows, row)
	}
	var duties map[string]DutyFigures
	if s.Duties != nil {
		if duties, err = s.Duties.DutyWork(ctx, q); err != nil {
			return nil, err
		}
	}
	var dutyTotal DutyFigures
	for k, d := range duties {
		dutyTotal.Add(d)
		if !warningsHaveKey {
			continue
		}
		if i := slices.IndexFunc(rep.Rows, func(r Row) bool { return r.Key == k }); i >= 0 {
			rep.Rows[i].Duty = d
		} else {
			row := derive(k, Figures{})
			row.Duty = d
			rep.Rows = append(rep.Rows, row)
		}
	}
	sort.Slice(rep.Rows, func(i, j int) bool { return rep.Rows[i].Key < rep.Rows[j].Key })
	if by == ByTag { // rows overlap: count every request once
		all := q
		all.By = ByNothing
		whole, err := s.Store.Figures(ctx, all)
		if err != nil {
			return nil, err
		}
		total = whole[""]
	}
	rep.Total = derive("total", total)
	rep.Total.WarningsRaised, rep.Total.WarningsResolved = wr, wd
	rep.Total.Duty = dutyTotal
	if s.Audit != nil {
		err = s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "stats.read", "stats", 0, string(by)))
	}
	return rep, err
}

// stations is the actor's scope, narrowed to one station on request (a
// station outside the scope gives nothing, not an error that would tell
// it exists).
func (s *Service) stations(ctx context.Context, a domain.Actor, station int64) ([]int64, error) {
	scope, _, err := s.Scope.StationScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if station == 0 {
		return scope, nil
	}
	if slices.Contains(scope, station) {
		return []int64{station}, nil
	}
	return nil, nil
}

func (s *Service) offset(at time.Time) time.Duration {
	if s.Loc == nil {
		return 0
	}
	_, off := at.In(s.Loc).Zone()
	return time.Duration(off) * time.Second
}

// MonthBounds is [first of month, first of next) in loc, for "2026-11".
func MonthBounds(month string, loc *time.Location) (time.Time, time.Time, error) {
	t, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return time.Time{}, time.Time{}, domain.Invalid(domain.FieldError{Field: "month", Code: domain.FieldInvalid, Message: "is a month like 2026-11"})
	}
	return t, t.AddDate(0, 1, 0), nil
}

// QuarterBounds is the quarter "2026-Q4" in loc.
func QuarterBounds(quarter string, loc *time.Location) (time.Time, time.Time, error) {
	bad := domain.Invalid(domain.FieldError{Field: "quarter", Code: domain.FieldInvalid, Message: "is a quarter like 2026-Q4"})
	if len(quarter) != 7 || quarter[4:6] != "-Q" || quarter[6] < '1' || quarter[6] > '4' {
		return time.Time{}, time.Time{}, bad
	}
	y, err := time.ParseInLocation("2006", quarter[:4], loc)
	if err != nil {
		return time.Time{}, time.Time{}, bad
	}
	from := y.AddDate(0, 3*int(quarter[6]-'1'), 0)
	return from, from.AddDate(0, 3, 0), nil
}

// DayBounds is the local day "2026-11-23".
func DayBounds(day string, loc *time.Location) (time.Time, time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", day, loc)
	if err != nil {
		return time.Time{}, time.Time{}, domain.Invalid(domain.FieldError{Field: "date", Code: domain.FieldInvalid, Message: "is a date like 2026-11-23"})
	}
	return t, t.AddDate(0, 0, 1), nil
}
