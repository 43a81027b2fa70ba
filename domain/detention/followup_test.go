package detention_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

func TestFollowUpStateMachine(t *testing.T) {
	const (
		open, visiting, assessed, closed = detention.FollowUpOpen, detention.FollowUpVisiting, detention.FollowUpAssessed, detention.FollowUpClosed
		visit, assess, signOff           = detention.ActionVisit, detention.ActionAssess, detention.ActionSignOff
	)
	cases := []struct {
		name   string
		from   detention.FollowUpState
		action detention.FollowUpAction
		to     detention.FollowUpState // empty: refused
	}{
		{"the first visit starts the follow-up", open, visit, visiting},
		{"an assessment needs a visit first", open, assess, ""},
		{"nobody signs off an unvisited follow-up", open, signOff, ""},
		{"more visits are fine", visiting, visit, visiting},
		{"an assessment follows the visits", visiting, assess, assessed},
		{"no sign-off before the assessment", visiting, signOff, ""},
		{"a visit after the assessment is still recorded", assessed, visit, assessed},
		{"the assessment may be revised", assessed, assess, assessed},
		{"an assessed follow-up is signed off", assessed, signOff, closed},
		{"a closed follow-up takes no visit", closed, visit, ""},
		{"a closed follow-up takes no assessment", closed, assess, ""},
		{"a closed follow-up is not closed twice", closed, signOff, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to, err := detention.NextFollowUp(c.from, c.action)
			if c.to == "" {
				wantKind(t, err, domain.KindFailedPrecondition, "follow_up.illegal_transition")
				return
			}
			if err != nil || to != c.to {
				t.Fatalf("NextFollowUp(%s, %s) = %s, %v; want %s", c.from, c.action, to, err, c.to)
			}
		})
	}
}

// Release → follow-up order to the home station → visits and assessment by
// the station → sign-off by the centre (结案销号).
func TestReleaseAndFollowUpToTheSignOff(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake()))
	got, fu := must2(s.Release(ctx, staff, d.ID, detention.Departure{On: t0, Reason: "拘留期满"}))
	if got.Status != detention.Released || fu.StationID != station || fu.CentreID != centre || fu.State != detention.FollowUpOpen ||
		!fu.DueAt.Equal(t0.AddDate(0, 0, 7)) {
		t.Fatalf("release: %+v, follow-up %+v", got, fu)
	}
	if !slices.Equal(f.w.cancelled, []int64{d.ID}) {
		t.Fatalf("future bookings cancelled for %v, want the released detainee", f.w.cancelled)
	}
	wantOrder := order{Kind: detention.OrderFollowUp, UnitID: station, Priority: 2, Title: "出所人员跟踪回访：张三", ResourceType: "follow_up",
		ResourceID: fu.ID, DedupeKey: fmt.Sprintf("follow_up:%d", fu.ID)}
	if len(f.w.orders) != 1 || f.w.orders[0] != wantOrder {
		t.Fatalf("orders %+v, want %+v", f.w.orders, wantOrder)
	}
	_, _, err := s.Release(ctx, staff, d.ID, detention.Departure{On: t0, Reason: "again"})
	wantKind(t, err, domain.KindFailedPrecondition, "detainee.not_detained")

	// Who sees the follow-up.
	for _, a := range []domain.Actor{otherOfficer, otherStaff, courtClerk, citizen} {
		if _, err := s.FollowUp(ctx, a, fu.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("actor %d read the follow-up: %v", a.UserID, err)
		}
	}
	for _, a := range []domain.Actor{officer, staff, supervisor} {
		if v, err := s.FollowUp(ctx, a, fu.ID); err != nil || v.Detainee.ID != d.ID {
			t.Fatalf("actor %d cannot read the follow-up: %v", a.UserID, err)
		}
	}

	steps := []struct {
		name  string
		do    func() (*detention.FollowUp, error)
		state detention.FollowUpState
		err   string // a code when refused
	}{
		{"the centre cannot sign off an unvisited follow-up", func() (*detention.FollowUp, error) {
			return s.CloseFollowUp(ctx, staff, fu.ID, "")
		}, "", "follow_up.illegal_transition"},
		{"the centre does not record visits", func() (*detention.FollowUp, error) {
			return s.AddFollowUpVisit(ctx, staff, fu.ID, detention.NewFollowUpVisit{On: t0, Method: "home", Note: "上门"})
		}, "", "follow_up.station_only"},
		{"the station cannot assess before visiting", func() (*detention.FollowUp, error) {
			return s.AssessFollowUp(ctx, officer, fu.ID, detention.AssessGood, "表现良好")
		}, "", "follow_up.illegal_transition"},
		{"the station visits", func() (*detention.FollowUp, error) {
			return s.AddFollowUpVisit(ctx, officer, fu.ID, detention.NewFollowUpVisit{On: t0, Method: "home", Note: "上门走访，情绪稳定"})
		}, detention.FollowUpVisiting, ""},
		{"and calls", func() (*detention.FollowUp, error) {
			return s.AddFollowUpVisit(ctx, officer, fu.ID, detention.NewFollowUpVisit{On: t0, Method: "phone", Note: "电话回访"})
		}, detention.FollowUpVisiting, ""},
		{"the station assesses", func() (*detention.FollowUp, error) {
			return s.AssessFollowUp(ctx, officer, fu.ID, detention.AssessGood, "已返岗工作，与对方无再冲突")
		}, detention.FollowUpAssessed, ""},
		{"the station does not sign off", func() (*detention.FollowUp, error) {
			return s.CloseFollowUp(ctx, officer, fu.ID, "")
		}, "", "follow_up.centre_only"},
		{"the centre signs off", func() (*detention.FollowUp, error) {
			return s.CloseFollowUp(ctx, staff, fu.ID, "结案销号")
		}, detention.FollowUpClosed, ""},
		{"nothing is added after the sign-off", func() (*detention.FollowUp, error) {
			return s.AddFollowUpVisit(ctx, officer, fu.ID, detention.NewFollowUpVisit{On: t0, Method: "home", Note: "再访"})
		}, "", "follow_up.illegal_transition"},
	}
	for _, st := range steps {
		got, err := st.do()
		if st.err != "" {
			if e, ok := domain.AsError(err); !ok || e.Code != st.err {
				t.Fatalf("%s: %v, want %s", st.name, err, st.err)
			}
			continue
		}
		if err != nil || got.State != st.state {
			t.Fatalf("%s: %v, state %v; want %s", st.name, err, got, st.state)
		}
	}
	v := must(s.FollowUp(ctx, staff, fu.ID))
	if len(v.Visits) != 2 || v.FollowUp.Assessment != detention.AssessGood || v.FollowUp.ClosedBy != staff.UserID || v.FollowUp.ClosedAt == nil {
		t.Fatalf("closed follow-up %+v with %d visits", v.FollowUp, len(v.Visits))
	}
	for _, want := range []string{fmt.Sprintf("detainee.release detainee:%d", d.ID), fmt.Sprintf("follow_up.visit follow_up:%d", fu.ID),
		fmt.Sprintf("follow_up.assess follow_up:%d", fu.ID), fmt.Sprintf("follow_up.close follow_up:%d", fu.ID)} {
		if !slices.Contains(actions(f.w.audit), want) {
			t.Fatalf("audit %v lacks %q", actions(f.w.audit), want)
		}
	}
}
