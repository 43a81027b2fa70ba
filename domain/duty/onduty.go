package duty

import (
	"context"
	"time"
)

// Covers reports whether t falls in the roster's hours on one of its days,
// in loc. A roster of 00:00–24:00 covers every moment of its days.
func (r Roster) Covers(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	since := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute +
		time.Duration(l.Second())*time.Second + time.Duration(l.Nanosecond())
	return r.Weekdays[l.Weekday()] && since >= r.From && since < r.To
}

// NextStart is the first start of a rostered shift after t, in loc; the
// zero time when the roster has no day at all.
func (r Roster) NextStart(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	for d := 0; d <= 7; d++ {
		day := time.Date(l.Year(), l.Month(), l.Day()+d, 0, 0, 0, 0, loc)
		if start := day.Add(r.From); r.Weekdays[day.Weekday()] && start.After(t) {
			return start
		}
	}
	return time.Time{}
}

// OnDuty says whether a person is on duty at a station at a time — what
// routing and dispatch ask. A lawyer who checked in there that day and has
// not checked out is on duty whatever the hours (a night check-in counts);
// one who checked out is off for the rest of the day; anyone else is on
// duty in the station's rostered hours (the default hours without a roster
// of its own).
func (s *Service) OnDuty(ctx context.Context, userID, stationID int64, at time.Time) (bool, error) {
	day, _ := s.day(at)
	att, err := s.Store.Attendance(ctx, userID, stationID, day)
	if err != nil {
		return false, err
	}
	if att != nil && att.CheckInAt != nil && !att.CheckInAt.After(at) {
		return att.CheckOutAt == nil || att.CheckOutAt.After(at), nil
	}
	r, err := s.RosterOf(ctx, stationID)
	if err != nil {
		return false, err
	}
	return r.Covers(at, s.Loc), nil
}

// NextShift is when the station's next rostered shift after at begins: the
// time a lawyer off duty now is next on duty there. Zero when the roster
// lists no day.
func (s *Service) NextShift(ctx context.Context, _, stationID int64, at time.Time) (time.Time, error) {
	r, err := s.RosterOf(ctx, stationID)
	if err != nil {
		return time.Time{}, err
	}
	return r.NextStart(at, s.Loc), nil
}

// DutyHours are the station's daily rostered hours, for the directory.
func (s *Service) DutyHours(ctx context.Context, stationID int64) (from, to time.Duration, err error) {
	r, err := s.RosterOf(ctx, stationID)
	return r.From, r.To, err
}
