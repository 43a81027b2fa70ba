package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// A judicial confirmation is kept beside the approved record, on both
// dialects: once per request, decided once (optimistically), and the
// record's agreement shows its state without its review moving.
func TestConfirmationStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		store := mysql.NewMediationStore(db)
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		req := &m.Request{FilerID: 1, Filing: m.Filing{Kind: m.KindMediation, Category: "debt", Description: "欠款未还纠纷", StationID: 7},
			Status: m.StatusAgreed, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := store.CreateRequest(ctx, req); err != nil {
			t.Fatal(err)
		}
		rec := &m.Record{CaseID: req.ID, AuthorID: 2, Outcome: m.OutcomeAgreed, Agreement: &m.Agreement{Terms: "分期还款", JudicialConfirmation: m.JudicialPending},
			Review: m.ReviewApproved, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := store.SaveRecord(ctx, rec); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Confirmation(ctx, req.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("before any request: %v", err)
		}
		c := &m.Confirmation{RequestID: req.ID, CourtID: 41, RequestedBy: 2, RequestedAt: now, Note: "申请确认", Result: m.JudicialPending, Version: 1}
		if err := store.SaveConfirmation(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := store.SaveConfirmation(ctx, c); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second request: %v, want a conflict", err)
		}
		decided := now.Add(48 * time.Hour)
		c.Result, c.DecidedOn, c.DocumentNo, c.AttachmentID, c.DecidedBy, c.DecidedAt, c.Version = m.JudicialRefused, "2026-11-22", "(2026)渝0112民特9号", 5, 9, &decided, 2
		if err := store.SaveConfirmation(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := store.SaveConfirmation(ctx, c); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a stale decision: %v, want a conflict", err)
		}
		got, err := store.Confirmation(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Result != m.JudicialRefused || got.DocumentNo != c.DocumentNo || got.DecidedOn != "2026-11-22" || got.AttachmentID != 5 ||
			got.DecidedAt == nil || !got.DecidedAt.Equal(decided) || got.CourtID != 41 || !got.RequestedAt.Equal(now) {
			t.Fatalf("read back %+v", got)
		}
		r, err := store.RecordOfRequest(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Review != m.ReviewApproved || r.Version != 1 || r.Agreement == nil || r.Agreement.JudicialConfirmation != m.JudicialRefused {
			t.Fatalf("the record after the ruling: review %s, version %d, agreement %+v", r.Review, r.Version, r.Agreement)
		}
	})
}
