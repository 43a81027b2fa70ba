package assessment

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

type oneFirm struct {
	firm int64
	all  bool
}

func (s oneFirm) FirmScope(context.Context, domain.Actor) (int64, bool, error) {
	if s.firm == 0 && !s.all {
		return 0, false, domain.Errorf(domain.KindForbidden, "firm.not_yours", "not yours")
	}
	return s.firm, s.all, nil
}

type monthStore struct{ Store }

func (monthStore) Month(context.Context, string) ([]FirmAssessment, error) {
	return []FirmAssessment{{ID: 1, FirmID: 71}, {ID: 2, FirmID: 72}}, nil
}
func (monthStore) Fails(context.Context, int64) (int, error) { return 0, nil }

// A firm's head gets their firm's assessment only; supervisors every
// firm's; anyone else is refused.
func TestListForScopesToTheFirm(t *testing.T) {
	for _, tc := range []struct {
		name  string
		scope oneFirm
		want  []int64
		err   bool
	}{
		{"a firm's head sees their own firm", oneFirm{firm: 72}, []int64{72}, false},
		{"a supervisor sees every firm", oneFirm{all: true}, []int64{71, 72}, false},
		{"a lawyer is refused", oneFirm{}, nil, true},
	} {
		s := &Service{Store: monthStore{}, Scope: tc.scope, Config: DefaultConfig}
		list, err := s.ListFor(context.Background(), domain.Actor{UserID: 1}, "2026-11")
		if (err != nil) != tc.err {
			t.Fatalf("%s: error %v", tc.name, err)
		}
		var got []int64
		for _, f := range list {
			got = append(got, f.FirmID)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[len(got)-1] != tc.want[len(tc.want)-1])) {
			t.Errorf("%s: firms %v, want %v", tc.name, got, tc.want)
		}
	}
}
