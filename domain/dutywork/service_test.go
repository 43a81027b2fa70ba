package dutywork

import (
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Each duty asks for its own facts (seed 000's four duties): who asked, the
// question and the answer of a consultation; place, audience, subject and
// head count of an education session; the matter and the officer of help
// with police work.
func TestInputNeedsEachDutysFacts(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	consult := Input{Kind: Consultation, StationID: 3, Minutes: 20, Person: "王某", Topic: "欠薪", Summary: "可申请劳动仲裁"}
	edu := Input{Kind: Education, StationID: 3, Minutes: 90, Place: "社区活动室", Audience: "居民", Topic: "防诈骗", Attendees: 40}
	assist := Input{Kind: PoliceAssist, StationID: 3, Minutes: 30, Topic: "释明调解协议效力", OfficerID: 9}
	with := func(in Input, f func(*Input)) Input { f(&in); return in }
	tests := []struct {
		name  string
		in    Input
		field string // "" when valid
	}{
		{"a full consultation", consult, ""},
		{"a full education session", edu, ""},
		{"full help with a police matter", assist, ""},
		{"a consultation names who asked", with(consult, func(i *Input) { i.Person = " " }), "person"},
		{"a consultation records the answer", with(consult, func(i *Input) { i.Summary = "" }), "summary"},
		{"a consultation has no audience", with(consult, func(i *Input) { i.Attendees = 5 }), "attendees"},
		{"an education session counts its audience", with(edu, func(i *Input) { i.Attendees = 0 }), "attendees"},
		{"an education session says where", with(edu, func(i *Input) { i.Place = "" }), "place"},
		{"an education session names no one who asked", with(edu, func(i *Input) { i.Person = "李某" }), "person"},
		{"police help names the officer", with(assist, func(i *Input) { i.OfficerID = 0 }), "officer_id"},
		{"police help says what it was", with(assist, func(i *Input) { i.Topic = "" }), "topic"},
		{"every duty takes some time", with(assist, func(i *Input) { i.Minutes = 0 }), "minutes"},
		{"no duty lasts more than a day", with(edu, func(i *Input) { i.Minutes = 1441 }), "minutes"},
		{"work is not recorded ahead of time", with(consult, func(i *Input) { i.At = now.Add(time.Hour) }), "at"},
		{"nor more than a month late", with(consult, func(i *Input) { i.At = now.AddDate(0, 0, -32) }), "at"},
		{"yesterday's work is fine", with(consult, func(i *Input) { i.At = now.AddDate(0, 0, -1) }), ""},
		{"a station is required", with(consult, func(i *Input) { i.StationID = 0 }), "station_id"},
		{"mediation is a case, not a record here", with(consult, func(i *Input) { i.Kind = Mediation }), "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if e, ok := domain.AsError(err); !ok || !hasField(e, tt.field) {
				t.Fatalf("%v; want a problem with %s", err, tt.field)
			}
		})
	}
}

func hasField(e *domain.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestTallyCountsEachDuty(t *testing.T) {
	var tl Tally
	for _, r := range []Record{{Kind: Consultation, Minutes: 10}, {Kind: Education, Attendees: 45, Minutes: 90}, {Kind: Education, Attendees: 5, Minutes: 30},
		{Kind: PoliceAssist, Minutes: 20}} {
		tl.Add(r)
	}
	if tl.Of(Consultation) != 1 || tl.Of(Education) != 2 || tl.EducationAttendees != 50 || tl.Of(PoliceAssist) != 1 || tl.Minutes != 150 {
		t.Fatalf("%+v", tl)
	}
}
