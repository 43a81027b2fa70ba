package push

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// memStore is an in-memory DeliveryStore that behaves as the SQL one does.
type memStore struct {
	mu     sync.Mutex
	rows   map[int64]*memRow
	nextID int64
}

type memRow struct {
	d       Delivery
	state   string
	next    time.Time
	lastErr string
}

func newMemStore() *memStore { return &memStore{rows: map[int64]*memRow{}} }

func (s *memStore) add(provider string, m Message, due time.Time) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	s.rows[s.nextID] = &memRow{d: Delivery{ID: s.nextID, Provider: provider, Message: m}, state: "pending", next: due}
	return s.nextID
}

func (s *memStore) row(id int64) memRow {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.rows[id]
}

func (s *memStore) Due(_ context.Context, now time.Time, limit int, lease time.Duration) ([]Delivery, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Delivery
	for _, r := range s.rows {
		if r.state == "pending" && !r.next.After(now) {
			out = append(out, r.d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if len(out) > limit {
		out = out[:limit]
	}
	for _, d := range out {
		s.rows[d.ID].next = now.Add(lease)
	}
	return out, nil
}

func (s *memStore) MarkSent(_ context.Context, id int64, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows[id].state = "sent"
	return nil
}

func (s *memStore) MarkRetry(_ context.Context, id int64, attempts int, next time.Time, lastErr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rows[id]; r.state == "pending" {
		r.d.Attempts, r.next, r.lastErr = attempts, next, lastErr
	}
	return nil
}

func (s *memStore) MarkDead(_ context.Context, id int64, attempts int, lastErr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.rows[id]; r.state == "pending" {
		r.d.Attempts, r.state, r.lastErr = attempts, "dead", lastErr
	}
	return nil
}

// fakeClock moves only when the test moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestDispatcherRetriesSendsAndDeadLetters(t *testing.T) {
	for _, tc := range []struct {
		name         string
		statuses     []int
		provider     string
		maxAttempts  int
		wantState    string
		wantAttempts int
		wantHits     int
		wantMetrics  map[string]float64
	}{
		{"a 200 is sent at the first attempt", []int{200}, "hook", 3, "sent", 0, 1,
			map[string]float64{"sent": 1}},
		{"a 500 then a 200 is retried, then sent", []int{500, 200}, "hook", 3, "sent", 1, 2,
			map[string]float64{"retry": 1, "sent": 1}},
		{"a 400 is dead at once", []int{400}, "hook", 3, "dead", 1, 1,
			map[string]float64{"dead": 1}},
		{"an endless 500 is dead after MaxAttempts", []int{500}, "hook", 3, "dead", 3, 3,
			map[string]float64{"retry": 2, "dead": 1}},
		{"a 429 counts as an attempt and then succeeds", []int{429, 503, 200}, "hook", 3, "sent", 2, 3,
			map[string]float64{"retry": 2, "sent": 1}},
		{"an unknown provider is dead without a request", []int{200}, "carrier-pigeon", 3, "dead", 0, 0,
			map[string]float64{"dead": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, got := gateway(t, tc.statuses...)
			clock := &fakeClock{now: testNow}
			store := newMemStore()
			reg := prometheus.NewRegistry()
			d := &Dispatcher{
				Store:       store,
				Providers:   map[string]Provider{"hook": &WebhookProvider{URL: srv.URL, Secret: []byte("k"), Client: srv.Client(), Now: clock.Now, ProviderName: "hook"}},
				MaxAttempts: tc.maxAttempts,
				Backoff:     func(int) time.Duration { return time.Minute },
				Now:         clock.Now,
				Log:         quietLog(),
				Metrics:     NewMetrics(reg),
			}
			id := store.add(tc.provider, testMessage("msg-1"), testNow)
			ctx := context.Background()
			for round := 0; round < 10 && store.row(id).state == "pending"; round++ {
				if _, err := d.RunOnce(ctx); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if n, _ := d.RunOnce(ctx); n != 0 {
					t.Fatalf("round %d: a row was tried again before its backoff ended", round)
				}
				clock.Add(time.Minute)
			}
			r := store.row(id)
			if r.state != tc.wantState || r.d.Attempts != tc.wantAttempts || got.count() != tc.wantHits {
				t.Fatalf("state %s, attempts %d, requests %d (last error %q); want %s, %d, %d",
					r.state, r.d.Attempts, got.count(), r.lastErr, tc.wantState, tc.wantAttempts, tc.wantHits)
			}
			if r.state == "dead" && r.lastErr == "" {
				t.Fatal("a dead delivery has no last error")
			}
			counts := deliveryCounts(t, reg, tc.provider)
			for _, result := range []string{"sent", "retry", "dead"} {
				if c := counts[result]; c != tc.wantMetrics[result] {
					t.Errorf("tiaojie_push_deliveries_total{provider=%q,result=%q} = %v, want %v", tc.provider, result, c, tc.wantMetrics[result])
				}
			}
		})
	}
}

// deliveryCounts reads tiaojie_push_deliveries_total for one provider, by result.
func deliveryCounts(t *testing.T, reg *prometheus.Registry, provider string) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "tiaojie_push_deliveries_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["provider"] == provider {
				out[labels["result"]] = m.GetCounter().GetValue()
			}
		}
	}
	return out
}

