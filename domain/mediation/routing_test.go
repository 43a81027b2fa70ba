package mediation_test

import (
	"testing"

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

	tests := []struct {
		name                 string
		in                   mediation.RoutingInput
		wantLead, wantAssist int64
		wantChosen           bool
		wantCode             string
	}{
		{"a civil dispute is led by a lawyer with the least-loaded officer assisting",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "debt", Candidates: []mediation.Candidate{free, cop, busyCop}},
			4, 20, false, ""},
		{"a public-security dispute is led by the police with a lawyer assisting",
			mediation.RoutingInput{Classification: mediation.ClassPublicSecurity, StationID: station, Category: "debt", Candidates: []mediation.Candidate{free, cop}},
			20, 4, false, ""},
		{"a minor criminal dispute is led by the police",
			mediation.RoutingInput{Classification: mediation.ClassMinorCriminalCivil, StationID: station, Category: "compensation", Candidates: []mediation.Candidate{free, cop}},
			20, 4, false, ""},
		{"the chosen lawyer is honoured even if others are less loaded",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 5, Candidates: []mediation.Candidate{specialist, lighterSpecialist, cop}},
			5, 20, true, ""},
		{"a chosen lawyer off duty is not honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 1, Candidates: []mediation.Candidate{offDuty, specialist, cop}},
			5, 20, false, ""},
		{"a chosen lawyer at capacity is not honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 3, Candidates: []mediation.Candidate{busy, free, cop}},
			4, 20, false, ""},
		{"a chosen lawyer who does not serve the station is not honoured",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", ChosenID: 2, Candidates: []mediation.Candidate{elsewhere, free, cop}},
			4, 20, false, ""},
		{"a specialist is preferred to a less-loaded generalist",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{free, specialist, cop}},
			5, 20, false, ""},
		{"among specialists the least loaded wins",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{specialist, lighterSpecialist, cop}},
			6, 20, false, ""},
		{"equal load goes to the higher rating",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{lighterSpecialist, higherRated, cop}},
			7, 20, false, ""},
		{"no free lawyer fails routing",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{offDuty, busy, elsewhere, cop}},
			0, 0, false, "routing.no_lawyer_available"},
		{"no officer fails routing",
			mediation.RoutingInput{Classification: mediation.ClassCivil, StationID: station, Category: "family", Candidates: []mediation.Candidate{free}},
			0, 0, false, "routing.no_officer_available"},
		{"an unknown classification is invalid",
			mediation.RoutingInput{Classification: "weird", StationID: station, Candidates: []mediation.Candidate{free, cop}},
			0, 0, false, "case.bad_classification"},
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
			if a.Lead.UserID != tt.wantLead || a.Assistant.UserID != tt.wantAssist || a.ChosenHonoured != tt.wantChosen {
				t.Fatalf("lead %d assistant %d chosen %v; want %d %d %v", a.Lead.UserID, a.Assistant.UserID, a.ChosenHonoured, tt.wantLead, tt.wantAssist, tt.wantChosen)
			}
		})
	}
}
