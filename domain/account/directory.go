package account

import (
	"context"
	"sort"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Profile is what the directory shows of a lawyer or mediator.
type Profile struct {
	UserID          int64
	Kind            string // lawyer | mediator
	Name            string
	FirmID          int64
	FirmName        string
	Stations        []int64
	Specialties     []string
	Languages       []string
	YearsOfPractice int
	Bio             string
	OpenCases       int
	Rating          float64 // average stars of rated cases led, 0 if none
	Ratings         int
	OnDutyNow       bool
	DutyFrom        time.Duration // daily duty hours, since midnight
	DutyTo          time.Duration
}

// ProfileFacts are the stored parts of a profile.
type ProfileFacts struct {
	Specialties     []string
	Languages       []string
	YearsOfPractice int
	Bio             string
}

// ProfileStore keeps directory facts.
type ProfileStore interface {
	ProfileFacts(ctx context.Context, userIDs []int64) (map[int64]ProfileFacts, error)
	SaveProfileFacts(ctx context.Context, userID int64, f ProfileFacts) error
}

// RatingSummary is the satisfaction of the cases a person led.
type RatingSummary struct {
	Average float64
	Count   int
}

// Ratings averages satisfaction per person.
type Ratings interface {
	RatingsOf(ctx context.Context, userIDs []int64) (map[int64]RatingSummary, error)
}

// LawyerFilter narrows the directory.
type LawyerFilter struct {
	Kind         string // lawyer (default) or mediator
	StationID    int64
	Specialty    string
	AvailableNow bool
	SortBy       string // load (default) or rating
}

// Lawyers lists lawyers or mediators for citizens and families to choose
// from: name, firm, stations, specialties, duty, load and rating. No phone
// numbers: citizens reach them through the case.
func (d *Directory) Lawyers(ctx context.Context, f LawyerFilter) ([]Profile, error) {
	if f.Kind == "" {
		f.Kind = RoleLawyer
	}
	if f.Kind != RoleLawyer && f.Kind != RoleMediator {
		return nil, domain.Invalid(domain.FieldError{Field: "kind", Code: domain.FieldUnsupported, Message: "must be lawyer or mediator"})
	}
	if f.SortBy != "" && f.SortBy != "load" && f.SortBy != "rating" {
		return nil, domain.Invalid(domain.FieldError{Field: "sort", Code: domain.FieldUnsupported, Message: "must be load or rating"})
	}
	users, err := d.Users.Users(ctx, UserFilter{Role: f.Kind, Limit: 1000})
	if err != nil {
		return nil, err
	}
	profiles, err := d.profiles(ctx, users)
	if err != nil {
		return nil, err
	}
	var out []Profile
	for _, p := range profiles {
		if (f.StationID != 0 && !containsID(p.Stations, f.StationID)) || (f.Specialty != "" && !containsString(p.Specialties, f.Specialty)) ||
			(f.AvailableNow && !p.OnDutyNow) {
			continue
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if f.SortBy == "rating" && out[i].Rating != out[j].Rating {
			return out[i].Rating > out[j].Rating
		}
		if out[i].OpenCases != out[j].OpenCases {
			return out[i].OpenCases < out[j].OpenCases
		}
		return out[i].UserID < out[j].UserID
	})
	return out, nil
}

// Lawyer returns one lawyer's or mediator's profile.
func (d *Directory) Lawyer(ctx context.Context, id int64) (*Profile, error) {
	u, err := d.Users.User(ctx, id)
	if err != nil || (!u.Has(RoleLawyer) && !u.Has(RoleMediator)) || u.Disabled {
		return nil, domain.Errorf(domain.KindNotFound, "lawyer.not_found", "No such lawyer or mediator.")
	}
	ps, err := d.profiles(ctx, []User{*u})
	if err != nil {
		return nil, err
	}
	return &ps[0], nil
}

func (d *Directory) profiles(ctx context.Context, users []User) ([]Profile, error) {
	var live []User
	for _, u := range users {
		if !u.Disabled {
			live = append(live, u)
		}
	}
	ids := make([]int64, len(live))
	for i, u := range live {
		ids[i] = u.ID
	}
	facts, err := d.Profiles.ProfileFacts(ctx, ids)
	if err != nil {
		return nil, err
	}
	load, err := d.Load.OpenCases(ctx, ids)
	if err != nil {
		return nil, err
	}
	ratings, err := d.Ratings.RatingsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	firms := map[int64]string{}
	now := d.Clock.Now()
	out := make([]Profile, 0, len(live))
	for _, u := range live {
		kind := RoleLawyer
		if u.Has(RoleMediator) {
			kind = RoleMediator
		}
		p := Profile{UserID: u.ID, Kind: kind, Name: u.Name, FirmID: u.FirmID, Stations: u.StationIDs, OpenCases: load[u.ID],
			Rating: ratings[u.ID].Average, Ratings: ratings[u.ID].Count}
		if f, ok := facts[u.ID]; ok {
			p.Specialties, p.Languages, p.YearsOfPractice, p.Bio = f.Specialties, f.Languages, f.YearsOfPractice, f.Bio
		}
		if u.FirmID != 0 {
			if _, ok := firms[u.FirmID]; !ok {
				if firm, err := d.Orgs.Org(ctx, u.FirmID); err == nil {
					firms[u.FirmID] = firm.Name
				}
			}
			p.FirmName = firms[u.FirmID]
		}
		if len(u.StationIDs) > 0 { // the hours of the first station served
			if p.DutyFrom, p.DutyTo, err = d.Roster.DutyHours(ctx, u.StationIDs[0]); err != nil {
				return nil, err
			}
		}
		for _, st := range u.StationIDs {
			on, err := d.Roster.OnDuty(ctx, u.ID, st, now)
			if err != nil {
				return nil, err
			}
			p.OnDutyNow = p.OnDutyNow || on
		}
		out = append(out, p)
	}
	return out, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
