package stats

import (
	"testing"
	"time"
)

func TestDerive(t *testing.T) {
	cases := []struct {
		name string
		f    Figures
		want Row
	}{
		{"empty", Figures{}, Row{}},
		{"rates", Figures{Filed: 10, Closed: 4, Agreed: 3, Failed: 1, Referred: 0, Responded: 8, FirstResponseSeconds: 8 * 7200,
			CloseSeconds: 4 * 86400, Rated: 2, StarsSum: 9},
			Row{ClosureRate: 0.4, SuccessRate: 0.75, AvgFirstResponseH: 2, AvgCloseH: 24, Satisfaction: 4.5}},
		{"thirds round", Figures{Filed: 3, Closed: 1, Agreed: 1, Failed: 2}, Row{ClosureRate: 0.3333, SuccessRate: 0.3333}},
		{"in-app and return-visit satisfaction apart", Figures{Filed: 3, Rated: 1, StarsSum: 2, ReturnVisits: 3, ReturnStarsSum: 13},
			Row{Satisfaction: 2, ReturnSatisfaction: 4.3333}},
	}
	for _, c := range cases {
		got := derive("k", c.f)
		if got.ClosureRate != c.want.ClosureRate || got.SuccessRate != c.want.SuccessRate || got.AvgFirstResponseH != c.want.AvgFirstResponseH ||
			got.AvgCloseH != c.want.AvgCloseH || got.Satisfaction != c.want.Satisfaction ||
			got.ReturnSatisfaction != c.want.ReturnSatisfaction {
			t.Errorf("%s: derive = %+v", c.name, got)
		}
	}
}

func TestPeriodBounds(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	from, to, err := QuarterBounds("2026-Q4", sh)
	if err != nil || from.Format("2006-01-02") != "2026-10-01" || to.Format("2006-01-02") != "2027-01-01" {
		t.Fatalf("Q4: %s %s %v", from, to, err)
	}
	for _, bad := range []string{"2026-Q5", "2026Q1", "26-Q1", "2026-q1", ""} {
		if _, _, err := QuarterBounds(bad, sh); err == nil {
			t.Errorf("quarter %q accepted", bad)
		}
	}
	from, to, err = MonthBounds("2026-02", sh)
	if err != nil || to.Sub(from) != 28*24*time.Hour || from.UTC().Format(time.RFC3339) != "2026-01-31T16:00:00Z" {
		t.Fatalf("month: %s %s %v", from, to, err)
	}
	if _, _, err := MonthBounds("2026-13", sh); err == nil {
		t.Error("month 13 accepted")
	}
	if _, _, err := DayBounds("2026-11-31", sh); err == nil {
		t.Error("30 November has no 31st")
	}
}
