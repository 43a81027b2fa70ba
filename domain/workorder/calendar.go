package workorder

import (
	"fmt"
	"strings"
	"time"
)

// Calendar is a unit's working time: the hours of a working day, which
// weekdays work, public holidays off and make-up working days (调休) on, in
// the unit's zone. SLA deadlines are counted in it, so a four-hour order
// filed at 17:00 on a Friday is due on Monday morning, not on Friday night.
type Calendar struct {
	Loc      *time.Location
	Open     time.Duration // from midnight, e.g. 8h30m
	Close    time.Duration // e.g. 17h30m; Close == 24h with Open == 0 is round the clock
	Weekdays [7]bool       // indexed by time.Weekday
	Holidays map[string]bool
	Workdays map[string]bool // weekend days that are worked (调休)
}

// AlwaysOpen is the calendar of a unit that works round the clock every
// day (a detention centre's duty desk).
func AlwaysOpen(loc *time.Location) Calendar {
	return Calendar{Loc: loc, Close: 24 * time.Hour, Weekdays: [7]bool{true, true, true, true, true, true, true}}
}

// OfficeHours is Monday to Friday, open to close, with the given holidays
// and make-up days (dates as 2006-01-02).
func OfficeHours(loc *time.Location, open, close time.Duration, holidays, workdays []string) Calendar {
	c := Calendar{Loc: loc, Open: open, Close: close, Weekdays: [7]bool{false, true, true, true, true, true, false},
		Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	for _, d := range holidays {
		c.Holidays[d] = true
	}
	for _, d := range workdays {
		c.Workdays[d] = true
	}
	return c
}

// ParseHours reads "08:30-17:30" into opening and closing times.
func ParseHours(s string) (open, close time.Duration, err error) {
	from, to, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return 0, 0, fmt.Errorf("working hours %q: want HH:MM-HH:MM", s)
	}
	if open, err = clock(from); err == nil {
		close, err = clock(to)
	}
	if err != nil || open >= close {
		return 0, 0, fmt.Errorf("working hours %q: want HH:MM-HH:MM with the opening before the closing", s)
	}
	return open, close, nil
}

func clock(s string) (time.Duration, error) {
	var h, m int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); err != nil || h < 0 || h > 24 || m < 0 || m > 59 || h == 24 && m != 0 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// workday reports whether the local day starting at midnight is worked.
func (c Calendar) workday(midnight time.Time) bool {
	d := midnight.Format("2006-01-02")
	if c.Workdays[d] {
		return true
	}
	return c.Weekdays[midnight.Weekday()] && !c.Holidays[d]
}

// Add is the instant d of working time after t.
func (c Calendar) Add(t time.Time, d time.Duration) time.Time {
	if c.Close <= c.Open || d < 0 {
		return t.Add(d)
	}
	t = t.In(c.Loc)
	for range 3660 { // ten years of days bounds a misconfigured calendar
		midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.Loc)
		open, close := midnight.Add(c.Open), midnight.Add(c.Close)
		if c.workday(midnight) && t.Before(close) {
			if t.Before(open) {
				t = open
			}
			if left := close.Sub(t); d <= left {
				return t.Add(d)
			} else {
				d -= left
			}
		}
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, c.Loc)
	}
	return t.Add(d)
}

// Between is the working time from a to b (0 when b is not after a).
func (c Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c.Close <= c.Open {
		return b.Sub(a)
	}
	a, b = a.In(c.Loc), b.In(c.Loc)
	var sum time.Duration
	for day := 0; a.Before(b) && day < 3660; day++ {
		midnight := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, c.Loc)
		if c.workday(midnight) {
			from, to := maxTime(a, midnight.Add(c.Open)), minTime(b, midnight.Add(c.Close))
			if to.After(from) {
				sum += to.Sub(from)
			}
		}
		a = time.Date(a.Year(), a.Month(), a.Day()+1, 0, 0, 0, 0, c.Loc)
	}
	return sum
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
