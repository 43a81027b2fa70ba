package expert_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/expert"
)

func TestInvitationStateMachine(t *testing.T) {
	const no = expert.State("")
	i, ac, de, co, wd := expert.Invited, expert.Accepted, expert.Declined, expert.Concluded, expert.Withdrawn
	want := map[expert.State]map[expert.Action]expert.State{
		i:  {expert.ActAccept: ac, expert.ActDecline: de, expert.ActConclude: no, expert.ActWithdraw: wd},
		ac: {expert.ActAccept: no, expert.ActDecline: no, expert.ActConclude: co, expert.ActWithdraw: wd},
		de: {expert.ActAccept: no, expert.ActDecline: no, expert.ActConclude: no, expert.ActWithdraw: no},
		co: {expert.ActAccept: no, expert.ActDecline: no, expert.ActConclude: no, expert.ActWithdraw: no},
		wd: {expert.ActAccept: no, expert.ActDecline: no, expert.ActConclude: no, expert.ActWithdraw: no},
	}
	for _, s := range expert.States {
		for _, a := range expert.Actions {
			w, listed := want[s][a]
			if !listed {
				t.Fatalf("no row for %s/%s", s, a)
			}
			got, err := expert.Next(s, a)
			switch {
			case w == no && !domain.IsKind(err, domain.KindFailedPrecondition):
				t.Errorf("%s an invitation that is %s: %s, %v; want it refused", a, s, got, err)
			case w != no && (err != nil || got != w):
				t.Errorf("%s an invitation that is %s: %s, %v; want %s", a, s, got, err, w)
			}
		}
	}
}
