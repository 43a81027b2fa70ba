package specialpop

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Area is one town or street whose three offices work together (所所共建):
// its police station, justice office (司法所) and legal-service office
// (基层法律服务所), each with a liaison (联络员) for the weekly exchange.
type Area struct {
	ID              int64
	Name            string
	DistrictID      int64 // the organisation above the station (分局)
	StationID       int64
	JusticeOfficeID int64
	LegalServiceID  int64
	StationLiaison  int64
	JusticeLiaison  int64
	LegalLiaison    int64
	CreatedAt       time.Time
}

// Offices are the area's three organisations.
func (a Area) Offices() []int64 { return []int64{a.StationID, a.JusticeOfficeID, a.LegalServiceID} }

// Liaisons are the three liaisons that are set.
func (a Area) Liaisons() []int64 {
	var out []int64
	for _, id := range []int64{a.StationLiaison, a.JusticeLiaison, a.LegalLiaison} {
		if id != 0 {
			out = append(out, id)
		}
	}
	return out
}

// Org is what the register needs to know of an organisation.
type Org struct {
	ID       int64
	ParentID int64
	Kind     string // station, justice_office, legal_service, district…
	Path     string // "/1/4/": a subtree is a prefix
}

// Organisation kinds the register checks.
const (
	OrgStation      = "station"
	OrgJustice      = "justice_office"
	OrgLegalService = "legal_service"
)

// districtWide are the roles that see every area of their subtree.
var districtWide = []string{"supervisor", "admin"}

// NewArea is what an admin sends to set up an area.
type NewArea struct {
	Name                                         string
	StationID, JusticeOfficeID, LegalServiceID   int64
	StationLiaison, JusticeLiaison, LegalLiaison int64
}

// CreateArea sets up an area from three existing offices of the right
// kinds; the district is the station's parent.
func (s *Service) CreateArea(ctx context.Context, a domain.Actor, n NewArea) (*Area, error) {
	n.Name = strings.TrimSpace(n.Name)
	var p domain.Problems
	if p.Require("name", n.Name) && utf8.RuneCountInString(n.Name) > 100 {
		p.Add("name", domain.FieldTooLong, "is too long")
	}
	var district int64
	for _, c := range []struct {
		field, kind string
		id          int64
	}{{"station_id", OrgStation, n.StationID}, {"justice_office_id", OrgJustice, n.JusticeOfficeID}, {"legal_service_id", OrgLegalService, n.LegalServiceID}} {
		o, err := s.Orgs.Org(ctx, c.id)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		if err != nil || o.Kind != c.kind {
			p.Add(c.field, domain.FieldDoesNotExist, "is not a "+c.kind)
			continue
		}
		if c.kind == OrgStation {
			district = o.ParentID
		}
	}
	for _, c := range []struct {
		field  string
		user   int64
		office int64
	}{{"station_liaison", n.StationLiaison, n.StationID}, {"justice_liaison", n.JusticeLiaison, n.JusticeOfficeID}, {"legal_liaison", n.LegalLiaison, n.LegalServiceID}} {
		if c.user == 0 {
			continue
		}
		if ok, err := s.worksAt(ctx, c.user, c.office); err != nil {
			return nil, err
		} else if !ok {
			p.Add(c.field, domain.FieldDoesNotExist, "does not work at that office")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	ar := &Area{Name: n.Name, DistrictID: district, StationID: n.StationID, JusticeOfficeID: n.JusticeOfficeID, LegalServiceID: n.LegalServiceID,
		StationLiaison: n.StationLiaison, JusticeLiaison: n.JusticeLiaison, LegalLiaison: n.LegalLiaison, CreatedAt: s.Clock.Now()}
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateArea(ctx, ar); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, ar.CreatedAt, "fusion_area.create", "fusion_area", ar.ID, ""))
	})
	return ar, err
}

func (s *Service) worksAt(ctx context.Context, userID, orgID int64) (bool, error) {
	org, err := s.Orgs.OrgOfUser(ctx, userID)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && org == orgID, err
}

// AreasOf are the areas the actor works in: the areas of their own office,
// or for supervisors and admins every area under their organisation.
// Citizens and staff of other offices have none.
func (s *Service) AreasOf(ctx context.Context, a domain.Actor) ([]Area, error) {
	if a.OrgID == 0 {
		return nil, nil
	}
	all, err := s.Store.Areas(ctx)
	if err != nil {
		return nil, err
	}
	var wide *Org
	if a.Has(districtWide...) {
		o, err := s.Orgs.Org(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		wide = &o
	}
	var out []Area
	for _, ar := range all {
		if slices.Contains(ar.Offices(), a.OrgID) {
			out = append(out, ar)
			continue
		}
		if wide != nil {
			st, err := s.Orgs.Org(ctx, ar.StationID)
			if err != nil {
				return nil, err
			}
			if strings.HasPrefix(st.Path, wide.Path) {
				out = append(out, ar)
			}
		}
	}
	return out, nil
}

// AreaIDs are the IDs of AreasOf.
func (s *Service) AreaIDs(ctx context.Context, a domain.Actor) ([]int64, error) {
	areas, err := s.AreasOf(ctx, a)
	ids := make([]int64, len(areas))
	for i, ar := range areas {
		ids[i] = ar.ID
	}
	return ids, err
}

// VisibleArea is an area the actor works in; any other is not found.
func (s *Service) VisibleArea(ctx context.Context, a domain.Actor, id int64) (*Area, error) {
	areas, err := s.AreasOf(ctx, a)
	if err != nil {
		return nil, err
	}
	for i := range areas {
		if areas[i].ID == id {
			return &areas[i], nil
		}
	}
	return nil, errAreaNotFound
}

var errAreaNotFound = domain.Errorf(domain.KindNotFound, "fusion_area.not_found", "No such area.")
