package mysql_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/inbox"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

func notification(userID int64, key string) *inbox.Notification {
	return &inbox.Notification{UserID: userID, Kind: "case_assigned", Title: "您的调解申请已分派律师", Body: "承办律师将尽快与您联系。",
		ResourceType: "request", ResourceID: 42, DedupeKey: key, CreatedAt: t0}
}

func notificationIDs(ns []inbox.Notification) []int64 {
	out := []int64{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func TestInboxStoreAddsOncePerDedupeKey(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewInboxStore(db)
		first := notification(1, "req:42:assigned")
		if created, err := s.Add(ctx, first); err != nil || !created || first.ID == 0 {
			t.Fatalf("first add: created %v, id %d, %v", created, first.ID, err)
		}
		again := notification(1, "req:42:assigned")
		if created, err := s.Add(ctx, again); err != nil || created {
			t.Fatalf("repeated key: created %v, %v; want nothing added and no error", created, err)
		}
		for i := range 2 {
			if created, err := s.Add(ctx, notification(1, "")); err != nil || !created {
				t.Fatalf("keyless notice %d: created %v, %v; notices without a key never collide", i, created, err)
			}
		}

		// A repeated key inside a transaction must not spoil it: what follows
		// still commits. A rolled-back transaction leaves nothing behind.
		err := db.WithTx(ctx, func(ctx context.Context) error {
			if created, err := s.Add(ctx, notification(1, "req:42:assigned")); err != nil || created {
				return errors.Join(err, errors.New("duplicate added"))
			}
			_, err := s.Add(ctx, notification(1, "req:42:agreed"))
			return err
		})
		if err != nil {
			t.Fatalf("transaction with a repeated key: %v", err)
		}
		rollback := errors.New("the change failed")
		err = db.WithTx(ctx, func(ctx context.Context) error {
			if _, err := s.Add(ctx, notification(1, "req:42:closed")); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("WithTx = %v, want the function's error", err)
		}

		all, err := s.List(ctx, 1, false, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 4 {
			t.Fatalf("stored %d notices, want 4 (assigned, two keyless, agreed; no duplicate, nothing rolled back)", len(all))
		}
		got := all[len(all)-1]
		if got.ID != first.ID || got.UserID != 1 || got.Kind != "case_assigned" || got.Title != first.Title || got.Body != first.Body ||
			got.ResourceType != "request" || got.ResourceID != 42 || got.DedupeKey != "req:42:assigned" ||
			!got.CreatedAt.Equal(t0) || got.ReadAt != nil {
			t.Fatalf("round trip: %+v, want %+v", got, *first)
		}
		if all[1].DedupeKey != "" {
			t.Fatalf("a keyless notice came back with key %q", all[1].DedupeKey)
		}
	})
}

func TestInboxStoreListsNewestFirstAndCountsUnread(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewInboxStore(db)
		var mine []int64
		for i, user := range []int64{1, 2, 1, 1, 1, 1} {
			n := notification(user, "k"+string(rune('a'+i)))
			if _, err := s.Add(ctx, n); err != nil {
				t.Fatal(err)
			}
			if user == 1 {
				mine = append(mine, n.ID)
			}
		}
		slices.Reverse(mine) // newest first
		if _, err := s.MarkRead(ctx, 1, []int64{mine[1]}, t0); err != nil {
			t.Fatal(err)
		}

		page1, err := s.List(ctx, 1, false, 0, 2)
		if err != nil || !slices.Equal(notificationIDs(page1), mine[:2]) {
			t.Fatalf("first page %v, %v; want %v", notificationIDs(page1), err, mine[:2])
		}
		page2, err := s.List(ctx, 1, false, page1[1].ID, 2)
		if err != nil || !slices.Equal(notificationIDs(page2), mine[2:4]) {
			t.Fatalf("second page %v, %v; want %v", notificationIDs(page2), err, mine[2:4])
		}
		page3, err := s.List(ctx, 1, false, page2[1].ID, 2)
		if err != nil || !slices.Equal(notificationIDs(page3), mine[4:]) {
			t.Fatalf("last page %v, %v; want %v", notificationIDs(page3), err, mine[4:])
		}
		unread, err := s.List(ctx, 1, true, 0, 10)
		if want := slices.Delete(slices.Clone(mine), 1, 2); err != nil || !slices.Equal(notificationIDs(unread), want) {
			t.Fatalf("unread only %v, %v; want %v", notificationIDs(unread), err, want)
		}
		if n, err := s.Unread(ctx, 1); err != nil || n != 4 {
			t.Fatalf("user 1 unread = %d, %v; want 4", n, err)
		}
		if n, err := s.Unread(ctx, 2); err != nil || n != 1 {
			t.Fatalf("user 2 unread = %d, %v; want 1", n, err)
		}
		if none, err := s.List(ctx, 3, false, 0, 10); err != nil || len(none) != 0 {
			t.Fatalf("a user without notices sees %v, %v", notificationIDs(none), err)
		}
	})
}

