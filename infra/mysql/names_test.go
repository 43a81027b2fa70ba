package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// Reports name stations, firms and staff; a citizen's name never comes out.
func TestNameStoreNamesOrganisationsAndStaffButNoCitizen(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		acc, names := mysql.NewAccountStore(db), mysql.NewNameStore(db)
		now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		station := &account.Org{Kind: account.OrgKind("station"), Name: "双凤桥派出所", CreatedAt: now, UpdatedAt: now}
		if err := acc.CreateOrg(ctx, station); err != nil {
			t.Fatal(err)
		}
		lawyer := &account.User{Username: "lawyer9", Name: "杨律师", Roles: []string{"lawyer"}, CreatedAt: now, UpdatedAt: now}
		citizen := &account.User{Phone: "13700000009", Name: "张三", Roles: []string{"citizen"}, CreatedAt: now, UpdatedAt: now}
		for _, u := range []*account.User{lawyer, citizen} {
			if err := acc.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		orgs, err := names.OrgNames(ctx, []int64{station.ID, 99999})
		if err != nil || len(orgs) != 1 || orgs[station.ID] != "双凤桥派出所" {
			t.Fatalf("org names %v, %v", orgs, err)
		}
		staff, err := names.StaffNames(ctx, []int64{lawyer.ID, citizen.ID})
		if err != nil || len(staff) != 1 || staff[lawyer.ID] != "杨律师" {
			t.Fatalf("staff names %v, %v; want only the lawyer", staff, err)
		}
		if none, err := names.StaffNames(ctx, nil); err != nil || len(none) != 0 {
			t.Fatalf("no IDs: %v, %v", none, err)
		}
		if err := mysql.NewMediationStore(db).SeedCategories(ctx, m.DefaultCategories, now); err != nil {
			t.Fatal(err)
		}
		cats, err := names.CategoryLabels(ctx)
		if err != nil || cats["neighbour"] != "邻里" {
			t.Fatalf("category labels %v, %v", cats, err)
		}
	})
}
