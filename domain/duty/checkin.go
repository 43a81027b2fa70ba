package duty

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// RosterOf is the station's roster, or the default hours.
func (s *Service) RosterOf(ctx context.Context, stationID int64) (Roster, error) {
	r, found, err := s.Store.Roster(ctx, stationID)
	if err != nil || found {
		return r, err
	}
	d := s.Default
	d.StationID = stationID
	return d, nil
}

// Roster is a station's roster for a supervisor or admin above it; any
// other station is not found.
func (s *Service) Roster(ctx context.Context, a domain.Actor, stationID int64) (Roster, error) {
	if err := s.stationOf(ctx, a, stationID); err != nil {
		return Roster{}, err
	}
	return s.RosterOf(ctx, stationID)
}

// stationOf checks that id is a station in the actor's scope: the roster
// feeds attendance and the firms' assessment, so a supervisor of one
// district must not rewrite another's.
func (s *Service) stationOf(ctx context.Context, a domain.Actor, id int64) error {
	notFound := domain.Errorf(domain.KindNotFound, "station.not_found", "No such station.")
	ok, err := s.People.IsStation(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return notFound
	}
	if ok, err = s.People.SeesStation(ctx, a, id); err != nil {
		return err
	}
	if !ok {
		return notFound
	}
	return nil
}

// SetRoster changes a station's duty hours (supervisors and admins above it).
func (s *Service) SetRoster(ctx context.Context, a domain.Actor, r Roster) (Roster, error) {
	var p domain.Problems
	if r.From < 0 || r.To > 24*time.Hour || r.From >= r.To {
		p.Add("hours", domain.FieldInvalid, "opening comes before closing, within the day")
	}
	if !slices.Contains(r.Weekdays[:], true) {
		p.Add("weekdays", domain.FieldInvalid, "at least one day")
	}
	if err := p.Err(); err != nil {
		return r, err
	}
	if err := s.stationOf(ctx, a, r.StationID); err != nil {
		return r, err
	}
	if err := s.Store.SaveRoster(ctx, r); err != nil {
		return r, err
	}
	if s.Audit != nil {
		return r, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "duty.roster", "organization", r.StationID, ""))
	}
	return r, nil
}

// day is the local date and its midnight.
func (s *Service) day(t time.Time) (string, time.Time) {
	l := t.In(s.Loc)
	mid := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, s.Loc)
	return mid.Format("2006-01-02"), mid
}

func (s *Service) lawyerAt(ctx context.Context, a domain.Actor, stationID int64) error {
	if !a.Has("lawyer", "mediator") {
		return domain.Errorf(domain.KindForbidden, "duty.lawyers_only", "Only lawyers and mediators check in for duty.")
	}
	l, err := s.People.Lawyer(ctx, a.UserID)
	if err != nil {
		return err
	}
	if !slices.Contains(l.Stations, stationID) {
		return domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldInvalid, Message: "is not a station you serve"})
	}
	return nil
}

// CheckIn starts the lawyer's duty day at the station; late when after the
// roster's start plus the grace. Checking in again the same day returns the
// first check-in unchanged.
func (s *Service) CheckIn(ctx context.Context, a domain.Actor, stationID int64) (*Attendance, error) {
	if err := s.lawyerAt(ctx, a, stationID); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	day, mid := s.day(now)
	if got, err := s.Store.Attendance(ctx, a.UserID, stationID, day); err != nil || got != nil {
		return got, err
	}
	r, err := s.RosterOf(ctx, stationID)
	if err != nil {
		return nil, err
	}
	at := &Attendance{LawyerID: a.UserID, StationID: stationID, Day: day, CheckInAt: &now,
		Late: r.Weekdays[mid.Weekday()] && now.After(mid.Add(r.From+s.LateGrace))}
	if err := s.Store.SaveAttendance(ctx, at); err != nil {
		if domain.IsKind(err, domain.KindConflict) { // a concurrent check-in won
			return s.Store.Attendance(ctx, a.UserID, stationID, day)
		}
		return nil, err
	}
	return at, nil
}

// CheckOut ends the duty day; leaving before the roster's end is an early
// leave. The latest check-out counts.
func (s *Service) CheckOut(ctx context.Context, a domain.Actor, stationID int64) (*Attendance, error) {
	if err := s.lawyerAt(ctx, a, stationID); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	day, mid := s.day(now)
	at, err := s.Store.Attendance(ctx, a.UserID, stationID, day)
	if err != nil {
		return nil, err
	}
	if at == nil {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "duty.not_checked_in", "Check in before checking out.")
	}
	r, err := s.RosterOf(ctx, stationID)
	if err != nil {
		return nil, err
	}
	at.CheckOutAt = &now
	at.EarlyLeave = r.Weekdays[mid.Weekday()] && now.Before(mid.Add(r.To))
	return at, s.Store.SaveAttendance(ctx, at)
}
