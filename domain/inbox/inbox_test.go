package inbox_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// *inbox.Service is wired into the mediation area as it is.
var _ mediation.Notices = (*inbox.Service)(nil)

// memStore is an in-memory inbox.Store with the same dedupe and ownership
// rules as the SQL one.
type memStore struct {
	mu   sync.Mutex
	rows []inbox.Notification // in ID order
}

func (m *memStore) Add(_ context.Context, n *inbox.Notification) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.rows {
		if n.DedupeKey != "" && r.DedupeKey == n.DedupeKey {
			return false, nil
		}
	}
	n.ID = int64(len(m.rows) + 1)
	m.rows = append(m.rows, *n)
	return true, nil
}

func (m *memStore) List(_ context.Context, userID int64, unreadOnly bool, beforeID int64, limit int) ([]inbox.Notification, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []inbox.Notification
	for i := len(m.rows) - 1; i >= 0 && len(out) < limit; i-- {
		r := m.rows[i]
		if r.UserID == userID && (!unreadOnly || r.ReadAt == nil) && (beforeID == 0 || r.ID < beforeID) {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *memStore) MarkRead(_ context.Context, userID int64, ids []int64, at time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for i := range m.rows {
		r := &m.rows[i]
		if r.UserID == userID && r.ReadAt == nil && (len(ids) == 0 || slices.Contains(ids, r.ID)) {
			r.ReadAt = &at
			n++
		}
	}
	return n, nil
}

func (m *memStore) Unread(_ context.Context, userID int64) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, r := range m.rows {
		if r.UserID == userID && r.ReadAt == nil {
			n++
		}
	}
	return n, nil
}

type pushRecorder struct {
	sent []inbox.Notification
	err  error
}

func (p *pushRecorder) Push(_ context.Context, n inbox.Notification) error {
	if p.err != nil {
		return p.err
	}
	p.sent = append(p.sent, n)
	return nil
}

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func newService(push inbox.Pusher) (*inbox.Service, *memStore) {
	store := &memStore{}
	return &inbox.Service{Store: store, Push: push, Clock: domain.ClockFunc(func() time.Time { return t0 })}, store
}

func assigned(userID int64) inbox.Notification {
	return inbox.Notification{UserID: userID, Kind: "case_assigned", Title: "您的调解申请已分派律师", Body: "承办律师将尽快与您联系。",
		ResourceType: "request", ResourceID: 7, DedupeKey: "req:7:assigned"}
}

func fieldsOf(err error) []string {
	var out []string
	if e, ok := domain.AsError(err); ok {
		for _, f := range e.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}

func TestSend(t *testing.T) {
	pushFailed := errors.New("outbox down")
	tests := []struct {
		name       string
		pushErr    error
		noPusher   bool
		sends      []inbox.Notification
		wantErr    error
		wantFields []string
		wantStored int
		wantPushed int
	}{
		{name: "a notice is stored and pushed once", sends: []inbox.Notification{assigned(1)}, wantStored: 1, wantPushed: 1},
		{name: "a repeated dedupe key adds nothing and pushes nothing", sends: []inbox.Notification{assigned(1), assigned(1)},
			wantStored: 1, wantPushed: 1},
		{name: "notices without a dedupe key are all kept", sends: func() []inbox.Notification {
			a, b := assigned(1), assigned(1)
			a.DedupeKey, b.DedupeKey = "", ""
			return []inbox.Notification{a, b}
		}(), wantStored: 2, wantPushed: 2},
		{name: "without a pusher the notice is only stored", noPusher: true, sends: []inbox.Notification{assigned(1)}, wantStored: 1},
		{name: "a notice for nobody is refused", sends: []inbox.Notification{assigned(0)}, wantFields: []string{"user_id"}},
		{name: "a blank title is refused", sends: func() []inbox.Notification {
			n := assigned(1)
			n.Title = "   "
			return []inbox.Notification{n}
		}(), wantFields: []string{"title"}},
		{name: "an overlong dedupe key is refused", sends: func() []inbox.Notification {
			n := assigned(1)
			n.DedupeKey = strings.Repeat("k", 201)
			return []inbox.Notification{n}
		}(), wantFields: []string{"dedupe_key"}},
		{name: "a failed push fails the send, so the caller's transaction rolls back", pushErr: pushFailed,
			sends: []inbox.Notification{assigned(1)}, wantErr: pushFailed, wantStored: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			push := &pushRecorder{err: tt.pushErr}
			svc, store := newService(push)
			if tt.noPusher {
				svc.Push = nil
			}
			var err error
			for _, n := range tt.sends {
				if err = svc.Send(context.Background(), n); err != nil {
					break
				}
			}
			switch {
			case tt.wantFields != nil:
				if got := fieldsOf(err); !slices.Equal(got, tt.wantFields) || !domain.IsKind(err, domain.KindInvalid) {
					t.Fatalf("err = %v (fields %v), want invalid %v", err, got, tt.wantFields)
				}
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("send: %v", err)
			}
			if len(store.rows) != tt.wantStored {
				t.Fatalf("stored %d notices, want %d", len(store.rows), tt.wantStored)
			}
			if len(push.sent) != tt.wantPushed {
				t.Fatalf("pushed %d notices, want %d", len(push.sent), tt.wantPushed)
			}
			for _, p := range push.sent {
				if p.ID == 0 || !p.CreatedAt.Equal(t0) || p.Title != "您的调解申请已分派律师" {
					t.Fatalf("pushed %+v; want the stored notice with its ID and the clock's time", p)
				}
			}
		})
	}
}

func TestSendShortensAnOverlongTitleAndBody(t *testing.T) {
	svc, store := newService(nil)
	n := assigned(1)
	n.Title, n.Body = strings.Repeat("题", 300), strings.Repeat("文", 2000)
	if err := svc.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	got := store.rows[0]
	if utf8.RuneCountInString(got.Title) != inbox.MaxTitleRunes || utf8.RuneCountInString(got.Body) != inbox.MaxBodyRunes ||
		!strings.HasSuffix(got.Body, "…") {
		t.Fatalf("title %d and body %d characters; want them cut to %d and %d with a mark",
			utf8.RuneCountInString(got.Title), utf8.RuneCountInString(got.Body), inbox.MaxTitleRunes, inbox.MaxBodyRunes)
	}
}

func TestNotifyLinksTheNoticeToTheRequest(t *testing.T) {
	svc, store := newService(nil)
	if err := svc.Notify(context.Background(), 5, "case_closed", "案件已办结", "请评价", 42, "req:42:closed"); err != nil {
		t.Fatal(err)
	}
	if got := store.rows[0]; got.UserID != 5 || got.ResourceType != "request" || got.ResourceID != 42 || got.DedupeKey != "req:42:closed" {
		t.Fatalf("stored %+v", got)
	}
}

func citizen(id int64) domain.Actor { return domain.Actor{UserID: id, Roles: []string{"citizen"}} }

// seed gives user 1 notices 1–5 and user 2 notice 6, with notice 2 read.
func seed(t *testing.T) *inbox.Service {
	t.Helper()
	svc, store := newService(nil)
	for i, user := range []int64{1, 1, 1, 1, 1, 2} {
		n := assigned(user)
		n.DedupeKey = "k" + string(rune('a'+i))
		if err := svc.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	read := t0
	store.rows[1].ReadAt = &read
	return svc
}

func idsOf(ns []inbox.Notification) []int64 {
	out := []int64{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func TestList(t *testing.T) {
	tests := []struct {
		name       string
		actor      domain.Actor
		unreadOnly bool
		before     int64
		limit      int
		wantIDs    []int64
		wantUnread int
		wantKind   domain.Kind
		wantFields []string
	}{
		{name: "a user sees their own notices newest first", actor: citizen(1), wantIDs: []int64{5, 4, 3, 2, 1}, wantUnread: 4},
		{name: "unread only leaves the read ones out", actor: citizen(1), unreadOnly: true, wantIDs: []int64{5, 4, 3, 1}, wantUnread: 4},
		{name: "a page starts below before", actor: citizen(1), before: 4, limit: 2, wantIDs: []int64{3, 2}, wantUnread: 4},
		{name: "another user sees only theirs", actor: citizen(2), wantIDs: []int64{6}, wantUnread: 1},
		{name: "a user without notices sees none", actor: citizen(3), wantIDs: []int64{}, wantUnread: 0},
		{name: "a limit over 100 is refused", actor: citizen(1), limit: 101, wantKind: domain.KindInvalid, wantFields: []string{"limit"}},
		{name: "a negative limit is refused", actor: citizen(1), limit: -1, wantKind: domain.KindInvalid, wantFields: []string{"limit"}},
		{name: "a negative before is refused", actor: citizen(1), before: -5, wantKind: domain.KindInvalid, wantFields: []string{"before"}},
		{name: "the system has no inbox", actor: domain.System, wantKind: domain.KindForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := seed(t)
			items, unread, err := svc.List(context.Background(), tt.actor, tt.unreadOnly, tt.before, tt.limit)
			if tt.wantKind != "" {
				if !domain.IsKind(err, tt.wantKind) || !slices.Equal(fieldsOf(err), tt.wantFields) {
					t.Fatalf("err = %v, want %s with fields %v", err, tt.wantKind, tt.wantFields)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := idsOf(items); !slices.Equal(got, tt.wantIDs) || unread != tt.wantUnread {
				t.Fatalf("got %v with %d unread, want %v with %d unread", got, unread, tt.wantIDs, tt.wantUnread)
			}
		})
	}
}

func TestListDefaultsToTwentyItems(t *testing.T) {
	svc, _ := newService(nil)
	for i := range 25 {
		n := assigned(1)
		n.DedupeKey = "k" + strings.Repeat("x", i)
		if err := svc.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
	}
	items, unread, err := svc.List(context.Background(), citizen(1), false, 0, 0)
	if err != nil || len(items) != inbox.DefaultPageSize || unread != 25 {
		t.Fatalf("got %d items, %d unread, %v; want 20 of 25 unread", len(items), unread, err)
	}
}

func TestMarkRead(t *testing.T) {
	tooMany := make([]int64, inbox.MaxMarkIDs+1)
	for i := range tooMany {
		tooMany[i] = int64(i + 1)
	}
	tests := []struct {
		name       string
		actor      domain.Actor
		ids        []int64
		wantMarked int
		wantUnread map[int64]int // user → unread afterwards
		wantKind   domain.Kind
	}{
		{name: "marking named notices marks only the unread ones", actor: citizen(1), ids: []int64{1, 2, 3},
			wantMarked: 2, wantUnread: map[int64]int{1: 2, 2: 1}},
		{name: "no IDs marks every unread notice of the user", actor: citizen(1),
			wantMarked: 4, wantUnread: map[int64]int{1: 0, 2: 1}},
		{name: "another user's IDs are passed over", actor: citizen(2), ids: []int64{1, 3, 5},
			wantMarked: 0, wantUnread: map[int64]int{1: 4, 2: 1}},
		{name: "a mix marks only the caller's own", actor: citizen(2), ids: []int64{5, 6},
			wantMarked: 1, wantUnread: map[int64]int{1: 4, 2: 0}},
		{name: "500 IDs are accepted", actor: citizen(1), ids: tooMany[:inbox.MaxMarkIDs],
			wantMarked: 4, wantUnread: map[int64]int{1: 0, 2: 1}},
		{name: "more than 500 IDs are refused", actor: citizen(1), ids: tooMany, wantKind: domain.KindInvalid},
		{name: "an ID that cannot exist is refused", actor: citizen(1), ids: []int64{1, 0}, wantKind: domain.KindInvalid},
		{name: "the system has no inbox", actor: domain.System, wantKind: domain.KindForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := seed(t)
			marked, err := svc.MarkRead(context.Background(), tt.actor, tt.ids)
			if tt.wantKind != "" {
				if !domain.IsKind(err, tt.wantKind) {
					t.Fatalf("err = %v, want %s", err, tt.wantKind)
				}
				return
			}
			if err != nil || marked != tt.wantMarked {
				t.Fatalf("marked %d, %v; want %d", marked, err, tt.wantMarked)
			}
			for user, want := range tt.wantUnread {
				if _, unread, _ := svc.List(context.Background(), citizen(user), false, 0, 0); unread != want {
					t.Errorf("user %d has %d unread, want %d", user, unread, want)
				}
			}
		})
	}
}
