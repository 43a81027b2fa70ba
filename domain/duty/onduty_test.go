package duty

import (
	"context"
	"testing"
	"time"
)

func local(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, sh)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOnDuty(t *testing.T) {
	all := [7]bool{true, true, true, true, true, true, true}
	weekdays := [7]bool{false, true, true, true, true, true, false}
	roundTheClock := Roster{StationID: 3, From: 0, To: 24 * time.Hour, Weekdays: all}
	weekdaysOnly := Roster{StationID: 3, From: 9 * time.Hour, To: 18 * time.Hour, Weekdays: weekdays}
	in := func(at string) *time.Time { v := local(at); return &v }
	tests := []struct {
		name   string
		roster *Roster // nil: the default 09:00–18:00 every day
		att    *Attendance
		at     string
		want   bool
	}{
		{"inside the default hours a lawyer is on duty without checking in", nil, nil, "2026-11-23 10:00", true},
		{"at 02:30 nobody is on duty by the default hours", nil, nil, "2026-11-24 02:30", false},
		{"the default hours end at 18:00", nil, nil, "2026-11-23 18:00", false},
		{"a station roster of 00:00–24:00 is on duty at 02:30", &roundTheClock, nil, "2026-11-24 02:30", true},
		{"a station roster of 00:00–24:00 is on duty at 23:59", &roundTheClock, nil, "2026-11-24 23:59", true},
		{"a weekday roster is off on Sunday", &weekdaysOnly, nil, "2026-11-22 10:00", false},
		{"a lawyer checked in at night is on duty", nil, &Attendance{LawyerID: 7, StationID: 3, Day: "2026-11-24", CheckInAt: in("2026-11-24 02:00")}, "2026-11-24 02:30", true},
		{"a check-in later than the moment asked about does not count yet", nil, &Attendance{LawyerID: 7, StationID: 3, Day: "2026-11-24", CheckInAt: in("2026-11-24 03:00")}, "2026-11-24 02:30", false},
		{"a lawyer who checked out is off duty within the hours", nil, &Attendance{LawyerID: 7, StationID: 3, Day: "2026-11-23", CheckInAt: in("2026-11-23 09:00"), CheckOutAt: in("2026-11-23 12:00")}, "2026-11-23 14:00", false},
		{"before checking out the lawyer is on duty", nil, &Attendance{LawyerID: 7, StationID: 3, Day: "2026-11-23", CheckInAt: in("2026-11-23 09:00"), CheckOutAt: in("2026-11-23 12:00")}, "2026-11-23 11:00", true},
		{"a check-in at another station does not count here", nil, &Attendance{LawyerID: 7, StationID: 4, Day: "2026-11-24", CheckInAt: in("2026-11-24 02:00")}, "2026-11-24 02:30", false},
		{"yesterday's check-in does not keep a lawyer on duty tonight", nil, &Attendance{LawyerID: 7, StationID: 3, Day: "2026-11-23", CheckInAt: in("2026-11-23 09:00")}, "2026-11-24 02:30", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, st := newService(local(tt.at))
			if tt.roster != nil {
				st.rosters[3] = *tt.roster
			}
			if tt.att != nil {
				st.att = append(st.att, tt.att)
			}
			got, err := s.OnDuty(context.Background(), 7, 3, local(tt.at))
			if err != nil || got != tt.want {
				t.Fatalf("on duty %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestNextStart(t *testing.T) {
	all := [7]bool{true, true, true, true, true, true, true}
	weekdays := [7]bool{false, true, true, true, true, true, false}
	tests := []struct {
		name   string
		roster Roster
		at     string
		want   string // "" for none
	}{
		{"at 02:30 the next shift starts at 09:00 the same day", Roster{From: 9 * time.Hour, To: 18 * time.Hour, Weekdays: all}, "2026-11-24 02:30", "2026-11-24 09:00"},
		{"in the evening the next shift is tomorrow morning", Roster{From: 9 * time.Hour, To: 18 * time.Hour, Weekdays: all}, "2026-11-24 20:00", "2026-11-25 09:00"},
		{"during a shift the next one is tomorrow", Roster{From: 9 * time.Hour, To: 18 * time.Hour, Weekdays: all}, "2026-11-24 09:00", "2026-11-25 09:00"},
		{"on Friday night a weekday roster resumes on Monday", Roster{From: 9 * time.Hour, To: 18 * time.Hour, Weekdays: weekdays}, "2026-11-27 22:00", "2026-11-30 09:00"},
		{"a night roster starts at its own hour", Roster{From: 20 * time.Hour, To: 24 * time.Hour, Weekdays: all}, "2026-11-24 02:30", "2026-11-24 20:00"},
		{"a roster without days has no next shift", Roster{From: 9 * time.Hour, To: 18 * time.Hour}, "2026-11-24 02:30", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.roster.NextStart(local(tt.at), sh)
			if tt.want == "" {
				if !got.IsZero() {
					t.Fatalf("next start %v, want none", got)
				}
				return
			}
			if !got.Equal(local(tt.want)) {
				t.Fatalf("next start %v, want %s", got.In(sh), tt.want)
			}
		})
	}
}
