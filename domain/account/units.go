package account

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

var _ workorder.Units = (*Directory)(nil)

// Parent implements workorder.Units.
func (d *Directory) Parent(ctx context.Context, unitID int64) (int64, error) {
	o, err := d.Orgs.Org(ctx, unitID)
	if err != nil {
		return 0, err
	}
	return o.ParentID, nil
}

// Members implements workorder.Units: a station's officers and the lawyers
// and mediators serving it, or the staff of another unit; on duty by the
// roster.
func (d *Directory) Members(ctx context.Context, unitID int64, at time.Time) ([]workorder.Member, error) {
	o, err := d.Orgs.Org(ctx, unitID)
	if err != nil {
		return nil, err
	}
	var users []User
	if o.Kind == OrgStation {
		users, err = d.Users.UsersAtStation(ctx, unitID)
	} else {
		users, err = d.Users.Users(ctx, UserFilter{OrgPath: o.Path, Limit: 1000})
		users = slices.DeleteFunc(users, func(u User) bool { return u.OrgID != unitID })
	}
	if err != nil {
		return nil, err
	}
	var out []workorder.Member
	for _, u := range users {
		if u.Disabled || u.Has(RoleCitizen) {
			continue
		}
		on, err := d.Roster.OnDuty(ctx, u.ID, unitID, at)
		if err != nil {
			return nil, err
		}
		out = append(out, workorder.Member{UserID: u.ID, OnDuty: on, App: workorder.AppFor(u.Roles)})
	}
	return out, nil
}

// Supervisors implements workorder.Units.
func (d *Directory) Supervisors(ctx context.Context, unitID int64) ([]int64, error) {
	o, err := d.Orgs.Org(ctx, unitID)
	if err != nil {
		return nil, err
	}
	users, err := d.Users.Users(ctx, UserFilter{OrgPath: o.Path, Role: RoleSupervisor, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, u := range users {
		if u.OrgID == unitID && !u.Disabled {
			out = append(out, u.ID)
		}
	}
	return out, nil
}

// UnitsOf implements workorder.Units: supervisors and admins see every
// organisation under theirs; others their own and the stations they serve.
func (d *Directory) UnitsOf(ctx context.Context, a domain.Actor) ([]int64, error) {
	out := d.ownUnits(ctx, a)
	if a.OrgID != 0 && a.Has(RoleSupervisor, RoleAdmin) {
		org, err := d.Orgs.Org(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		under, err := d.Orgs.Orgs(ctx, "", org.Path)
		if err != nil {
			return nil, err
		}
		for _, o := range under {
			if !slices.Contains(out, o.ID) {
				out = append(out, o.ID)
			}
		}
	}
	return out, nil
}

// ownUnits are the units whose queues a staff member's app reads live: their
// organisation and, for lawyers and mediators, the stations they serve. A
// supervisor's app reads its own unit's queue (escalations land there), not
// every queue below it, which stays the officers' to acknowledge.
func (d *Directory) ownUnits(ctx context.Context, a domain.Actor) []int64 {
	var out []int64
	if a.OrgID != 0 {
		out = append(out, a.OrgID)
	}
	if a.Has(RoleLawyer, RoleMediator) {
		if u, err := d.Users.User(ctx, a.UserID); err == nil {
			for _, s := range u.StationIDs {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// StreamsOf are the work-order streams a staff member's app reads.
func (d *Directory) StreamsOf(ctx context.Context, a domain.Actor) ([]string, error) {
	var out []string
	for _, u := range d.ownUnits(ctx, a) {
		out = append(out, workorder.UnitStream(u))
	}
	return append(out, workorder.PersonStream(a.UserID)), nil
}
