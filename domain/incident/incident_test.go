package incident_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/incident"
)

// Every (state, action) pair: where it leads, or "" when it is refused.
func TestIncidentStateMachine(t *testing.T) {
	const no = incident.State("")
	o, as, re, rf, cl := incident.Open, incident.Assisting, incident.Resolved, incident.Referred, incident.Closed
	want := map[incident.State]map[incident.Action]incident.State{
		o:  {incident.ActBringIn: as, incident.ActAssist: no, incident.ActCalculate: o, incident.ActResolve: re, incident.ActRefer: rf, incident.ActClose: cl},
		as: {incident.ActBringIn: as, incident.ActAssist: as, incident.ActCalculate: as, incident.ActResolve: re, incident.ActRefer: rf, incident.ActClose: cl},
		re: {incident.ActBringIn: no, incident.ActAssist: no, incident.ActCalculate: no, incident.ActResolve: no, incident.ActRefer: no, incident.ActClose: no},
		rf: {incident.ActBringIn: no, incident.ActAssist: no, incident.ActCalculate: no, incident.ActResolve: no, incident.ActRefer: no, incident.ActClose: no},
		cl: {incident.ActBringIn: no, incident.ActAssist: no, incident.ActCalculate: no, incident.ActResolve: no, incident.ActRefer: no, incident.ActClose: no},
	}
	for _, s := range incident.States {
		for _, a := range incident.Actions {
			w, listed := want[s][a]
			if !listed {
				t.Fatalf("the table has no row for %s/%s", s, a)
			}
			got, err := incident.Next(s, a)
			switch {
			case w == no && !domain.IsKind(err, domain.KindFailedPrecondition):
				t.Errorf("%s an incident that is %s: %s, %v; want it refused", a, s, got, err)
			case w != no && (err != nil || got != w):
				t.Errorf("%s an incident that is %s: %s, %v; want %s", a, s, got, err, w)
			}
		}
	}
}