func TestInboxStoreMarksOnlyTheUsersOwn(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewInboxStore(db)
		ids := map[int64][]int64{}
		for i, user := range []int64{1, 1, 1, 2, 2} {
			n := notification(user, "k"+string(rune('a'+i)))
			if _, err := s.Add(ctx, n); err != nil {
				t.Fatal(err)
			}
			ids[user] = append(ids[user], n.ID)
		}
		at := t0.Add(time.Hour)

		// User 1 names one of their own and both of user 2's.
		named := []int64{ids[1][0], ids[2][0], ids[2][1]}
		if n, err := s.MarkRead(ctx, 1, named, at); err != nil || n != 1 {
			t.Fatalf("marked %d, %v; want only the caller's own one", n, err)
		}
		if n, err := s.Unread(ctx, 2); err != nil || n != 2 {
			t.Fatalf("user 2 unread = %d, %v; another user's IDs must be left alone", n, err)
		}
		if n, err := s.MarkRead(ctx, 1, []int64{ids[1][0]}, at.Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("marking a read notice again marked %d, %v; want 0", n, err)
		}
		got, err := s.List(ctx, 1, false, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		oldest := got[len(got)-1]
		if oldest.ID != ids[1][0] || oldest.ReadAt == nil || !oldest.ReadAt.Equal(at) {
			t.Fatalf("read notice %+v, want read at %v (the first mark, not moved by the second)", oldest, at)
		}

		if n, err := s.MarkRead(ctx, 1, nil, at); err != nil || n != 2 {
			t.Fatalf("mark all: %d, %v; want the 2 still unread", n, err)
		}
		if n, err := s.Unread(ctx, 1); err != nil || n != 0 {
			t.Fatalf("user 1 unread after mark all = %d, %v", n, err)
		}
		if n, err := s.Unread(ctx, 2); err != nil || n != 2 {
			t.Fatalf("user 2 unread after user 1 marked all = %d, %v; want 2", n, err)
		}
	})
}

// The case flow over the real stores: screening a citizen's request puts
// one notice in the citizen's inbox, in the transaction of the change.
func TestScreeningPutsANoticeInTheFilersInbox(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _ := newMediationService(t, db)
		box := &inbox.Service{Store: mysql.NewInboxStore(db), Clock: domain.ClockFunc(func() time.Time { return t0 })}
		svc.Notices = box
		req, _, err := svc.File(ctx, citizen, filing(), "")
		if err != nil {
			t.Fatal(err)
		}
		must(svc.Screen(ctx, officer, req.ID, m.Screening{Classification: m.ClassCivil}))

		items, unread, err := box.List(ctx, citizen, false, 0, 0)
		if err != nil || unread != 1 || len(items) != 1 {
			t.Fatalf("citizen's inbox: %d items, %d unread, %v; want the one assignment notice", len(items), unread, err)
		}
		if n := items[0]; n.Kind != m.NoticeCaseAssigned || n.ResourceID != req.ID || n.Title != "您的调解申请已分派律师" {
			t.Fatalf("notice %+v", n)
		}
		if items, _, _ := box.List(ctx, officer, false, 0, 0); len(items) != 0 {
			t.Fatalf("the officer who screened got %d notices, want none", len(items))
		}
		if n, err := box.MarkRead(ctx, citizen, nil); err != nil || n != 1 {
			t.Fatalf("mark read: %d, %v", n, err)
		}
	})
}
