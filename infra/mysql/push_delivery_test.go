package mysql_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/push"
)

func pushMessage(id string) push.Message {
	return push.Message{ID: id, UserID: 7, Kind: "work_order", Title: "新工单", Body: "请处理调解申请",
		Data: map[string]string{"order_id": id}, CreatedAt: time.Date(2026, 11, 23, 9, 30, 0, 123456789, time.UTC)}
}

func TestPushDeliveryStoreClaimsLeasesAndMarks(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewPushDeliveryStore(db)
		for _, id := range []string{"a", "b", "c"} {
			if err := s.Enqueue(ctx, "hook", pushMessage(id)); err != nil {
				t.Fatalf("enqueue %s: %v", id, err)
			}
		}
		rollback := errors.New("the change failed")
		err := db.WithTx(ctx, func(ctx context.Context) error {
			if err := s.Enqueue(ctx, "hook", pushMessage("rolled-back")); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("WithTx = %v, want the function's error", err)
		}

		now := time.Now().UTC().Add(time.Second)
		first, err := s.Due(ctx, now, 2, time.Minute)
		if err != nil || len(first) != 2 || first[0].Message.ID != "a" || first[1].Message.ID != "b" {
			t.Fatalf("first claim = %+v, %v; want a and b", first, err)
		}
		if m := first[0].Message; m.Title != "新工单" || m.Data["order_id"] != "a" || !m.CreatedAt.Equal(pushMessage("a").CreatedAt) || m.UserID != 7 {
			t.Fatalf("message did not survive the round trip: %+v", m)
		}
		second, err := s.Due(ctx, now, 10, time.Minute)
		if err != nil || len(second) != 1 || second[0].Message.ID != "c" {
			t.Fatalf("second claim = %+v, %v; want only c (a and b are leased, the rolled-back row never existed)", second, err)
		}
		if again, err := s.Due(ctx, now, 10, time.Minute); err != nil || len(again) != 0 {
			t.Fatalf("third claim = %+v, %v; want nothing while leased", again, err)
		}

		a, b, c := first[0].ID, first[1].ID, second[0].ID
		if err := s.MarkRetry(ctx, a, 1, now.Add(5*time.Minute), "status 500"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkSent(ctx, b, now); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("错", 600) // VARCHAR(500) counts characters; this is 1,800 bytes
		if err := s.MarkDead(ctx, c, 2, long); err != nil {
			t.Fatalf("mark dead with a 600-character error: %v", err)
		}
		// Late reports about a sent row must not undo it.
		if err := s.MarkRetry(ctx, b, 3, now, "late"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkDead(ctx, b, 3, "late"); err != nil {
			t.Fatal(err)
		}

		if due, err := s.Due(ctx, now.Add(2*time.Minute), 10, time.Minute); err != nil || len(due) != 0 {
			t.Fatalf("claim before a's retry time = %+v, %v; want nothing", due, err)
		}
		due, err := s.Due(ctx, now.Add(6*time.Minute), 10, time.Minute)
		if err != nil || len(due) != 1 || due[0].ID != a || due[0].Attempts != 1 {
			t.Fatalf("claim after a's retry time = %+v, %v; want a with 1 attempt", due, err)
		}

		sent, err := s.PushDeliveries(ctx, "sent", 10)
		if err != nil || len(sent) != 1 || sent[0].ID != b || sent[0].SentAt == nil || sent[0].LastError != "" {
			t.Fatalf("sent rows = %+v, %v; want b with its sent time", sent, err)
		}
		dead, err := s.PushDeliveries(ctx, "dead", 10)
		if err != nil || len(dead) != 1 || dead[0].ID != c || dead[0].Attempts != 2 || len([]rune(dead[0].LastError)) != 500 {
			t.Fatalf("dead rows = %+v, %v; want c after 2 attempts with its error clipped to 500 characters", dead, err)
		}
	})
}

func TestPushDispatchersRunningTogetherSendEachDeliveryOnce(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) { dispatchTogether(t, db) })
}

// dispatchTogether runs two dispatchers, each in two goroutines, over 200
// deliveries and checks every one went out exactly once.
func dispatchTogether(t *testing.T, db *mysql.DB) {
	const total = 200
	ctx := context.Background()
	s := mysql.NewPushDeliveryStore(db)
	for i := range total {
		if err := s.Enqueue(ctx, "hook", pushMessage("m-"+strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu   sync.Mutex
		seen = map[string]int{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		seen[r.Header.Get(push.HeaderDelivery)]++
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	newDispatcher := func() *push.Dispatcher {
		return &push.Dispatcher{
			Store:     s,
			Providers: map[string]push.Provider{"hook": &push.WebhookProvider{URL: srv.URL, Secret: []byte("k"), Client: srv.Client()}},
			Log:       log,
			Batch:     10,
		}
	}
	var (
		wg      sync.WaitGroup
		errsMu  sync.Mutex
		lostRun []error
	)
	for _, d := range []*push.Dispatcher{newDispatcher(), newDispatcher()} {
		for range 2 { // each dispatcher in two goroutines too: four claimers in all
			wg.Add(1)
			go func() {
				defer wg.Done()
				for round := 0; round < 1000; round++ {
					n, err := d.RunOnce(ctx)
					if err != nil {
						// A claim that lost a lock race is retried; it must not lose rows.
						errsMu.Lock()
						lostRun = append(lostRun, err)
						errsMu.Unlock()
						continue
					}
					if n == 0 {
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	if len(lostRun) > 0 {
		t.Logf("%d claims lost a race and were retried (first: %v)", len(lostRun), lostRun[0])
	}
	mu.Lock()
	defer mu.Unlock()
	for id, n := range seen {
		if n != 1 {
			t.Errorf("delivery %s was sent %d times", id, n)
		}
	}
	if len(seen) != total {
		t.Errorf("%d of %d deliveries were sent", len(seen), total)
	}
	if pending, err := s.PushDeliveries(ctx, "pending", total); err != nil || len(pending) != 0 {
		t.Errorf("%d deliveries still pending (%v)", len(pending), err)
	}
	if sent, err := s.PushDeliveries(ctx, "sent", total+1); err != nil || len(sent) != total {
		t.Errorf("%d deliveries marked sent (%v), want %d", len(sent), err, total)
	}
}
