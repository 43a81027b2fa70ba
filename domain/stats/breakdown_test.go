package stats

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

type fakeStore struct {
	figs             map[string]Figures
	raised, resolved map[string]int64
}

func (f fakeStore) Figures(context.Context, Query) (map[string]Figures, error) { return f.figs, nil }
func (f fakeStore) Warnings(context.Context, Query) (map[string]int64, map[string]int64, error) {
	return f.raised, f.resolved, nil
}
func (f fakeStore) Ledger(context.Context, []int64, time.Time, time.Time) ([]LedgerLine, error) {
	return nil, nil
}

type allStations []int64

func (s allStations) StationScope(context.Context, domain.Actor) ([]int64, bool, error) {
	return s, true, nil
}

// Warnings carry a station and a time but no category or kind; the store
// answers them under the key "" for those groupings.
func TestBreakdownRowsAreTheGroupsAndWarningsCountWhereTheyBelong(t *testing.T) {
	cases := []struct {
		name          string
		by            Group
		figs          map[string]Figures
		raised        map[string]int64
		wantKeys      []string
		wantRowRaised map[string]int64
	}{
		{"by category, warnings make no empty row", ByCategory, map[string]Figures{"neighbour": {Filed: 2}, "debt": {Filed: 1}},
			map[string]int64{"": 3}, []string{"debt", "neighbour"}, map[string]int64{"debt": 0, "neighbour": 0}},
		{"by kind, warnings make no empty row", ByKind, map[string]Figures{"mediation": {Filed: 3}},
			map[string]int64{"": 3}, []string{"mediation"}, map[string]int64{"mediation": 0}},
		{"by station, warnings sit on their station", ByStation, map[string]Figures{"7": {Filed: 3}},
			map[string]int64{"7": 2, "9": 1}, []string{"7", "9"}, map[string]int64{"7": 2, "9": 1}},
		{"by month, warnings sit in their month", ByMonth, map[string]Figures{"2026-10": {Filed: 3}},
			map[string]int64{"2026-11": 3}, []string{"2026-10", "2026-11"}, map[string]int64{"2026-10": 0, "2026-11": 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Service{Store: fakeStore{figs: c.figs, raised: c.raised, resolved: map[string]int64{}}, Scope: allStations{7, 9}}
			from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
			rep, err := s.Breakdown(context.Background(), domain.Actor{UserID: 1}, from, from.AddDate(0, 2, 0), c.by, 0)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, r := range rep.Rows {
				keys = append(keys, r.Key)
				if r.WarningsRaised != c.wantRowRaised[r.Key] {
					t.Errorf("row %q has %d warnings, want %d", r.Key, r.WarningsRaised, c.wantRowRaised[r.Key])
				}
			}
			if len(keys) != len(c.wantKeys) {
				t.Fatalf("rows %q, want %q", keys, c.wantKeys)
			}
			for i := range keys {
				if keys[i] != c.wantKeys[i] {
					t.Fatalf("rows %q, want %q", keys, c.wantKeys)
				}
			}
			if rep.Total.WarningsRaised != 3 {
				t.Errorf("total warnings %d, want 3", rep.Total.WarningsRaised)
			}
		})
	}
}

// byGroupStore answers the figures of each grouping, as the database would.
type byGroupStore struct {
	fakeStore
	byGroup map[Group]map[string]Figures
}

func (f byGroupStore) Figures(_ context.Context, q Query) (map[string]Figures, error) {
	return f.byGroup[q.By], nil
}

// By tag a case with two tags is in both rows: the total must count it
// once, and untagged cases too, not sum the rows.
func TestBreakdownByTagCountsEachCaseOnceInTheTotal(t *testing.T) {
	s := &Service{Scope: allStations{7}, Store: byGroupStore{
		fakeStore: fakeStore{raised: map[string]int64{}, resolved: map[string]int64{}},
		byGroup: map[Group]map[string]Figures{
			ByTag:     {"家暴史": {Filed: 2}, "欠薪": {Filed: 2}},
			ByNothing: {"": {Filed: 3}},
		}}}
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	rep, err := s.Breakdown(context.Background(), domain.Actor{UserID: 1}, from, from.AddDate(0, 1, 0), ByTag, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 || rep.Rows[0].Filed != 2 || rep.Total.Filed != 3 {
		t.Fatalf("rows %+v total %+v, want two rows of 2 and a total of 3", rep.Rows, rep.Total)
	}
}
