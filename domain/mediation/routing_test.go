package mediation_test

import (
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

const station = 10

func lawyer(id int64, open int, specialties ...string) mediation.Candidate {
	return mediation.Candidate{UserID: id, Side: mediation.SideLegal, Stations: []int64{station}, Specialties: specialties, OnDuty: true, OpenCases: open, Rating: 4}
}

func officer(id int64, open int) mediation.Candidate {
	return mediation.Candidate{UserID: id, Side: mediation.SidePolice, Stations: []int64{station}, OnDuty: true, OpenCases: open}
}

func TestRoute(t *testing.T) {
	offDuty := lawyer(1, 0, "family")
	offDuty.OnDuty = false
	elsewhere := lawyer(2, 0, "family")
	elsewhere.Stations = []int64{99}
	busy := lawyer(3, mediation.DefaultCapacity, "family")
	free := lawyer(4, 2)
	specialist := lawyer(5, 3, "family")
	lighterSpecialist := lawyer(6, 1, "family")
	higherRated := lawyer(7, 1, "family")
	higherRated.Rating = 5
	cop, busyCop := officer(20, 1), officer(21, 5)

	morning := time.Date(2026, 11, 24, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	tomorrow := func(c mediation.Candidate, at time.Time) mediation.Candidate {
		c.OnDuty, c.NextShift = false, at
		return c
	}
	nextFree, nextSpecialist, nextChosen := tomorrow(lawyer(30, 0), morning), tomorrow(lawyer(31, 2, "family"), morning), tomorrow(lawyer(32, 5), morning)
	nextBusy := tomorrow(lawyer(33, mediation.DefaultCapacity, "family"), morning)
	nextEvening := tomorrow(lawyer(34, 0, "family"), morning.Add(11*time.Hour))
	checkedIn := lawyer(35, 4) // on duty at night because they checked in
	night := []mediation.Candidate{nextFree, nextSpecialist, nextChosen, cop}

	tests := []struct {
		name                 string
		in                   mediation.RoutingInput
		wantLead, wantAssist int64
		wantChosen           bool
		wantCode             string
		wantNext             time.Time
	}{
		{"a civil dispute is led by a lawyer with the least-loaded officer assisting",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "debt", Candidates: []mediation.Candidate{free, cop, busyCop}},
			4, 20, false, "", time.Time{}},
		{"a public-security dispute is led by the police with a lawyer assisting",
			mediation.RoutingInput{Classification: mediation.ClassPublicSecurity, StationID: station, Category: "debt", Candidates: []mediation.Candidate{free, cop}},
			20, 4, false, "", time.Time{}},
		{"a minor criminal dispute is led by the police",
			mediation.RoutingInput{Classification: mediation.ClassMinorCriminalCivil, StationID: station, Category: "compensation", Candidates: []mediation.Candidate{free, cop}},
			20, 4, false, "", time.Time{}},
		{"the chosen lawyer is honoured even if others are less loaded",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 5, Candidates: []mediation.Candidate{specialist, lighterSpecialist, cop}},
			5, 20, true, "", time.Time{}},
		{"a chosen lawyer off duty is not honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 1, Candidates: []mediation.Candidate{offDuty, specialist, cop}},
			5, 20, false, "", time.Time{}},
		{"a chosen lawyer at capacity is not honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 3, Candidates: []mediation.Candidate{busy, free, cop}},
			4, 20, false, "", time.Time{}},
		{"a chosen lawyer who does not serve the station is not honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 2, Candidates: []mediation.Candidate{elsewhere, free, cop}},
			4, 20, false, "", time.Time{}},
		{"a specialist is preferred to a less-loaded generalist",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{free, specialist, cop}},
			5, 20, false, "", time.Time{}},
		{"among specialists the least loaded wins",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{specialist, lighterSpecialist, cop}},
			6, 20, false, "", time.Time{}},
		{"equal load goes to the higher rating",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{lighterSpecialist, higherRated, cop}},
			7, 20, false, "", time.Time{}},
		{"no free lawyer fails routing",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{offDuty, busy, elsewhere, cop}},
			0, 0, false, "routing.no_lawyer_available", time.Time{}},
		{"no officer fails routing",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{free}},
			0, 0, false, "routing.no_officer_available", time.Time{}},
		{"at night with nobody on duty the next shift's specialist leads, and the assignment says it is the next shift's",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: night},
			31, 20, false, "", morning},
		{"at night the chosen lawyer of the next shift is honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 32, Candidates: night},
			32, 20, true, "", morning},
		{"at night a chosen lawyer at capacity is not honoured; the next shift's specialist leads",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 33, Candidates: append([]mediation.Candidate{nextBusy}, night...)},
			31, 20, false, "", morning},
		{"a lawyer who checked in is on duty at night and is preferred to the next shift",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: append([]mediation.Candidate{checkedIn}, night...)},
			35, 20, false, "", time.Time{}},
		{"an off-duty chosen lawyer is not honoured while another is on duty",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 32, Candidates: append([]mediation.Candidate{checkedIn}, night...)},
			35, 20, false, "", time.Time{}},
		{"the shift that starts first wins over a specialist starting later",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{nextEvening, nextFree, cop}},
			30, 20, false, "", morning},
		{"a public-security case at night gets the next shift's lawyer as assistant",
			mediation.RoutingInput{Classification: mediation.ClassPublicSecurity, StationID: station, Category: "debt", Candidates: night},
			20, 30, false, "", morning},
		{"nobody at all: no lawyer on duty and none rostered later fails routing",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{offDuty, nextBusy, cop}},
			0, 0, false, "routing.no_lawyer_available", time.Time{}},
		{"an unknown classification is invalid",
			mediation.RoutingInput{Classification: "weird", StationID: station, Candidates: []mediation.Candidate{free, cop}},
			0, 0, false, "case.bad_classification", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := mediation.Route(tt.in)
			if tt.wantCode != "" {
				e, ok := domain.AsError(err)
				if !ok || e.Code != tt.wantCode {
					t.Fatalf("err = %v, want code %s", err, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Lead.UserID != tt.wantLead || a.Assistant.UserID != tt.wantAssist || a.ChosenHonoured != tt.wantChosen || !a.NextShift.Equal(tt.wantNext) {
				t.Fatalf("lead %d assistant %d chosen %v next shift %v; want %d %d %v %v", a.Lead.UserID, a.Assistant.UserID, a.ChosenHonoured, a.NextShift,
					tt.wantLead, tt.wantAssist, tt.wantChosen, tt.wantNext)
			}
		})
	}
}
