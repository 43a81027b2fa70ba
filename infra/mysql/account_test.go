package mysql_test

import (
	"slices"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// A login looks the username up byte for byte: MySQL's case- and
// accent-insensitive collation must not let POLICE2 or pólice2 reach the
// police2 account (issue 16, medium 2), and two accounts cannot share a
// canonical username.
func TestUserByUsernameIsExact(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := t.Context()
		acc := mysql.NewAccountStore(db)
		now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		u := &account.User{Username: "police2", Name: "民警", Roles: []string{"police"}, OrgID: 1, PasswordHash: "x", CreatedAt: now, UpdatedAt: now}
		if err := acc.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := acc.UserByUsername(ctx, "police2"); err != nil || !ok || got.ID != u.ID {
			t.Fatalf("the exact name: %v %v %v", got, ok, err)
		}
		for _, other := range []string{"POLICE2", "Police2", "police2 ", "pólice2", "polİce2"} {
			if got, ok, err := acc.UserByUsername(ctx, other); err != nil || ok {
				t.Errorf("%q found %v (%v), want no account", other, got, err)
			}
		}
		again := *u
		again.ID = 0
		if err := acc.CreateUser(ctx, &again); err == nil {
			t.Fatal("a second account with the same username was created")
		}
	})
}

// A user list carries each user's own stations (read for the whole list at
// once, not one query per user).
func TestUsersCarryTheirOwnStations(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := t.Context()
		acc := mysql.NewAccountStore(db)
		now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		want := map[string][]int64{"lawyer1": {7, 9}, "lawyer2": {8}, "police1": nil}
		for name, stations := range want {
			u := &account.User{Username: name, Name: name, Roles: []string{"lawyer"}, OrgID: 1, StationIDs: stations, PasswordHash: "x", CreatedAt: now, UpdatedAt: now}
			if err := acc.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		got, err := acc.Users(ctx, account.UserFilter{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("users: %+v", got)
		}
		for _, u := range got {
			if !slices.Equal(u.StationIDs, want[u.Username]) {
				t.Errorf("%s: stations %v, want %v", u.Username, u.StationIDs, want[u.Username])
			}
		}
	})
}
