package pairing_test

import (
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/pairing"
)

func TestFindingStateMachine(t *testing.T) {
	const no = pairing.FindingState("")
	o, r, v := pairing.FindingOpen, pairing.FindingRectified, pairing.FindingVerified
	want := map[pairing.FindingState]map[pairing.FindingAction]pairing.FindingState{
		o: {pairing.ActRectify: r, pairing.ActVerify: no, pairing.ActReject: no},
		r: {pairing.ActRectify: no, pairing.ActVerify: v, pairing.ActReject: o},
		v: {pairing.ActRectify: no, pairing.ActVerify: no, pairing.ActReject: no},
	}
	for _, s := range pairing.FindingStates {
		for _, a := range pairing.FindingActions {
			w, listed := want[s][a]
			if !listed {
				t.Fatalf("no row for %s/%s", s, a)
			}
			got, err := pairing.NextFinding(s, a)
			switch {
			case w == no && !domain.IsKind(err, domain.KindFailedPrecondition):
				t.Errorf("%s a %s finding: %s, %v; want it refused", a, s, got, err)
			case w != no && (err != nil || got != w):
				t.Errorf("%s a %s finding: %s, %v; want %s", a, s, got, err, w)
			}
		}
	}
}

func TestLevels(t *testing.T) {
	sum := 0
	for _, l := range pairing.Levels {
		sum += l.TargetPct()
	}
	if sum != 100 {
		t.Errorf("the levels' shares add up to %d%%", sum)
	}
	if !(pairing.Province.Interval() > pairing.City.Interval() && pairing.City.Interval() > pairing.County.Interval()) {
		t.Error("a province cadre must not have to visit more often than a county one")
	}
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p := pairing.Pairing{Level: pairing.County, CreatedAt: start}
	if due := p.DueAt(nil); !due.Equal(start.AddDate(0, 0, 7)) {
		t.Errorf("first visit due %s", due)
	}
	visited := start.AddDate(0, 0, 3)
	if due := p.DueAt(&visited); !due.Equal(visited.AddDate(0, 0, 7)) {
		t.Errorf("after a visit due %s", due)
	}
}

func TestCoverageShares(t *testing.T) {
	stations := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	pairs := []pairing.Pairing{{StationID: 1, Level: pairing.Province}, {StationID: 2, Level: pairing.Province},
		{StationID: 3, Level: pairing.City}, {StationID: 4, Level: pairing.City}, {StationID: 5, Level: pairing.City},
		{StationID: 6, Level: pairing.County}, {StationID: 7, Level: pairing.County}, {StationID: 8, Level: pairing.County}}
	sum := pairing.Summarise(stations, pairs)
	if sum.Stations != 10 || sum.Paired != 8 || len(sum.Unpaired) != 2 || sum.Unpaired[0] != 9 || sum.Complete {
		t.Fatalf("summary %+v", sum)
	}
	for _, l := range sum.ByLevel {
		want := map[pairing.Level]int{pairing.Province: 20, pairing.City: 30, pairing.County: 30}[l.Level]
		if l.SharePct != want || l.TargetPct != l.Level.TargetPct() {
			t.Errorf("%s: %d%%, want %d%% (target %d%%)", l.Level, l.SharePct, want, l.TargetPct)
		}
		if l.Level == pairing.County && l.Shortfall != 2 {
			t.Errorf("county shortfall %d, want 2", l.Shortfall)
		}
	}
}
