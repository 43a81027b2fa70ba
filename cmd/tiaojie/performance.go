package main

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/assessment"
	"github.com/tiaojie/tiaojie/domain/duty"
	"github.com/tiaojie/tiaojie/infra/mysql"
)

// dutyPeople answers the duty area's questions from accounts.
type dutyPeople struct{ acc *account.Service }

func (p dutyPeople) Lawyer(ctx context.Context, id int64) (*duty.Lawyer, error) {
	u, err := p.acc.Users.User(ctx, id)
	if err != nil {
		return nil, err
	}
	return &duty.Lawyer{ID: u.ID, Name: u.Name, FirmID: u.FirmID, Stations: u.StationIDs}, nil
}

// Lawyers are the lawyers serving the stations the actor sees (a lawyer
// asking sees only themselves).
func (p dutyPeople) Lawyers(ctx context.Context, a domain.Actor, firmID int64) ([]duty.Lawyer, error) {
	if a.Has(account.RoleFirmHead) && !a.Has(account.RoleSupervisor, account.RoleAdmin) {
		return p.firmLawyers(ctx, a, firmID)
	}
	if a.Has(account.RoleLawyer) && !a.Has(account.RoleSupervisor, account.RoleAdmin) {
		l, err := p.Lawyer(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		return []duty.Lawyer{*l}, nil
	}
	scope, _, err := p.acc.StationScope(ctx, a)
	if err != nil {
		return nil, err
	}
	users, err := p.acc.Users.Users(ctx, account.UserFilter{Role: account.RoleLawyer, Limit: 5000})
	if err != nil {
		return nil, err
	}
	var out []duty.Lawyer
	for _, u := range users {
		if u.Disabled || firmID != 0 && u.FirmID != firmID || !slices.ContainsFunc(u.StationIDs, func(s int64) bool { return slices.Contains(scope, s) }) {
			continue
		}
		out = append(out, duty.Lawyer{ID: u.ID, Name: u.Name, FirmID: u.FirmID, Stations: u.StationIDs})
	}
	slices.SortFunc(out, func(x, y duty.Lawyer) int { return int(x.ID - y.ID) })
	return out, nil
}

// firmLawyers are the active lawyers of the firm a firm's head heads; asking
// for another firm is refused.
func (p dutyPeople) firmLawyers(ctx context.Context, a domain.Actor, firmID int64) ([]duty.Lawyer, error) {
	own, _, err := p.acc.FirmScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if firmID != 0 && firmID != own {
		return nil, account.ErrNotYourFirm()
	}
	users, err := p.acc.Users.Users(ctx, account.UserFilter{Role: account.RoleLawyer, Limit: 5000})
	if err != nil {
		return nil, err
	}
	var out []duty.Lawyer
	for _, u := range users {
		if !u.Disabled && u.FirmID == own {
			out = append(out, duty.Lawyer{ID: u.ID, Name: u.Name, FirmID: u.FirmID, Stations: u.StationIDs})
		}
	}
	slices.SortFunc(out, func(x, y duty.Lawyer) int { return int(x.ID - y.ID) })
	return out, nil
}

func (p dutyPeople) IsStation(ctx context.Context, id int64) (bool, error) {
	return p.acc.IsStation(ctx, id)
}

func (p dutyPeople) SeesStation(ctx context.Context, a domain.Actor, id int64) (bool, error) {
	scope, all, err := p.acc.StationScope(ctx, a)
	return all || slices.Contains(scope, id), err
}

// firmFigures is the assessment's figures: cases from the database,
// attendance from the duty area.
type firmFigures struct {
	*mysql.AssessmentStore
	duty *duty.Service
}

func (f firmFigures) Attendance(ctx context.Context, a domain.Actor, from, to time.Time) (map[int64]float64, error) {
	_, firms, err := f.duty.Report(ctx, a, from, to, 0)
	out := map[int64]float64{}
	for _, x := range firms {
		out[x.FirmID] = x.Rate()
	}
	return out, err
}

func (a *application) buildPerformance(acc *account.Service, audit domain.Auditor) (*duty.Service, *assessment.Service) {
	all := [7]bool{true, true, true, true, true, true, true}
	d := &duty.Service{Store: mysql.NewDutyStore(a.db), People: dutyPeople{acc}, Clock: systemClock, Loc: a.cfg.HTTP.Location, Audit: audit,
		Default: duty.Roster{From: a.cfg.DutyFrom, To: a.cfg.DutyTo, Weekdays: all}, LateGrace: 15 * time.Minute}
	store := mysql.NewAssessmentStore(a.db)
	as := &assessment.Service{Store: store, Figures: firmFigures{store, d}, Volumes: store, Config: a.cfg.Assessment,
		Money: a.cfg.Money, Scope: acc, Clock: systemClock, Audit: audit}
	return d, as
}
