package mysql_test

import (
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The denylist is rebuilt from the sessions revoked lately, on MariaDB and
// on the embedded SQLite (where a MAX() of the revocation time came back as
// text and failed every request after a restart; issue 16, medium 10).
func TestRevokedSinceListsEachSessionOnce(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := t.Context()
		st := mysql.NewSessionStore(db)
		t0 := time.Now().UTC().Truncate(time.Second).Add(-10 * time.Minute)
		for i, sid := range []string{"s1", "s1", "s2", "s3"} {
			tok := &account.RefreshToken{SessionID: sid, UserID: 1, Hash: "h" + string(rune('a'+i)), ExpiresAt: t0.Add(time.Hour), CreatedAt: t0}
			if err := st.CreateRefresh(ctx, tok); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.RevokeSession(ctx, "s1", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeSession(ctx, "s2", t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, err := st.RevokedSince(ctx, t0)
		if err != nil {
			t.Fatalf("revoked since: %v", err)
		}
		want := map[string]time.Time{"s1": t0.Add(time.Minute), "s2": t0.Add(2 * time.Minute)}
		if len(got) != len(want) {
			t.Fatalf("got %+v, want s1 and s2 once each", got)
		}
		for _, r := range got {
			if !r.At.Equal(want[r.SessionID]) {
				t.Errorf("%s revoked at %v, want %v", r.SessionID, r.At, want[r.SessionID])
			}
		}
	})
}
