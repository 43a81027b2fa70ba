package mediation

import (
	"sort"

	"github.com/tiaojie/tiaojie/domain"
)

// Classification is the result of triage (先筛选): it decides who leads.
type Classification string

const (
	ClassCivil              Classification = "civil"                // 民事纠纷: a lawyer leads, police assist
	ClassPublicSecurity     Classification = "public_security"      // 治安纠纷: police lead, a lawyer assists
	ClassMinorCriminalCivil Classification = "minor_criminal_civil" // 轻微刑事附民事: police lead, a lawyer takes the civil part
)

// Valid reports whether c is a known classification.
func (c Classification) Valid() bool {
	return c == ClassCivil || c == ClassPublicSecurity || c == ClassMinorCriminalCivil
}

// lawyerLeads reports whether the legal side leads this kind of dispute.
func (c Classification) lawyerLeads() bool { return c == ClassCivil }

// Side is which profession a participant comes from.
type Side string

const (
	SideLegal  Side = "legal"  // lawyers and people's mediators
	SidePolice Side = "police" // officers of the station
)

// Candidate is a person routing may choose, with what routing needs to know.
type Candidate struct {
	UserID      int64
	Side        Side
	Stations    []int64 // stations served (a police officer: their own)
	Specialties []string
	OnDuty      bool
	OpenCases   int
	Capacity    int // open cases beyond which the person is overloaded; 0 means the default
	Rating      float64
}

// DefaultCapacity is the open-case load above which a person gets no new case.
const DefaultCapacity = 8

func (c Candidate) serves(station int64) bool {
	for _, s := range c.Stations {
		if s == station {
			return true
		}
	}
	return false
}

func (c Candidate) overloaded() bool {
	capacity := c.Capacity
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	return c.OpenCases >= capacity
}

func (c Candidate) specialises(category string) bool {
	for _, s := range c.Specialties {
		if s == category {
			return true
		}
	}
	return false
}

// RoutingInput is a screened request and the people who could take it.
type RoutingInput struct {
	Classification Classification
	StationID      int64
	Category       string
	ChosenID       int64 // the lawyer or mediator the citizen picked, 0 if none
	Candidates     []Candidate
}

// Assignment names who leads and who assists.
type Assignment struct {
	Lead, Assistant Candidate
	ChosenHonoured  bool
}

// Route applies the triage rules: civil disputes are led by a lawyer with the
// police assisting, public-security and minor criminal ones the other way
// round. The citizen's chosen lawyer is honoured when on duty at the station
// and not overloaded; otherwise the least-loaded on-duty lawyer of the station
// who specialises in the category (any on-duty lawyer of the station if none
// does), ties broken by rating then by ID so that routing is deterministic.
func Route(in RoutingInput) (Assignment, error) {
	if !in.Classification.Valid() {
		return Assignment{}, domain.Errorf(domain.KindInvalid, "case.bad_classification", "Unknown classification %q.", in.Classification)
	}
	var legal, police []Candidate
	var chosen *Candidate
	for i, c := range in.Candidates {
		if !c.serves(in.StationID) || !c.OnDuty || c.overloaded() {
			continue
		}
		switch c.Side {
		case SideLegal:
			legal = append(legal, c)
			if c.UserID == in.ChosenID {
				chosen = &in.Candidates[i]
			}
		case SidePolice:
			police = append(police, c)
		}
	}
	var a Assignment
	if chosen != nil {
		a.ChosenHonoured = true
	}
	lawyer, ok := pickLegal(legal, in.Category, chosen)
	if !ok {
		return Assignment{}, domain.Errorf(domain.KindFailedPrecondition, "routing.no_lawyer_available",
			"No lawyer or mediator is on duty and free at this station.")
	}
	officer, ok := leastLoaded(police)
	if !ok {
		return Assignment{}, domain.Errorf(domain.KindFailedPrecondition, "routing.no_officer_available",
			"No police officer of this station is free.")
	}
	if in.Classification.lawyerLeads() {
		a.Lead, a.Assistant = lawyer, officer
	} else {
		a.Lead, a.Assistant = officer, lawyer
	}
	return a, nil
}

func pickLegal(legal []Candidate, category string, chosen *Candidate) (Candidate, bool) {
	if chosen != nil {
		return *chosen, true
	}
	var specialists []Candidate
	for _, c := range legal {
		if c.specialises(category) {
			specialists = append(specialists, c)
		}
	}
	if len(specialists) > 0 {
		return leastLoaded(specialists)
	}
	return leastLoaded(legal)
}

func leastLoaded(cs []Candidate) (Candidate, bool) {
	if len(cs) == 0 {
		return Candidate{}, false
	}
	sorted := append([]Candidate(nil), cs...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.OpenCases != b.OpenCases {
			return a.OpenCases < b.OpenCases
		}
		if a.Rating != b.Rating {
			return a.Rating > b.Rating
		}
		return a.UserID < b.UserID
	})
	return sorted[0], true
}
