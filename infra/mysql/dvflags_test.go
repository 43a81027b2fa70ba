package mysql_test

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The flag lookup every filing makes, on MariaDB and SQLite: the filer by
// their account's phone, a party by phone, the household by its key; a
// cleared flag no longer counts.
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
		for _, tc := range cases {
			got, err := s.DVFlagged(ctx, tc.filer, tc.phones, tc.household)
			if err != nil || got != tc.want {
				t.Errorf("%s: %v (%v), want %v", tc.name, got, err, tc.want)
			}
		}
		if err := s.ClearDVFlag(ctx, person.ID, 9, t0); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.DVFlagged(ctx, filer.ID, nil, ""); got {
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
