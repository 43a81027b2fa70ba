package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

var t0 = time.Date(2026, 11, 20, 2, 0, 0, 123456000, time.UTC)

func newRequest(filer int64) *mediation.Request {
	return &mediation.Request{
		FilerID: filer, Status: mediation.StatusFiled, Version: 1, CreatedAt: t0, UpdatedAt: t0,
		Filing: mediation.Filing{Kind: mediation.KindMediation, Category: "neighbour", Description: "楼上漏水多次协商未果",
			StationID: 3, ChosenID: 7, Parties: []mediation.Party{{Name: "王五", Phone: "13900000001", Relation: "邻居"}, {Name: "赵六"}}},
	}
}

func TestRequestStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewMediationStore(db)
		r := newRequest(100)
		if err := s.CreateRequest(ctx, r); err != nil || r.ID == 0 {
			t.Fatalf("create: %v id %d", err, r.ID)
		}
		got, err := s.Request(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Filing.Description != r.Filing.Description || len(got.Filing.Parties) != 2 || got.Filing.Parties[0].Phone != "13900000001" ||
			!got.CreatedAt.Equal(t0) || got.Status != mediation.StatusFiled || got.Filing.ChosenID != 7 {
			t.Fatalf("round trip lost data: %+v", got)
		}

		// Optimistic update: the first writer of version 2 wins, the second conflicts.
		a, b := *got, *got
		a.Status, a.Version = mediation.StatusScreened, 2
		b.Status, b.Version = mediation.StatusRejected, 2
		if err := s.UpdateRequest(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateRequest(ctx, &b); domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("second writer: %v, want a conflict", err)
		}
		if got, _ := s.Request(ctx, r.ID); got.Status != mediation.StatusScreened {
			t.Fatalf("status %s, want screened", got.Status)
		}

		if _, err := s.Request(ctx, 999999); domain.ErrorKind(err) != domain.KindNotFound {
			t.Fatalf("missing request: %v", err)
		}

		// Paging newest first, only the filer's own.
		for i := 0; i < 4; i++ {
			if err := s.CreateRequest(ctx, newRequest(100)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateRequest(ctx, newRequest(200)); err != nil {
			t.Fatal(err)
		}
		page1, _ := s.RequestsOfFiler(ctx, 100, mediation.Page{Limit: 3})
		page2, _ := s.RequestsOfFiler(ctx, 100, mediation.Page{Before: page1[2].ID, Limit: 3})
		if len(page1) != 3 || len(page2) != 2 || page1[0].ID <= page1[1].ID || page2[0].ID >= page1[2].ID {
			t.Fatalf("paging wrong: %d then %d", len(page1), len(page2))
		}
		staff, _ := s.RequestsForStaff(ctx, mediation.StaffFilter{StationIDs: []int64{3}, Statuses: []mediation.Status{mediation.StatusScreened}, Page: mediation.Page{Limit: 10}})
		if len(staff) != 1 || staff[0].ID != r.ID {
			t.Fatalf("staff filter gave %d requests", len(staff))
		}

		for _, typ := range []string{"filed", "screened"} {
			if err := s.AppendEvent(ctx, &mediation.Event{RequestID: r.ID, At: t0, ActorID: 1, ActorRole: "police", Type: typ}); err != nil {
				t.Fatal(err)
			}
		}
		events, _ := s.Events(ctx, r.ID)
		if len(events) != 2 || events[0].Type != "filed" || events[1].Type != "screened" {
			t.Fatalf("events %+v", events)
		}
	})
}

func TestRecordStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewMediationStore(db)
		rec := &mediation.Record{CaseID: 42, AuthorID: 7, Outcome: mediation.OutcomeAgreed, RiskScore: 85, Review: mediation.ReviewDraft,
			Version: 1, CreatedAt: t0, UpdatedAt: t0,
			Sessions:  []mediation.Session{{HeldAt: t0, Place: "调解室", Attendees: []string{"张三", "李四"}, Summary: "达成一致"}},
			Agreement: &mediation.Agreement{Terms: "赔偿 2000 元", AmountFen: 200000, JudicialConfirmation: mediation.JudicialPending}}
		if err := s.SaveRecord(ctx, rec); err != nil {
			t.Fatal(err)
		}
		dup := *rec
		dup.ID = 0
		if err := s.SaveRecord(ctx, &dup); domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("a second record for one case: %v, want conflict", err)
		}
		got, err := s.RecordOfRequest(ctx, 42)
		if err != nil {
			t.Fatal(err)
		}
		if got.Agreement == nil || got.Agreement.AmountFen != 200000 || len(got.Sessions) != 1 || got.Sessions[0].Attendees[1] != "李四" {
			t.Fatalf("round trip lost data: %+v", got)
		}
		got.Review, got.Version = mediation.ReviewPendingPolice, 2
		got.Sessions = append(got.Sessions, mediation.Session{HeldAt: t0.Add(time.Hour), RoomID: "room-1"})
		if err := s.SaveRecord(ctx, got); err != nil {
			t.Fatal(err)
		}
		stale := *got
		if err := s.SaveRecord(ctx, &stale); domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("stale save: %v, want conflict", err)
		}
		if err := s.AppendReview(ctx, got.ID, mediation.ReviewComment{ReviewerID: 9, Stage: mediation.ReviewPendingPolice, Approved: true, At: t0}); err != nil {
			t.Fatal(err)
		}
		again, _ := s.RecordOfRequest(ctx, 42)
		if len(again.Sessions) != 2 || len(again.Comments) != 1 || again.Review != mediation.ReviewPendingPolice {
			t.Fatalf("update lost data: %+v", again)
		}
	})
}

func TestCategoriesSeedKeepsEdits(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewMediationStore(db)
		if err := s.SeedCategories(ctx, mediation.DefaultCategories, t0); err != nil {
			t.Fatal(err)
		}
		db.Gorm.Exec("UPDATE categories SET label = '家事' WHERE code = 'family'")
		if err := s.SeedCategories(ctx, mediation.DefaultCategories, t0); err != nil {
			t.Fatal(err)
		}
		cats, _ := s.Categories(ctx)
		if len(cats) != len(mediation.DefaultCategories) || cats[0].Label != "家事" {
			t.Fatalf("categories %+v", cats)
		}
	})
}
