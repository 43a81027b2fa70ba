package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/jointmeeting"
	sp "github.com/tiaojie/tiaojie/domain/specialpop"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The special population register on MariaDB and SQLite: the built-in
// kinds, a versioned write, the missed-plan query, the counts, and a
// transfer counting as a change for both areas.
func TestSpecialPopStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewSpecialPopStore(db)
		kinds, err := s.Kinds(ctx)
		if err != nil || len(kinds) != 4 || !kinds[0].Builtin {
			t.Fatalf("built-in kinds %+v (%v)", kinds, err)
		}
		if err := s.CreateKind(ctx, &sp.Kind{Code: sp.KindDrugUser, Name: "x", CreatedAt: t0}); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second drug_user kind: %v", err)
		}
		a1, a2 := &sp.Area{Name: "甲", DistrictID: 1, StationID: 2, JusticeOfficeID: 3, LegalServiceID: 4, CreatedAt: t0}, &sp.Area{Name: "乙", DistrictID: 1, StationID: 5, CreatedAt: t0}
		for _, a := range []*sp.Area{a1, a2} {
			if err := s.CreateArea(ctx, a); err != nil || a.ID == 0 {
				t.Fatalf("area: %v", err)
			}
		}
		due, late := t0.Add(24*time.Hour), t0.Add(-24*time.Hour)
		p1 := &sp.Person{AreaID: a1.ID, Kind: sp.KindDrugUser, Name: "赵某", IDNumberMasked: "5001**********0017", IDNumberHash: "h1", RiskLevel: sp.RiskHigh,
			OfficerID: 7, VisitEveryDays: 3, NextContactDue: late, State: sp.Managed, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		p2 := &sp.Person{AreaID: a1.ID, Kind: sp.KindMentalDisorder, Name: "钱某", IDNumberHash: "h2", RiskLevel: sp.RiskLow, OfficerID: 7, VisitEveryDays: 7,
			NextContactDue: due, State: sp.Managed, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		for _, p := range []*sp.Person{p1, p2} {
			if err := s.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if _, found, err := s.ActiveByIDHash(ctx, "h1"); err != nil || !found {
			t.Fatalf("the active person by hash: %v %v", found, err)
		}
		missed, err := s.MissedContacts(ctx, t0, 10)
		if err != nil || len(missed) != 1 || missed[0].ID != p1.ID {
			t.Fatalf("missed contacts %+v (%v)", missed, err)
		}
		stale := *p1
		now := t0
		p1.OverdueSince = &now
		if ok, err := s.UpdatePerson(ctx, p1); err != nil || !ok {
			t.Fatalf("update: %v %v", ok, err)
		}
		if ok, err := s.UpdatePerson(ctx, &stale); err != nil || ok {
			t.Fatalf("a stale write went through: %v %v", ok, err)
		}
		if missed, _ := s.MissedContacts(ctx, t0, 10); len(missed) != 0 {
			t.Fatalf("an overdue person is found again: %+v", missed)
		}
		got, err := s.Person(ctx, p1.ID)
		if err != nil || got.OverdueSince == nil || !got.OverdueSince.Equal(t0) || got.Version != 2 {
			t.Fatalf("read back %+v (%v)", got, err)
		}
		if managed, onPlan, err := s.PlanCompliance(ctx, []int64{a1.ID}, t0); err != nil || managed != 2 || onPlan != 1 {
			t.Fatalf("compliance %d/%d (%v), want 1/2", onPlan, managed, err)
		}
		counts, err := s.Counts(ctx, []int64{a1.ID, a2.ID})
		if err != nil || len(counts) != 2 || counts[0].N != 1 {
			t.Fatalf("counts %+v (%v)", counts, err)
		}
		for _, r := range []*sp.Record{
			{PersonID: p1.ID, AreaID: a1.ID, Type: sp.RecRegistered, At: t0, ToState: sp.Managed},
			{PersonID: p2.ID, AreaID: a1.ID, Type: sp.RecTransfer, At: t0.Add(time.Hour), FromArea: a1.ID, ToArea: a2.ID},
			{PersonID: p1.ID, AreaID: a1.ID, Type: sp.RecVisit, At: t0.Add(48 * time.Hour)},
		} {
			if err := s.AddRecord(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		if recs, err := s.RecordsBetween(ctx, []int64{a2.ID}, t0, t0.Add(24*time.Hour)); err != nil || len(recs) != 1 || recs[0].Type != sp.RecTransfer {
			t.Fatalf("the new area's changes %+v (%v)", recs, err)
		}
		if recs, err := s.Records(ctx, p1.ID); err != nil || len(recs) != 2 {
			t.Fatalf("the person's records %+v (%v)", recs, err)
		}
	})
}

// Joint meetings on MariaDB and SQLite: one meeting per level, place and
// period; the agenda round-trips; an item closes once; the tally.
func TestMeetingStoreOnEachEngine(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewMeetingStore(db)
		m := &jointmeeting.Meeting{Level: jointmeeting.LevelArea, AreaID: 3, DistrictID: 1, Period: "2026-11", Title: "研判会", ScheduledAt: t0,
			State: jointmeeting.Planned, Attendees: []int64{}, CreatedAt: t0, UpdatedAt: t0, Version: 1,
			Agenda: jointmeeting.Agenda{From: t0, To: t0.Add(time.Hour), SpecialChanges: []jointmeeting.SpecialChange{{PersonID: 9, Type: "registered", At: t0}}}}
		if err := s.CreateMeeting(ctx, m); err != nil {
			t.Fatal(err)
		}
		dup := *m
		dup.ID = 0
		if err := s.CreateMeeting(ctx, &dup); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second meeting of the period: %v", err)
		}
		held := t0
		m.State, m.HeldAt, m.Attendees = jointmeeting.Held, &held, []int64{4, 5}
		if ok, err := s.UpdateMeeting(ctx, m); err != nil || !ok {
			t.Fatalf("minutes: %v %v", ok, err)
		}
		got, err := s.Meeting(ctx, m.ID)
		if err != nil || len(got.Attendees) != 2 || len(got.Agenda.SpecialChanges) != 1 || got.Agenda.SpecialChanges[0].PersonID != 9 {
			t.Fatalf("read back %+v (%v)", got, err)
		}
		x := &jointmeeting.Action{MeetingID: m.ID, Title: "走访", AssigneeID: 4, UnitID: 2, DueAt: t0.Add(-time.Hour), State: jointmeeting.ActionOpen, CreatedAt: t0}
		y := &jointmeeting.Action{MeetingID: m.ID, Title: "咨询", AssigneeID: 5, UnitID: 3, DueAt: t0.Add(time.Hour), State: jointmeeting.ActionOpen, CreatedAt: t0}
		for _, a := range []*jointmeeting.Action{x, y} {
			if err := s.CreateAction(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		y.State, y.Outcome, y.ClosedBy, y.ClosedAt = jointmeeting.ActionClosed, "已办结", 5, &held
		if ok, err := s.CloseAction(ctx, y); err != nil || !ok {
			t.Fatalf("close: %v %v", ok, err)
		}
		if ok, _ := s.CloseAction(ctx, y); ok {
			t.Fatal("an item closed twice")
		}
		open, err := s.OpenActions(ctx, []int64{3}, nil)
		if err != nil || len(open) != 1 || open[0].ID != x.ID {
			t.Fatalf("open items %+v (%v)", open, err)
		}
		tally, err := s.Tally(ctx, []int64{3}, nil, t0.Add(-time.Hour), t0.Add(time.Hour), t0)
		if err != nil || tally != (jointmeeting.Tally{Held: 1, Actions: 2, ActionsClosed: 1, ActionsOverdue: 1}) {
			t.Fatalf("tally %+v (%v)", tally, err)
		}
		if list, err := s.Meetings(ctx, jointmeeting.Filter{AreaIDs: []int64{4}, Limit: 10}); err != nil || len(list) != 0 {
			t.Fatalf("another area's meetings %+v (%v)", list, err)
		}
	})
}
