package mediation_test

import (
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

func TestFilingValidate(t *testing.T) {
	categories := map[string]bool{}
	for _, c := range m.DefaultCategories {
		categories[c.Code] = true
	}
	good := func() m.Filing {
		return m.Filing{Kind: m.KindMediation, Category: "neighbour", Description: "楼上漏水多次协商未果", StationID: 3,
			Parties: []m.Party{{Name: "王五", Phone: "13900000001", Relation: "邻居"}}}
	}
	tests := []struct {
		name   string
		mutate func(*m.Filing)
		fields []string
	}{
		{"a complete filing is valid", func(*m.Filing) {}, nil},
		{"a consultation without parties is valid", func(f *m.Filing) { f.Kind = m.KindConsultation; f.Parties = nil }, nil},
		{"kind is required", func(f *m.Filing) { f.Kind = "" }, []string{"kind"}},
		{"an unknown kind is refused", func(f *m.Filing) { f.Kind = "lawsuit" }, []string{"kind"}},
		{"an unknown category is refused", func(f *m.Filing) { f.Category = "murder" }, []string{"category"}},
		{"a blank description is required", func(f *m.Filing) { f.Description = "   " }, []string{"description"}},
		{"a two-character description is too short", func(f *m.Filing) { f.Description = "吵架" }, []string{"description"}},
		{"a huge description is too long", func(f *m.Filing) { f.Description = strings.Repeat("长", m.MaxDescriptionRunes+1) }, []string{"description"}},
		{"the station is required", func(f *m.Filing) { f.StationID = 0 }, []string{"station_id"}},
		{"a party needs a name", func(f *m.Filing) { f.Parties[0].Name = " " }, []string{"parties[0].name"}},
		{"a party's phone must be a mobile number", func(f *m.Filing) { f.Parties[0].Phone = "12345" }, []string{"parties[0].phone"}},
		{"every bad field is reported at once", func(f *m.Filing) { f.Kind = ""; f.Category = ""; f.StationID = 0 }, []string{"kind", "category", "station_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good()
			tt.mutate(&f)
			err := f.Validate(categories)
			var got []string
			if e, ok := domain.AsError(err); ok {
				for _, fe := range e.Fields {
					got = append(got, fe.Field)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("fields %v, want %v (err %v)", got, tt.fields, err)
			}
		})
	}
}
