package specialpop_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	sp "github.com/tiaojie/tiaojie/domain/specialpop"
)

// Every (state, action) pair: the allowed moves lead where the register
// says, every other pair is refused as an illegal transition.
func TestEveryStateAndAction(t *testing.T) {
	allowed := map[sp.State]map[sp.Action]sp.State{
		sp.Managed:     {sp.ActLoseContact: sp.LostContact, sp.ActReoffend: sp.Reoffended, sp.ActRelease: sp.Released},
		sp.LostContact: {sp.ActRegainContact: sp.Managed, sp.ActReoffend: sp.Reoffended},
		sp.Reoffended:  {sp.ActRelease: sp.Released},
		sp.Released:    {},
	}
	for _, from := range sp.States {
		for _, act := range sp.Actions {
			want, ok := allowed[from][act]
			t.Run(string(from)+" "+string(act), func(t *testing.T) {
				got, err := sp.Next(from, act)
				if ok {
					if err != nil || got != want {
						t.Fatalf("%s from %s: got %s %v, want %s", act, from, got, err, want)
					}
					return
				}
				e, isErr := domain.AsError(err)
				if !isErr || e.Code != "special_person.illegal_transition" || got != from {
					t.Fatalf("%s from %s: got %s %v, want special_person.illegal_transition", act, from, got, err)
				}
			})
		}
	}
	if _, err := sp.Next(sp.Managed, "fly"); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("an unknown action: %v", err)
	}
}

func TestOnlyManagedAndLostContactAreFollowed(t *testing.T) {
	for _, s := range sp.States {
		if got, want := s.Active(), s == sp.Managed || s == sp.LostContact; got != want {
			t.Errorf("%s active %v, want %v", s, got, want)
		}
	}
}
