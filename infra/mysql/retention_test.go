package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

func TestRetentionAnonymisesOnlyWhatIsPastIt(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		med, acc := mysql.NewMediationStore(db), mysql.NewAccountStore(db)
		old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
		quiet := &account.User{Phone: "13700000001", Name: "老用户", Roles: []string{"citizen"}, CreatedAt: old, UpdatedAt: old}
		busy := &account.User{Phone: "13700000002", Name: "在办用户", Roles: []string{"citizen"}, CreatedAt: old, UpdatedAt: old}
		for _, u := range []*account.User{quiet, busy} {
			if err := acc.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		closed := newRequest(quiet.ID)
		closed.Status, closed.CreatedAt, closed.UpdatedAt = m.StatusClosed, old, old
		open := newRequest(busy.ID)
		open.Status, open.CreatedAt, open.UpdatedAt = m.StatusInMediation, old, old
		for _, r := range []*m.Request{closed, open} {
			if err := med.CreateRequest(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		clock := domain.ClockFunc(func() time.Time { return now })
		audit := mysql.NewAuditStore(db)
		n, err := m.AnonymiseExpired(ctx, med, audit, clock, 3*365*24*time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("anonymised %d requests (%v), want the closed one", n, err)
		}
		got, _ := med.Request(ctx, closed.ID)
		if got.Filing.Description != m.AnonymisedText || got.Filing.Parties[0].Phone != "" || got.Filing.Parties[0].Name != m.AnonymisedText {
			t.Fatalf("closed request keeps personal data: %+v", got.Filing)
		}
		if kept, _ := med.Request(ctx, open.ID); kept.Filing.Description == m.AnonymisedText {
			t.Fatal("an open matter was anonymised")
		}
		if n, _ := m.AnonymiseExpired(ctx, med, audit, clock, 3*365*24*time.Hour); n != 0 {
			t.Fatalf("second run changed %d requests, want 0", n)
		}
		n, err = account.AnonymiseInactive(ctx, acc, audit, clock, 3*365*24*time.Hour)
		if err != nil || n != 1 {
			t.Fatalf("anonymised %d citizens (%v), want the quiet one only", n, err)
		}
		if _, found, _ := acc.UserByPhone(ctx, "13700000001"); found {
			t.Fatal("the quiet citizen can still be found by phone")
		}
		if _, found, _ := acc.UserByPhone(ctx, "13700000002"); !found {
			t.Fatal("a citizen with an open matter was anonymised")
		}
	})
}
