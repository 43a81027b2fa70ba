package mediation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

func TestParseTag(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"a Chinese tag is kept", "家暴史", "家暴史", ""},
		{"spaces around are trimmed", "  欠薪  ", "欠薪", ""},
		{"twenty characters are allowed", strings.Repeat("纠", 20), strings.Repeat("纠", 20), ""},
		{"twenty-one are too long", strings.Repeat("纠", 21), "", domain.FieldTooLong},
		{"an empty tag is required", "   ", "", domain.FieldRequired},
		{"a comma would split an export cell", "欠薪,讨债", "", domain.FieldInvalid},
		{"a Chinese comma too", "欠薪，讨债", "", domain.FieldInvalid},
		{"a slash would break the tag's URL", "婚姻/家庭", "", domain.FieldInvalid},
		{"a newline is a control character", "欠\n薪", "", domain.FieldInvalid},
		{"a spreadsheet formula is refused", "=HYPERLINK(1)", "", domain.FieldInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := m.ParseTag("tag", tc.in)
			if tc.code == "" {
				if err != nil || got != tc.want {
					t.Fatalf("ParseTag(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
				}
				return
			}
			e, ok := domain.AsError(err)
			if !ok || len(e.Fields) != 1 || e.Fields[0].Code != tc.code {
				t.Fatalf("ParseTag(%q) error %v, want field code %s", tc.in, err, tc.code)
			}
		})
	}
}

func TestSearchValidate(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		q      m.Search
		fields []string
	}{
		{"no filters is the request list", m.Search{}, nil},
		{"every filter at once", m.Search{PartyName: "王", PartyPhone: "13900000001", Place: "碧津社区", Category: "family", Tag: "家暴史",
			Classification: m.ClassCivil, Status: m.StatusClosed, StationID: 3, LeadID: 7, From: day, To: day.AddDate(0, 1, 0)}, nil},
		{"a partial phone is refused: phones match exactly", m.Search{PartyPhone: "1390000"}, []string{"party_phone"}},
		{"an unknown classification", m.Search{Classification: "criminal"}, []string{"classification"}},
		{"an unknown status", m.Search{Status: "lost"}, []string{"status"}},
		{"a bad tag", m.Search{Tag: "a,b"}, []string{"tag"}},
		{"to before from", m.Search{From: day, To: day}, []string{"to"}},
		{"negative IDs", m.Search{StationID: -1, LeadID: -2}, []string{"station_id", "lead_id"}},
		{"a name longer than any name", m.Search{PartyName: strings.Repeat("王", 51)}, []string{"party_name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.q.Validate()
			var got []string
			if e, ok := domain.AsError(err); ok {
				for _, f := range e.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("bad fields %v, want %v", got, tc.fields)
			}
		})
	}
}
