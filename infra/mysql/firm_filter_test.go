package mysql_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// A firm's requests are those its lawyers lead, assist or were chosen
// for, on both dialects.
func TestRequestsOfAFirm(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		users, store := mysql.NewAccountStore(db), mysql.NewMediationStore(db)
		now := time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC)
		ids := map[string]int64{}
		for _, u := range []struct {
			name string
			firm int64
		}{{"ours_a", 71}, {"ours_b", 71}, {"theirs", 72}, {"officer", 0}} {
			acc := &account.User{Username: u.name, Name: u.name, Roles: []string{account.RoleLawyer}, OrgID: 1, FirmID: u.firm, CreatedAt: now, UpdatedAt: now}
			if err := users.CreateUser(ctx, acc); err != nil {
				t.Fatal(err)
			}
			ids[u.name] = acc.ID
		}
		mk := func(lead, assistant, chosen int64) int64 {
			r := &m.Request{FilerID: 1, Filing: m.Filing{Kind: m.KindMediation, Category: "debt", Description: "欠款未还纠纷", StationID: 7, ChosenID: chosen},
				Status: m.StatusAssigned, LeadID: lead, AssistantID: assistant, Version: 1, CreatedAt: now, UpdatedAt: now}
			if err := store.CreateRequest(ctx, r); err != nil {
				t.Fatal(err)
			}
			return r.ID
		}
		led := mk(ids["ours_a"], ids["officer"], 0)
		assisted := mk(ids["theirs"], ids["ours_b"], 0)
		chosen := mk(0, 0, ids["ours_b"])
		mk(ids["theirs"], ids["officer"], ids["theirs"]) // another firm's
		got, err := store.RequestsForStaff(ctx, m.StaffFilter{FirmID: 71, Page: m.Page{Limit: 10}})
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs []int64
		for _, r := range got {
			gotIDs = append(gotIDs, r.ID)
		}
		if fmt.Sprint(gotIDs) != fmt.Sprint([]int64{chosen, assisted, led}) {
			t.Fatalf("firm 71's requests %v, want %v (newest first)", gotIDs, []int64{chosen, assisted, led})
		}
	})
}
