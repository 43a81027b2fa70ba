package mysql_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// Custom search on MariaDB and SQLite: every filter narrows, within the
// scope the caller's list has; names and places are literal text (a '%'
// typed by staff matches a '%', not everything).
func TestSearchRequestsOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s, tags := mysql.NewMediationStore(db), mysql.NewTagStore(db)
		filer := &account.User{Phone: "13700000077", Name: "张三", Roles: []string{"citizen"}, CreatedAt: t0, UpdatedAt: t0}
		if err := mysql.NewAccountStore(db).CreateUser(ctx, filer); err != nil {
			t.Fatal(err)
		}
		mk := func(station int64, place, party, phone, category string, class mediation.Classification, lead int64, at time.Time) int64 {
			r := newRequest(filer.ID + station) // only station 3's requests are the demo filer's
			if station == 3 {
				r.FilerID = filer.ID
			}
			r.Filing.StationID, r.Filing.Place, r.Filing.Category, r.Classification, r.LeadID, r.CreatedAt = station, place, category, class, lead, at
			r.Filing.Parties = []mediation.Party{{Name: party, Phone: phone}}
			if err := s.CreateRequest(ctx, r); err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		a := mk(3, "双凤桥街道碧津社区1号", "王五", "13900000001", "neighbour", mediation.ClassCivil, 41, t0)
		b := mk(3, "回兴街道100%广场", "王小五", "13900000002", "debt", mediation.ClassPublicSecurity, 42, t0.Add(48*time.Hour))
		c := mk(4, "碧津社区2号", "李四", "13900000001", "neighbour", mediation.ClassCivil, 41, t0.Add(24*time.Hour))
		d := mk(3, "两路", "王_五", "", "neighbour", "", 0, t0.Add(72*time.Hour))
		if added, err := tags.AddTag(ctx, a, "家暴史", 41, t0); err != nil || !added {
			t.Fatalf("add tag: %v %v", added, err)
		}
		if added, err := tags.AddTag(ctx, a, "家暴史", 42, t0); err != nil || added {
			t.Fatalf("the same tag again: added=%v %v, want nothing added", added, err)
		}
		if _, err := tags.AddTag(ctx, c, "家暴史", 41, t0); err != nil {
			t.Fatal(err)
		}
		both := []int64{3, 4}
		cases := []struct {
			name   string
			filter mediation.StaffFilter
			want   []int64
		}{
			{"a party's phone finds each request naming it", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{PartyPhone: "13900000001"}}, []int64{c, a}},
			{"the filer's phone finds the filer's requests", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{PartyPhone: "13700000077"}}, []int64{d, b, a}},
			{"the station scope still holds", mediation.StaffFilter{StationIDs: []int64{4}, Search: &mediation.Search{PartyPhone: "13900000001"}}, []int64{c}},
			{"a name matches from its start", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{PartyName: "王"}}, []int64{d, b, a}},
			{"the filer's name matches too", mediation.StaffFilter{StationIDs: []int64{3}, Search: &mediation.Search{PartyName: "张三"}}, []int64{d, b, a}},
			{"an underscore is literal", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{PartyName: "王_"}}, []int64{d}},
			{"a percent sign is literal", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{Place: "100%"}}, []int64{b}},
			{"a community anywhere in the place", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{Place: "碧津社区"}}, []int64{c, a}},
			{"by tag", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{Tag: "家暴史"}}, []int64{c, a}},
			{"by category and classification", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{Category: "neighbour", Classification: mediation.ClassCivil}}, []int64{c, a}},
			{"by station", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{StationID: 4}}, []int64{c}},
			{"a station outside the scope finds nothing", mediation.StaffFilter{StationIDs: []int64{3}, Search: &mediation.Search{StationID: 4}}, nil},
			{"by lead", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{LeadID: 42}}, []int64{b}},
			{"by date range, the end excluded", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{From: t0.Add(time.Hour), To: t0.Add(72 * time.Hour)}}, []int64{c, b}},
			{"a lawyer's own cases only", mediation.StaffFilter{PersonID: 41, Search: &mediation.Search{Category: "neighbour"}}, []int64{c, a}},
			{"filters combine", mediation.StaffFilter{StationIDs: both, Search: &mediation.Search{PartyPhone: "13900000001", Tag: "家暴史", StationID: 3}}, []int64{a}},
		}
		for _, tc := range cases {
			tc.filter.Page = mediation.Page{Limit: 100}
			got, err := s.RequestsForStaff(ctx, tc.filter)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			var ids []int64
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.name, ids, tc.want)
			}
		}

		// Statistics by tag: one row per tag, over the same index.
		figs, err := mysql.NewStatsStore(db).Figures(ctx, stats.Query{Stations: both, From: t0.Add(-time.Hour), To: t0.Add(100 * time.Hour), By: stats.ByTag})
		if err != nil || len(figs) != 1 || figs["家暴史"].Filed != 2 {
			t.Fatalf("figures by tag %+v (%v), want 家暴史: 2 filed", figs, err)
		}

		// Tags come back with the request and its list row.
		got, err := s.Request(ctx, a)
		if err != nil || fmt.Sprint(got.Tags) != "[家暴史]" {
			t.Fatalf("request tags %v (%v)", got.Tags, err)
		}
		if removed, err := tags.RemoveTag(ctx, a, "家暴史"); err != nil || !removed {
			t.Fatalf("remove: %v %v", removed, err)
		}
		if removed, _ := tags.RemoveTag(ctx, a, "家暴史"); removed {
			t.Fatal("a removed tag was removed again")
		}

		// Vocabulary: one name per organisation.
		v := &mediation.VocabularyTag{OrgID: 3, Name: "欠薪", CreatedBy: 9, CreatedAt: t0}
		if err := tags.AddVocabulary(ctx, v); err != nil || v.ID == 0 {
			t.Fatalf("add vocabulary: %v", err)
		}
		if err := tags.AddVocabulary(ctx, &mediation.VocabularyTag{OrgID: 3, Name: "欠薪", CreatedAt: t0}); codeOf(err) != "tag_vocabulary.exists" {
			t.Fatalf("the same name twice: %v", err)
		}
		if err := tags.AddVocabulary(ctx, &mediation.VocabularyTag{OrgID: 1, Name: "家暴史", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		vs, err := tags.Vocabulary(ctx, []int64{3, 1})
		if err != nil || len(vs) != 2 {
			t.Fatalf("vocabulary %+v (%v)", vs, err)
		}
		if err := tags.RemoveVocabulary(ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := tags.VocabularyEntry(ctx, v.ID); codeOf(err) != "tag_vocabulary.not_found" {
			t.Fatalf("removed entry: %v", err)
		}
	})
}

func codeOf(err error) string {
	if e, ok := domain.AsError(err); ok {
		return e.Code
	}
	return ""
}
