package duty

import (
	"context"
	"sort"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// LawyerAttendance is one lawyer's month.
type LawyerAttendance struct {
	Lawyer
	Expected, Present, Late, EarlyLeave, Absent int
	Work                                        Work
}

// Rate is present / expected (1 when nothing was expected).
func (l LawyerAttendance) Rate() float64 {
	if l.Expected == 0 {
		return 1
	}
	return float64(min(l.Present, l.Expected)) / float64(l.Expected)
}

// FirmAttendance sums a firm's lawyers.
type FirmAttendance struct {
	FirmID                                      int64
	Expected, Present, Late, EarlyLeave, Absent int
	Work                                        Work
}

// Rate is present / expected (1 when nothing was expected).
func (f FirmAttendance) Rate() float64 {
	if f.Expected == 0 {
		return 1
	}
	return float64(min(f.Present, f.Expected)) / float64(f.Expected)
}

// Report is attendance over [from, to) local days, up to today: a lawyer is
// expected at their first station on each of its roster days; a day with a
// check-in anywhere is present.
func (s *Service) Report(ctx context.Context, a domain.Actor, from, to time.Time, firmID int64) ([]LawyerAttendance, []FirmAttendance, error) {
	lawyers, err := s.People.Lawyers(ctx, a, firmID)
	if err != nil {
		return nil, nil, err
	}
	today, _ := s.day(s.Clock.Now())
	ids := make([]int64, len(lawyers))
	for i, l := range lawyers {
		ids[i] = l.ID
	}
	fromDay, _ := s.day(from)
	toDay, _ := s.day(to)
	rows, err := s.Store.AttendanceBetween(ctx, ids, fromDay, toDay)
	if err != nil {
		return nil, nil, err
	}
	work := map[int64]Work{}
	if s.Work != nil {
		if work, err = s.Work.WorkByLawyer(ctx, from, to); err != nil {
			return nil, nil, err
		}
	}
	byLawyer := map[int64]map[string][]Attendance{}
	for _, r := range rows {
		if byLawyer[r.LawyerID] == nil {
			byLawyer[r.LawyerID] = map[string][]Attendance{}
		}
		byLawyer[r.LawyerID][r.Day] = append(byLawyer[r.LawyerID][r.Day], r)
	}
	var out []LawyerAttendance
	firms := map[int64]*FirmAttendance{}
	for _, l := range lawyers {
		la := LawyerAttendance{Lawyer: l, Work: work[l.ID]}
		roster := s.Default
		if len(l.Stations) > 0 {
			if roster, err = s.RosterOf(ctx, l.Stations[0]); err != nil {
				return nil, nil, err
			}
		}
		for d := from.In(s.Loc); d.Before(to); d = d.AddDate(0, 0, 1) {
			day, mid := s.day(d)
			if day > today {
				break
			}
			days := byLawyer[l.ID][day]
			expected := roster.Weekdays[mid.Weekday()] && day < today // today is not over
			if expected {
				la.Expected++
			}
			if len(days) > 0 {
				la.Present++
			} else if expected {
				la.Absent++
			}
			for _, x := range days {
				if x.Late {
					la.Late++
				}
				if x.EarlyLeave {
					la.EarlyLeave++
				}
			}
		}
		out = append(out, la)
		f := firms[l.FirmID]
		if f == nil {
			f = &FirmAttendance{FirmID: l.FirmID}
			firms[l.FirmID] = f
		}
		f.Expected, f.Present, f.Late, f.EarlyLeave, f.Absent = f.Expected+la.Expected, f.Present+la.Present, f.Late+la.Late,
			f.EarlyLeave+la.EarlyLeave, f.Absent+la.Absent
		f.Work.add(la.Work)
	}
	var fs []FirmAttendance
	for _, f := range firms {
		fs = append(fs, *f)
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].FirmID < fs[j].FirmID })
	return out, fs, nil
}
