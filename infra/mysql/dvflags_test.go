package mysql_test

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The flag lookup every batch of filings makes, on MariaDB and SQLite: the
// filer by their account's phone, a party by phone, the household by its
// key, each case alone and all in one read; a cleared flag no longer counts.
func TestDVFlagStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewDVFlagStore(db)
		filer := &account.User{Phone: "13700000088", Name: "李某", Roles: []string{"citizen"}, CreatedAt: t0, UpdatedAt: t0}
		if err := mysql.NewAccountStore(db).CreateUser(ctx, filer); err != nil {
			t.Fatal(err)
		}
		person := &warning.DVFlag{Kind: warning.DVPerson, Key: "13700000088", StationID: 3, FlaggedBy: 9, FlaggedAt: t0}
		party := &warning.DVFlag{Kind: warning.DVPerson, Key: "13900000055", StationID: 3, FlaggedAt: t0}
		home := &warning.DVFlag{Kind: warning.DVHousehold, Key: warning.HouseholdKey("碧津社区3栋"), Address: "碧津社区3栋", StationID: 4, FlaggedAt: t0}
		for _, f := range []*warning.DVFlag{person, party, home} {
			if err := s.CreateDVFlag(ctx, f); err != nil || f.ID == 0 {
				t.Fatalf("create: %v", err)
			}
		}
		cases := []struct {
			name      string
			filer     int64
			phones    []string
			household string
			want      bool
		}{
			{"the flagged filer", filer.ID, nil, "", true},
			{"another filer", filer.ID + 1, nil, "", false},
			{"a flagged party", filer.ID + 1, []string{"13900000001", "13900000055"}, "", true},
			{"the flagged household", filer.ID + 1, nil, warning.HouseholdKey("碧津社区 3栋"), true},
			{"another household", filer.ID + 1, nil, warning.HouseholdKey("碧津社区4栋"), false},
			{"a household key is not a phone", filer.ID + 1, nil, "13900000055", false},
		}
		flagged := func(m warning.DVMatch, filer int64, phones []string, household string) bool {
			hit := m.Filers[filer] || m.Households[household]
			for _, p := range phones {
				hit = hit || m.Phones[p]
			}
			return hit
		}
		var filers []int64
		var phones, households []string
		for _, tc := range cases {
			var hh []string
			if tc.household != "" {
				hh = []string{tc.household}
			}
			m, err := s.DVMatches(ctx, []int64{tc.filer}, tc.phones, hh)
			if got := flagged(m, tc.filer, tc.phones, tc.household); err != nil || got != tc.want {
				t.Errorf("%s: %v (%v), want %v", tc.name, got, err, tc.want)
			}
			filers, phones, households = append(filers, tc.filer), append(phones, tc.phones...), append(households, hh...)
		}
		all, err := s.DVMatches(ctx, filers, phones, households)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range cases {
			if got := flagged(all, tc.filer, tc.phones, tc.household); got != tc.want {
				t.Errorf("%s, asked with the others: %v, want %v", tc.name, got, tc.want)
			}
		}
		if m, err := s.DVMatches(ctx, nil, nil, nil); err != nil || len(m.Filers)+len(m.Phones)+len(m.Households) != 0 {
			t.Errorf("nothing asked: %+v (%v)", m, err)
		}
		if err := s.ClearDVFlag(ctx, person.ID, 9, t0); err != nil {
			t.Fatal(err)
		}
		if m, _ := s.DVMatches(ctx, []int64{filer.ID}, nil, nil); m.Filers[filer.ID] {
			t.Error("a cleared flag still marks the filer")
		}
		list, err := s.DVFlags(ctx, []int64{3}, 0, 10)
		if err != nil || len(list) != 1 || list[0].ID != party.ID {
			t.Fatalf("station 3's standing flags %+v (%v)", list, err)
		}
		if f, err := s.DVFlag(ctx, person.ID); err != nil || f.ClearedAt == nil || f.ClearedBy != 9 {
			t.Fatalf("the cleared flag %+v (%v)", f, err)
		}
	})
}
