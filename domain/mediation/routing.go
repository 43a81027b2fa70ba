package mediation

import (
	"sort"
	"time"

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
	Name        string
	Side        Side
	Stations    []int64 // stations served (a police officer: their own)
	Specialties []string
	OnDuty      bool
	NextShift   time.Time // off duty: when their next shift at the station begins (zero: none rostered)
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
	// NextShift is set when nobody of the legal side was on duty: the
	// lawyer or mediator named is the next shift's, on duty from then.
	NextShift time.Time
}

// Route applies the triage rules: civil disputes are led by a lawyer with the
// police assisting, public-security and minor criminal ones the other way
// round.
//
// The legal side comes from the lawyers and mediators of the station who are
// on duty now (by the station's roster or by having checked in) and not
// overloaded. When none is, a case is never left without one: it goes to
// those of the next shift — whose shift at the station starts first — and
// Assignment.NextShift says so. Among them the citizen's chosen lawyer is
// honoured when not overloaded; otherwise the least-loaded one who
// specialises in the category (anyone if none does), ties broken by rating
// then by ID so that routing is deterministic. Only when the station has no
// free lawyer at all, now or later, or no officer, does routing fail and
// the station assign the case by hand.
func Route(in RoutingInput) (Assignment, error) {
	if !in.Classification.Valid() {
		return Assignment{}, domain.Errorf(domain.KindInvalid, "case.bad_classification", "Unknown classification %q.", in.Classification)
	}
	var onDuty, later, police []Candidate
	for _, c := range in.Candidates {
		if !c.serves(in.StationID) || c.overloaded() {
			continue
		}
		switch {
		case c.Side == SideLegal && c.OnDuty:
			onDuty = append(onDuty, c)
		case c.Side == SideLegal && !c.NextShift.IsZero():
			later = append(later, c)
		case c.Side == SidePolice && c.OnDuty:
			police = append(police, c)
		}
	}
	var a Assignment
	legal := onDuty
	if len(legal) == 0 {
		legal = firstShift(later)
		if len(legal) > 0 {
			a.NextShift = legal[0].NextShift
		}
	}
	lawyer, chosen, ok := pickLegal(legal, in.Category, in.ChosenID)
	if !ok {
		return Assignment{}, domain.Errorf(domain.KindFailedPrecondition, "routing.no_lawyer_available",
			"No lawyer or mediator serves this station with room for another case, now or on a coming shift.")
	}
	a.ChosenHonoured = chosen
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

// firstShift keeps those whose next shift begins first.
func firstShift(cs []Candidate) []Candidate {
	var out []Candidate
	for _, c := range cs {
		switch {
		case len(out) == 0 || c.NextShift.Equal(out[0].NextShift):
			out = append(out, c)
		case c.NextShift.Before(out[0].NextShift):
			out = []Candidate{c}
		}
	}
	return out
}

// pickLegal takes the chosen person if among legal, else the least-loaded
// specialist, else the least-loaded of all.
func pickLegal(legal []Candidate, category string, chosenID int64) (Candidate, bool, bool) {
	for _, c := range legal {
		if chosenID != 0 && c.UserID == chosenID {
			return c, true, true
		}
	}
	var specialists []Candidate
	for _, c := range legal {
		if c.specialises(category) {
			specialists = append(specialists, c)
		}
	}
	if len(specialists) > 0 {
		c, ok := leastLoaded(specialists)
		return c, false, ok
	}
	c, ok := leastLoaded(legal)
	return c, false, ok
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
