package mysql_test

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The conflict rule's record on MariaDB and SQLite: an involvement recorded
// twice is one, and a person's matters are found by a party's or the
// filer's phone.
func TestInvolvementStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		reqs, s := mysql.NewMediationStore(db), mysql.NewInvolvementStore(db)
		filer := &account.User{Phone: "13700000099", Name: "周某", Roles: []string{"citizen"}, CreatedAt: t0, UpdatedAt: t0}
		if err := mysql.NewAccountStore(db).CreateUser(ctx, filer); err != nil {
			t.Fatal(err)
		}
		r := newRequest(filer.ID) // names 王五 13900000001
		if err := reqs.CreateRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
		lead := mediation.Involvement{PersonID: 41, RequestID: r.ID, Role: "lead", At: t0}
		for i := 0; i < 2; i++ {
			if err := s.RecordInvolvement(ctx, lead, mediation.Involvement{PersonID: 42, RequestID: r.ID, Role: "assistant", At: t0}); err != nil {
				t.Fatalf("record (time %d): %v", i+1, err)
			}
		}
		for _, tc := range []struct {
			name   string
			person int64
			phone  string
			want   int
		}{
			{"the lead and a party", 41, "13900000001", 1},
			{"the lead and the filer", 41, "13700000099", 1},
			{"the assistant and a party", 42, "13900000001", 1},
			{"someone else", 43, "13900000001", 0},
			{"a stranger's phone", 41, "13900000009", 0},
		} {
			got, err := s.MattersWithParty(ctx, tc.person, tc.phone)
			if err != nil || len(got) != tc.want {
				t.Fatalf("%s: %+v (%v), want %d matters", tc.name, got, err, tc.want)
			}
			if tc.want == 1 && (got[0].RequestID != r.ID || !got[0].InvolvedAt.Equal(t0) || got[0].Category != "neighbour") {
				t.Fatalf("%s: matter %+v", tc.name, got[0])
			}
		}
	})
}
