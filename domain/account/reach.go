package account

import (
	"context"
	"slices"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// Reaches implements workorder.Units: whether the actor may send a work
// order to the unit and to the person (0: not named). Supervisors and
// admins send within their organisation's subtree; other staff within the
// district their organisation belongs to, or the districts of the stations
// they serve. A law firm or partner unit (beside the district trees) is in
// reach when one of its staff serves a station there; a person when their
// organisation or a station they serve is. Without this an officer or a
// supervisor of one district handed orders to another's units (issue 16).
func (d *Directory) Reaches(ctx context.Context, a domain.Actor, unitID, personID int64) (bool, error) {
	areas, err := d.areasOf(ctx, a)
	if err != nil || len(areas) == 0 {
		return false, err
	}
	in := func(path string) bool {
		return slices.ContainsFunc(areas, func(area string) bool { return strings.HasPrefix(path, area) })
	}
	servesArea := func(stations []int64) (bool, error) {
		for _, id := range stations {
			st, err := d.Orgs.Org(ctx, id)
			if domain.IsKind(err, domain.KindNotFound) {
				continue
			}
			if err != nil {
				return false, err
			}
			if in(st.Path) {
				return true, nil
			}
		}
		return false, nil
	}
	if unitID > 0 {
		unit, err := d.Orgs.Org(ctx, unitID)
		if domain.IsKind(err, domain.KindNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if !in(unit.Path) {
			if !sharedUnit(unit) {
				return false, nil
			}
			staff, err := d.Users.Users(ctx, UserFilter{OrgPath: unit.Path, Limit: 1000})
			if err != nil {
				return false, err
			}
			var served []int64
			for _, u := range staff {
				served = append(served, u.StationIDs...)
			}
			if ok, err := servesArea(served); err != nil || !ok {
				return false, err
			}
		}
	}
	if personID > 0 {
		u, err := d.Users.User(ctx, personID)
		if domain.IsKind(err, domain.KindNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if u.Disabled || u.OrgID == 0 || u.Has(RoleCitizen) {
			return false, nil
		}
		org, err := d.Orgs.Org(ctx, u.OrgID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return false, err
		}
		if err == nil && in(org.Path) {
			return true, nil
		}
		return servesArea(u.StationIDs)
	}
	return true, nil
}

// areasOf are the organisation paths an actor sends work within.
func (d *Directory) areasOf(ctx context.Context, a domain.Actor) ([]string, error) {
	var areas []string
	if a.OrgID != 0 {
		org, err := d.Orgs.Org(ctx, a.OrgID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		if err == nil {
			switch {
			case a.Has(RoleSupervisor, RoleAdmin):
				areas = append(areas, org.Path)
			case !sharedUnit(org):
				areas = append(areas, districtPath(org.Path))
			}
		}
	}
	if u, err := d.Users.User(ctx, a.UserID); err == nil && !a.Has(RoleSupervisor, RoleAdmin) {
		for _, id := range u.StationIDs {
			st, err := d.Orgs.Org(ctx, id)
			if err == nil && !slices.Contains(areas, districtPath(st.Path)) {
				areas = append(areas, districtPath(st.Path))
			}
		}
	} else if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return nil, err
	}
	return areas, nil
}

// districtPath is the path of the root of the tree a path lies in: "/1/"
// of "/1/4/".
func districtPath(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return "/" + first + "/"
}
