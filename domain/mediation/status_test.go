package mediation_test

import (
	"fmt"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// legal is written out by hand, independently of the package's table, so that
// a change to the state machine has to be made twice: here on purpose.
var legal = map[string]mediation.Status{
	"filed/screen":                 mediation.StatusScreened,
	"filed/reject":                 mediation.StatusRejected,
	"filed/withdraw":               mediation.StatusWithdrawn,
	"screened/assign":              mediation.StatusAssigned,
	"screened/reject":              mediation.StatusRejected,
	"screened/withdraw":            mediation.StatusWithdrawn,
	"assigned/reassign":            mediation.StatusAssigned,
	"assigned/start":               mediation.StatusInMediation,
	"assigned/withdraw":            mediation.StatusWithdrawn,
	"in_mediation/reassign":        mediation.StatusInMediation,
	"in_mediation/agree":           mediation.StatusAgreed,
	"in_mediation/fail":            mediation.StatusFailed,
	"in_mediation/refer":           mediation.StatusReferredToLitigation,
	"in_mediation/withdraw":        mediation.StatusWithdrawn,
	"agreed/close":                 mediation.StatusClosed,
	"failed/close":                 mediation.StatusClosed,
	"failed/refer":                 mediation.StatusReferredToLitigation,
	"referred_to_litigation/close": mediation.StatusClosed,
	"closed/follow_up":             mediation.StatusFollowedUp,
}

func TestEveryStatusActionPair(t *testing.T) {
	seen := 0
	for _, from := range mediation.Statuses {
		for _, a := range mediation.Actions {
			key := fmt.Sprintf("%s/%s", from, a)
			want, ok := legal[key]
			t.Run(key, func(t *testing.T) {
				got, err := mediation.Next(from, a)
				if ok {
					seen++
					if err != nil || got != want {
						t.Fatalf("Next(%s, %s) = %q, %v; want %q", from, a, got, err, want)
					}
					return
				}
				if err == nil {
					t.Fatalf("Next(%s, %s) = %q; want an illegal-transition error", from, a, got)
				}
				e, isApp := domain.AsError(err)
				if !isApp || e.Kind != domain.KindFailedPrecondition || e.Code != "case.illegal_transition" {
					t.Fatalf("Next(%s, %s) error %v; want failed_precondition case.illegal_transition", from, a, err)
				}
			})
		}
	}
	if seen != len(legal) {
		t.Fatalf("checked %d legal transitions, the table has %d: a status or action is missing from Statuses/Actions", seen, len(legal))
	}
}

func TestTerminalAndOpenStatuses(t *testing.T) {
	tests := []struct {
		s              mediation.Status
		terminal, open bool
	}{
		{mediation.StatusFiled, false, false},
		{mediation.StatusAssigned, false, true},
		{mediation.StatusInMediation, false, true},
		{mediation.StatusAgreed, false, true},
		{mediation.StatusClosed, false, false},
		{mediation.StatusFollowedUp, true, false},
		{mediation.StatusRejected, true, false},
		{mediation.StatusWithdrawn, true, false},
	}
	for _, tt := range tests {
		if tt.s.Terminal() != tt.terminal || tt.s.Open() != tt.open {
			t.Errorf("%s: terminal %v open %v, want %v %v", tt.s, tt.s.Terminal(), tt.s.Open(), tt.terminal, tt.open)
		}
	}
}
