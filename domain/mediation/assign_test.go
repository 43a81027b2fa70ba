package mediation_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

func TestCheckStaffing(t *testing.T) {
	offDuty := lawyer(1, mediation.DefaultCapacity) // off duty and full: a person chosen by hand may still be
	offDuty.OnDuty = false
	elsewhere := lawyer(2, 0)
	elsewhere.Stations = []int64{99}
	cop := officer(20, 0)
	otherCop := officer(21, 0)
	otherCop.Stations = []int64{99}
	people := []mediation.Candidate{offDuty, elsewhere, cop, otherCop}
	tests := []struct {
		name            string
		class           mediation.Classification
		lead, assistant int64
		fields          []string
	}{
		{"a civil case takes a lawyer of the station as lead and an officer as assistant, duty and load aside", mediation.ClassCivil, 1, 20, nil},
		{"a public-security case takes an officer as lead and a lawyer as assistant", mediation.ClassPublicSecurity, 20, 1, nil},
		{"a minor criminal case is led by the police", mediation.ClassMinorCriminalCivil, 20, 1, nil},
		{"a civil case is not led by an officer", mediation.ClassCivil, 20, 1, []string{"lead_id", "assistant_id"}},
		{"a lawyer not serving the station is refused", mediation.ClassCivil, 2, 20, []string{"lead_id"}},
		{"an officer of another station is refused", mediation.ClassCivil, 1, 21, []string{"assistant_id"}},
		{"an unknown person is refused", mediation.ClassPublicSecurity, 20, 77, []string{"assistant_id"}},
		{"a case without an assistant needs one named", mediation.ClassCivil, 1, 0, []string{"assistant_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mediation.CheckStaffing(tt.class, station, people, tt.lead, tt.assistant)
			var got []string
			if e, ok := domain.AsError(err); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.fields) {
				t.Fatalf("fields %v, want %v", got, tt.fields)
			}
			for i := range got {
				if got[i] != tt.fields[i] {
					t.Fatalf("fields %v, want %v", got, tt.fields)
				}
			}
		})
	}
}
