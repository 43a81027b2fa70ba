package jointmeeting

import (
	"testing"
	"time"
)

func TestPeriodsAreMonthsForAreasAndQuartersForTheDistrict(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	s := &Service{Loc: loc}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	tests := []struct {
		name     string
		level    Level
		period   string
		from, to time.Time
		ok       bool
	}{
		{"a month", LevelArea, "2026-11", day(2026, 11, 1), day(2026, 12, 1), true},
		{"December runs into the next year", LevelArea, "2026-12", day(2026, 12, 1), day(2027, 1, 1), true},
		{"an area does not meet by quarter", LevelArea, "2026-Q4", time.Time{}, time.Time{}, false},
		{"the fourth quarter", LevelDistrict, "2026-Q4", day(2026, 10, 1), day(2027, 1, 1), true},
		{"the first quarter", LevelDistrict, "2027-Q1", day(2027, 1, 1), day(2027, 4, 1), true},
		{"there is no fifth quarter", LevelDistrict, "2026-Q5", time.Time{}, time.Time{}, false},
		{"the district does not meet by month", LevelDistrict, "2026-11", time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, ok := s.period(tt.level, tt.period)
			if ok != tt.ok || ok && (!from.Equal(tt.from) || !to.Equal(tt.to)) {
				t.Fatalf("%s %s: %v–%v %v, want %v–%v %v", tt.level, tt.period, from, to, ok, tt.from, tt.to, tt.ok)
			}
		})
	}
}

func TestTheDigestWeekStartsOnMonday(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	s := &Service{Loc: loc}
	monday := time.Date(2026, 11, 30, 0, 0, 0, 0, loc)
	for d := 0; d < 7; d++ {
		at := monday.AddDate(0, 0, d).Add(23 * time.Hour)
		if got := s.WeekOf(at.UTC()); !got.Equal(monday) {
			t.Errorf("the week of %s starts %s, want %s", at, got, monday)
		}
	}
}

func TestAnActionIsOverdueOnlyWhileOpen(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		state ActionState
		due   time.Time
		want  bool
	}{{ActionOpen, now.Add(-time.Hour), true}, {ActionOpen, now.Add(time.Hour), false}, {ActionClosed, now.Add(-time.Hour), false}} {
		a := Action{State: tt.state, DueAt: tt.due}
		if got := a.Overdue(now); got != tt.want {
			t.Errorf("%s due %s: overdue %v, want %v", tt.state, tt.due, got, tt.want)
		}
	}
}
