package account

import (
	"context"
	"slices"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// MaxPeopleListed caps one directory answer; a picker narrows by unit or
// role rather than paging.
const MaxPeopleListed = 200

// Person is a staff member as a picker offers them: a name, the roles and
// the unit they work at — nothing that reaches them.
type Person struct {
	ID       int64
	Name     string
	Roles    []string
	UnitID   int64
	UnitName string
}

// PeopleFilter narrows the directory: a unit (its subtree; for a police
// station also the lawyers and mediators serving it) and a role.
type PeopleFilter struct {
	UnitID int64
	Role   string
}

// People lists the active staff a caller may pick on a form (an officer, a
// social worker, meeting attendees): the staff of the caller's district —
// the tree their organisation belongs to — and of the districts of the
// stations they serve (a lawyer's firm stands beside the trees). A unit
// outside that is not found, like a missing one. At most MaxPeopleListed;
// truncated says there were more.
func (s *Service) People(ctx context.Context, a domain.Actor, f PeopleFilter) (out []Person, truncated bool, err error) {
	if f.Role != "" && !isStaffRole(f.Role) {
		return nil, false, domain.Invalid(domain.FieldError{Field: "role", Code: domain.FieldInvalid, Message: "is not a staff role"})
	}
	scope, err := s.peopleScope(ctx, a)
	if err != nil {
		return nil, false, err
	}
	type query struct {
		path    string
		serving []int64
	}
	var queries []query
	if f.UnitID != 0 {
		unit, err := s.Orgs.Org(ctx, f.UnitID)
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, false, errOrgOutOfScope("")
		}
		if err != nil {
			return nil, false, err
		}
		if !slices.ContainsFunc(scope, func(p string) bool { return p == "*" || strings.HasPrefix(unit.Path, p) }) {
			return nil, false, errOrgOutOfScope("")
		}
		q := query{path: unit.Path}
		if unit.Kind == OrgStation {
			q.serving = []int64{unit.ID}
		}
		queries = append(queries, q)
	} else {
		for _, p := range scope {
			q := query{path: p}
			if p == "*" {
				q.path = ""
			} else {
				stations, err := s.Orgs.Orgs(ctx, OrgStation, p)
				if err != nil {
					return nil, false, err
				}
				for _, st := range stations {
					q.serving = append(q.serving, st.ID)
				}
			}
			queries = append(queries, q)
		}
	}
	seen := map[int64]bool{}
	var users []User
	for _, q := range queries {
		got, err := s.Users.Users(ctx, UserFilter{OrgPath: q.path, OrServing: q.serving, Role: f.Role, Limit: MaxPeopleListed + 1})
		if err != nil {
			return nil, false, err
		}
		if len(got) > MaxPeopleListed {
			truncated = true
		}
		for _, u := range got {
			if seen[u.ID] || u.Disabled || u.OrgID == 0 || !slices.ContainsFunc(u.Roles, isStaffRole) {
				continue
			}
			seen[u.ID] = true
			users = append(users, u)
		}
	}
	slices.SortFunc(users, func(x, y User) int { return int(x.ID - y.ID) })
	if len(users) > MaxPeopleListed {
		users, truncated = users[:MaxPeopleListed], true
	}
	units := map[int64]string{}
	out = make([]Person, 0, len(users))
	for _, u := range users {
		name, ok := units[u.OrgID]
		if !ok {
			o, err := s.Orgs.Org(ctx, u.OrgID)
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return nil, false, err
			}
			if o != nil {
				name = o.Name
			}
			units[u.OrgID] = name
		}
		out = append(out, Person{ID: u.ID, Name: u.Name, Roles: append([]string(nil), u.Roles...), UnitID: u.OrgID, UnitName: name})
	}
	return out, truncated, nil
}

// peopleScope is the organisation paths whose staff the caller may list
// ("*": every one, for the server itself): the district tree of their
// organisation, their own organisation when it stands beside the trees,
// and the districts of the stations they serve.
func (s *Service) peopleScope(ctx context.Context, a domain.Actor) ([]string, error) {
	if a.UserID == 0 && a.Has("system") {
		return []string{"*"}, nil
	}
	var paths []string
	add := func(p string) {
		if p != "" && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	district := func(o *Org) error {
		root, err := s.rootOf(ctx, o)
		if err != nil {
			return err
		}
		if sharedUnit(root) {
			add(o.Path) // a firm or partner unit: its own staff only
		} else {
			add(root.Path)
		}
		return nil
	}
	if a.OrgID != 0 {
		o, err := s.Orgs.Org(ctx, a.OrgID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		if o != nil {
			if err := district(o); err != nil {
				return nil, err
			}
		}
	}
	if a.UserID != 0 {
		u, err := s.Users.User(ctx, a.UserID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		if u != nil {
			for _, st := range u.StationIDs {
				o, err := s.Orgs.Org(ctx, st)
				if domain.IsKind(err, domain.KindNotFound) {
					continue
				}
				if err != nil {
					return nil, err
				}
				if err := district(o); err != nil {
					return nil, err
				}
			}
		}
	}
	return paths, nil
}
