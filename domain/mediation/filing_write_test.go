package mediation

import (
	"fmt"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// A filing's dependent rows follow its request's ID, and binding again (a
// failed batch retried filing by filing gets new IDs) replaces, never
// stacks, the order keys.
func TestNewFilingBindsItsRowsToTheRequest(t *testing.T) {
	family := domain.Actor{UserID: 42, Roles: []string{RoleCitizen}}
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		centre int64
		keys   []string
	}{
		{"citizen's own", 0, []string{"request:%d:screen"}},
		{"on a detainee's behalf", 77, []string{"request:%d:screen", "request:%d:centre"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nf := newFiling(family, Filing{Kind: KindMediation, Category: "neighbour", StationID: 11}, tc.centre, now)
			idem := &domain.Idempotency{Key: "k"}
			nf.Idempotency = idem
			for _, id := range []int64{5, 9} {
				nf.Request.ID = id
				nf.bind()
				if nf.Event.RequestID != id || nf.Audit.ResourceID != id || nf.Signal.RequestID != id || idem.ResourceID != id {
					t.Fatalf("id %d: event %d audit %d signal %d key %d", id, nf.Event.RequestID, nf.Audit.ResourceID, nf.Signal.RequestID, idem.ResourceID)
				}
				if len(nf.Orders) != len(tc.keys) {
					t.Fatalf("%d orders, want %d", len(nf.Orders), len(tc.keys))
				}
				for i, o := range nf.Orders {
					if want := fmt.Sprintf(tc.keys[i], id); o.DedupeKey != want || o.ResourceID != id {
						t.Errorf("id %d: order %d key %q resource %d, want %q", id, i, o.DedupeKey, o.ResourceID, want)
					}
				}
			}
			if tc.centre != 0 && nf.Orders[1].UnitID != tc.centre {
				t.Errorf("the centre's order goes to unit %d", nf.Orders[1].UnitID)
			}
		})
	}
}