// failing is a provider that returns the same error every time.
type failing struct{ err error }

func (failing) Name() string                          { return "failing" }
func (f failing) Send(context.Context, Message) error { return f.err }

func TestDispatcherDeadLettersAPermanentErrorAtOnce(t *testing.T) {
	store := newMemStore()
	id := store.add("failing", testMessage("m"), testNow)
	d := &Dispatcher{Store: store, Providers: map[string]Provider{"failing": failing{Permanent(errors.New("unknown openid"))}},
		Now: func() time.Time { return testNow }, Log: quietLog()}
	if n, err := d.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if r := store.row(id); r.state != "dead" || r.d.Attempts != 1 {
		t.Fatalf("state %s after %d attempts, want dead after 1", r.state, r.d.Attempts)
	}
}

func TestDispatcherUsesTheBackoffForTheNextAttempt(t *testing.T) {
	store := newMemStore()
	id := store.add("failing", testMessage("m"), testNow)
	var asked []int
	d := &Dispatcher{Store: store, Providers: map[string]Provider{"failing": failing{errors.New("gateway down")}},
		Backoff: func(n int) time.Duration { asked = append(asked, n); return time.Duration(n) * time.Hour },
		Now:     func() time.Time { return testNow }, Log: quietLog()}
	if _, err := d.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := store.row(id); !r.next.Equal(testNow.Add(time.Hour)) || len(asked) != 1 || asked[0] != 1 {
		t.Fatalf("next attempt at %v (backoff asked for %v), want an hour after now for attempt 1", r.next, asked)
	}
}

func TestDefaultBackoffGrowsAndIsCapped(t *testing.T) {
	for i := 0; i < 200; i++ { // the jitter is random: try it many times
		prev := time.Duration(0)
		for attempt := 1; attempt <= 100; attempt++ {
			b := DefaultBackoff(attempt)
			base := min(2*time.Second<<min(attempt-1, 20), 10*time.Minute)
			if b < base/2 || b > base {
				t.Fatalf("attempt %d waits %v, want between %v and %v", attempt, b, base/2, base)
			}
			if b > 10*time.Minute {
				t.Fatalf("attempt %d waits %v, past the 10 minute cap", attempt, b)
			}
			if attempt <= 9 && b < prev { // below the cap each step at least doubles the floor
				t.Fatalf("attempt %d waits %v, less than attempt %d's %v", attempt, b, attempt-1, prev)
			}
			prev = b
		}
	}
	if DefaultBackoff(1) > 2*time.Second || DefaultBackoff(0) > 2*time.Second {
		t.Fatal("the first retry waits more than 2 s")
	}
}

func TestDispatcherRunStopsWhenTheContextEnds(t *testing.T) {
	srv, got := gateway(t, 200)
	store := newMemStore()
	for i := 0; i < 3; i++ {
		store.add("hook", testMessage("m"), testNow)
	}
	d := &Dispatcher{Store: store, Providers: map[string]Provider{"hook": &WebhookProvider{URL: srv.URL, Secret: []byte("k"), Client: srv.Client()}},
		Now: func() time.Time { return testNow }, Log: quietLog(), Batch: 2}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx, time.Hour); close(done) }()
	// A full batch is followed at once by the next, so all three go out
	// without waiting the hour.
	for deadline := time.Now().Add(10 * time.Second); got.count() < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("Run sent %d of 3 deliveries", got.count())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
