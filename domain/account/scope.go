package account

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// StationScope lists the police stations a staff member may see: the
// stations under their organisation (a station officer: their own; a
// district supervisor or admin: the district's), and for lawyers and
// mediators the stations they serve.
func (s *Service) StationScope(ctx context.Context, a domain.Actor) ([]int64, bool, error) {
	var out []int64
	if a.OrgID != 0 {
		org, err := s.Orgs.Org(ctx, a.OrgID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, false, err
		}
		if org != nil {
			stations, err := s.Orgs.Orgs(ctx, OrgStation, org.Path)
			if err != nil {
				return nil, false, err
			}
			for _, st := range stations {
				out = append(out, st.ID)
			}
		}
	}
	if a.Has(RoleLawyer, RoleMediator) {
		u, err := s.Users.User(ctx, a.UserID)
		if err != nil {
			return nil, false, err
		}
		out = append(out, u.StationIDs...)
	}
	return out, false, nil
}

// IsStation reports whether id is a police station.
func (s *Service) IsStation(ctx context.Context, id int64) (bool, error) {
	o, err := s.Orgs.Org(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && o.Kind == OrgStation, err
}

// ParentUnit is the organisation above a station.
func (s *Service) ParentUnit(ctx context.Context, stationID int64) (int64, error) {
	o, err := s.Orgs.Org(ctx, stationID)
	if err != nil {
		return 0, err
	}
	return o.ParentID, nil
}

// Stations lists the police stations citizens may pick.
func (s *Service) Stations(ctx context.Context) ([]Org, error) {
	return s.Orgs.Orgs(ctx, OrgStation, "")
}

// Load counts the open cases each person leads or assists.
type Load interface {
	OpenCases(ctx context.Context, userIDs []int64) (map[int64]int, error)
}

// Roster says whether a lawyer is on duty; the default is 9:00–18:00 every
// day in the deployment's zone (the seeds' "9–18 every day of the year").
// The duty area keeps it in a running server: stations' own rosters and
// lawyers' check-ins.
type Roster interface {
	OnDuty(ctx context.Context, userID, stationID int64, at time.Time) (bool, error)
	// NextShift is when the person is next on duty at the station after
	// at, so that a case filed at night can wait for the morning's lawyer
	// rather than for nobody; zero when nothing is rostered.
	NextShift(ctx context.Context, userID, stationID int64, at time.Time) (time.Time, error)
	// DutyHours are the station's daily hours, for the directory.
	DutyHours(ctx context.Context, stationID int64) (from, to time.Duration, err error)
}

// Directory answers routing's questions from accounts, load and rosters.
type Directory struct {
	*Service
	Load     Load
	Roster   Roster
	Profiles ProfileStore
	Ratings  Ratings
}

var _ mediation.Directory = (*Directory)(nil)

// Candidates are the station's police officers and the lawyers and
// mediators serving it, with their duty state and open-case load.
func (d *Directory) Candidates(ctx context.Context, stationID int64) ([]mediation.Candidate, error) {
	users, err := d.Users.UsersAtStation(ctx, stationID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	load, err := d.Load.OpenCases(ctx, ids)
	if err != nil {
		return nil, err
	}
	facts, err := d.Profiles.ProfileFacts(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := d.Clock.Now()
	var out []mediation.Candidate
	for _, u := range users {
		if u.Disabled {
			continue
		}
		c := mediation.Candidate{UserID: u.ID, Name: u.Name, OpenCases: load[u.ID], Stations: []int64{stationID}, OnDuty: true}
		switch {
		case u.Has(RoleLawyer) || u.Has(RoleMediator):
			c.Side = mediation.SideLegal
			c.Specialties = facts[u.ID].Specialties
			if c.OnDuty, err = d.Roster.OnDuty(ctx, u.ID, stationID, now); err != nil {
				return nil, err
			}
			if !c.OnDuty {
				if c.NextShift, err = d.Roster.NextShift(ctx, u.ID, stationID, now); err != nil {
					return nil, err
				}
			}
		case u.Has(RolePolice):
			c.Side = mediation.SidePolice
		default:
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// DailyRoster puts every lawyer on duty the same hours every day of the
// year in the deployment's zone (9:00–18:00 unless configured).
type DailyRoster struct {
	Loc      *time.Location
	From, To time.Duration // since midnight
}

// OnDuty implements Roster.
func (r DailyRoster) OnDuty(_ context.Context, _, _ int64, at time.Time) (bool, error) {
	t := at.In(r.Loc)
	since := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
	return since >= r.From && since < r.To, nil
}

// NextShift implements Roster: the next day's opening (today's, before it).
func (r DailyRoster) NextShift(_ context.Context, _, _ int64, at time.Time) (time.Time, error) {
	t := at.In(r.Loc)
	for d := 0; d <= 1; d++ {
		if start := time.Date(t.Year(), t.Month(), t.Day()+d, 0, 0, 0, 0, r.Loc).Add(r.From); start.After(at) {
			return start, nil
		}
	}
	return time.Time{}, nil
}

// DutyHours implements Roster.
func (r DailyRoster) DutyHours(context.Context, int64) (time.Duration, time.Duration, error) {
	return r.From, r.To, nil
}
