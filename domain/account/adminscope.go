package account

import (
	"context"
	"slices"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// adminScope is the part of the organisation tree an admin manages: their
// organisation's subtree and the police stations in it. Without it an admin
// of one district listed, reset and exported the accounts of another and
// then read that district's cases through them (issue 16).
//
// Law firms and partner units stand beside the district trees and serve
// several districts. Their accounts are an admin's when every station the
// account serves lies in the admin's subtree; one that serves no station
// yet is any admin's to set up.
type adminScope struct {
	all      bool // the server itself (seeding, jobs), not a person
	path     string
	stations []int64
}

func (s *Service) adminScope(ctx context.Context, a domain.Actor) (adminScope, error) {
	if a.UserID == 0 && a.Has("system") {
		return adminScope{all: true}, nil
	}
	if a.OrgID == 0 {
		return adminScope{}, nil // an admin without an organisation manages nothing
	}
	org, err := s.Orgs.Org(ctx, a.OrgID)
	if domain.IsKind(err, domain.KindNotFound) {
		return adminScope{}, nil
	}
	if err != nil {
		return adminScope{}, err
	}
	sc := adminScope{path: org.Path}
	stations, err := s.Orgs.Orgs(ctx, OrgStation, org.Path)
	if err != nil {
		return adminScope{}, err
	}
	for _, st := range stations {
		sc.stations = append(sc.stations, st.ID)
	}
	return sc, nil
}

func (sc adminScope) coversOrg(o *Org) bool {
	return sc.all || (sc.path != "" && strings.HasPrefix(o.Path, sc.path))
}

func (sc adminScope) coversStations(ids []int64) bool {
	for _, id := range ids {
		if !sc.all && !slices.Contains(sc.stations, id) {
			return false
		}
	}
	return true
}

// sharedUnit reports whether o stands beside the district trees.
func sharedUnit(o *Org) bool { return o.Kind == OrgLawFirm || o.Kind == OrgPartner }

// coversAccount reports whether an account at orgID serving stations is the
// admin's. Citizens belong to no organisation: any admin answers their
// requests (export, disabling).
func (s *Service) coversAccount(ctx context.Context, sc adminScope, orgID int64, stations []int64) (bool, error) {
	if sc.all || orgID == 0 {
		return true, nil
	}
	org, err := s.Orgs.Org(ctx, orgID)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if sc.coversOrg(org) {
		return sc.coversStations(stations), nil
	}
	root := org
	if root.ParentID != 0 {
		if root, err = s.rootOf(ctx, org); err != nil {
			return false, err
		}
	}
	return sharedUnit(root) && sc.coversStations(stations), nil
}

// rootOf is the top of o's tree (its path's first ID).
func (s *Service) rootOf(ctx context.Context, o *Org) (*Org, error) {
	first, _, _ := strings.Cut(strings.TrimPrefix(o.Path, "/"), "/")
	var id int64
	for _, r := range first {
		if r < '0' || r > '9' {
			return o, nil
		}
		id = id*10 + int64(r-'0')
	}
	return s.Orgs.Org(ctx, id)
}

// errOutOfScope answers like a missing account, so that an admin learns
// nothing about other districts' accounts.
func errUserOutOfScope() error {
	return domain.Errorf(domain.KindNotFound, "user.not_found", "No such user.")
}

func errOrgOutOfScope(field string) error {
	if field != "" {
		return domain.Invalid(domain.FieldError{Field: field, Code: domain.FieldDoesNotExist, Message: "no such organisation"})
	}
	return domain.Errorf(domain.KindNotFound, "org.not_found", "No such organisation.")
}

// checkUser loads an account and refuses it when it is not the admin's.
func (s *Service) checkUser(ctx context.Context, sc adminScope, id int64) (*User, error) {
	u, err := s.Users.User(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.coversAccount(ctx, sc, u.OrgID, u.StationIDs)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errUserOutOfScope()
	}
	return u, nil
}
