package push

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Delivery is one message owed to one provider, as stored.
type Delivery struct {
	ID       int64
	Provider string
	Message  Message
	Attempts int // attempts made so far
}

// DeliveryStore keeps the deliveries. Due claims up to limit pending rows
// whose next attempt is at or before now, and moves their next attempt to
// now+lease in the same transaction, so that a second dispatcher does not
// take them while this one is sending. MarkRetry and MarkDead leave a row
// that is no longer pending (already sent) untouched.
type DeliveryStore interface {
	Due(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]Delivery, error)
	MarkSent(ctx context.Context, id int64, at time.Time) error
	MarkRetry(ctx context.Context, id int64, attempts int, next time.Time, lastErr string) error
	MarkDead(ctx context.Context, id int64, attempts int, lastErr string) error
}

// Defaults of a Dispatcher's zero fields.
const (
	DefaultMaxAttempts = 8
	DefaultBatch       = 50
	DefaultLease       = 2 * time.Minute
	DefaultSendTimeout = 15 * time.Second
	maxBackoff         = 10 * time.Minute
	markTimeout        = 5 * time.Second
)

// Dispatcher sends due deliveries through their providers, retries failures
// with backoff and dead-letters what cannot be sent: a row left in state
// dead, with its last error, for an operator to look at.
//
// Delivery is at least once: a crash between a provider's accepting a
// message and MarkSent sends it again after the lease. Receivers drop
// repeats by Message.ID (the webhook's X-Tiaojie-Delivery).
type Dispatcher struct {
	Store       DeliveryStore
	Providers   map[string]Provider
	MaxAttempts int                             // DefaultMaxAttempts when 0
	Backoff     func(attempt int) time.Duration // DefaultBackoff when nil
	Now         func() time.Time
	Log         *slog.Logger
	Metrics     *Metrics // nil counts nothing

	Batch int // rows claimed per RunOnce; DefaultBatch when 0
	// Lease is how long a claim keeps other dispatchers off the claimed
	// rows; DefaultLease when 0, and at least twice a send's time. RunOnce
	// starts a send only if it can end (SendTimeout) before the lease does,
	// so two dispatchers never send one row at the same time.
	Lease       time.Duration
	SendTimeout time.Duration // DefaultSendTimeout when 0
}

// RunOnce claims one batch of due deliveries and tries each once. It returns
// how many it tried, and the first store error, which stops the batch (the
// rest are claimed again when their lease runs out).
func (d *Dispatcher) RunOnce(ctx context.Context) (handled int, err error) {
	lease, sendTimeout := d.lease()
	claimed := d.now()
	batch, err := d.Store.Due(ctx, claimed, d.batch(), lease)
	if err != nil {
		return 0, fmt.Errorf("push: claim due deliveries: %w", err)
	}
	lastStart := claimed.Add(lease - sendTimeout - markTimeout)
	for _, dl := range batch {
		if ctx.Err() != nil || d.now().After(lastStart) {
			break // the rest wait for their lease to run out and are claimed again
		}
		if err := d.deliver(ctx, dl, sendTimeout); err != nil {
			return handled, err
		}
		handled++
	}
	return handled, ctx.Err()
}

// Run calls RunOnce every interval until ctx ends, at once again while
// batches come back full, and logs store errors without stopping.
func (d *Dispatcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			d.log().Error("push dispatch failed", "err", err)
		}
		wait := interval
		if err == nil && n >= d.batch() {
			wait = 0
		}
		t.Reset(wait)
	}
}

func (d *Dispatcher) deliver(ctx context.Context, dl Delivery, sendTimeout time.Duration) error {
	p, ok := d.Providers[dl.Provider]
	if !ok {
		d.count(dl.Provider, "dead")
		d.log().Error("push delivery dead: no such provider", "delivery", dl.ID, "provider", dl.Provider)
		return d.Store.MarkDead(ctx, dl.ID, dl.Attempts, "no provider named "+dl.Provider)
	}
	sctx, cancelSend := context.WithTimeout(ctx, sendTimeout)
	err := p.Send(sctx, dl.Message)
	cancelSend()
	// Marks outlive a shutdown that arrives mid-send: a message a provider
	// accepted must be recorded as sent, or it goes out again.
	mctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), markTimeout)
	defer cancel()
	if err == nil {
		d.count(dl.Provider, "sent")
		return d.Store.MarkSent(mctx, dl.ID, d.now())
	}
	if ctx.Err() != nil {
		// Stopped, not failed: the attempt does not count, and the row is
		// claimed again when its lease runs out.
		return ctx.Err()
	}
	attempts := dl.Attempts + 1
	if IsPermanent(err) || attempts >= d.maxAttempts() {
		d.count(dl.Provider, "dead")
		d.log().Warn("push delivery dead", "delivery", dl.ID, "message", dl.Message.ID, "provider", dl.Provider,
			"attempts", attempts, "permanent", IsPermanent(err), "err", err)
		return d.Store.MarkDead(mctx, dl.ID, attempts, truncate(err.Error()))
	}
	d.count(dl.Provider, "retry")
	next := d.now().Add(d.backoff(attempts))
	d.log().Info("push delivery will retry", "delivery", dl.ID, "provider", dl.Provider, "attempts", attempts, "next", next, "err", err)
	return d.Store.MarkRetry(mctx, dl.ID, attempts, next, truncate(err.Error()))
}

// DefaultBackoff waits 2 s after the first failed attempt and doubles each
// time up to 10 minutes, with equal jitter (a random point in the upper
// half) so that deliveries failed together do not come back together. It
// never shrinks from one attempt to the next.
func DefaultBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := maxBackoff
	if attempt <= 20 { // 2 s << 19 is already past the cap; no overflow
		d = min(2*time.Second<<(attempt-1), maxBackoff)
	}
	half := d / 2
	return half + rand.N(half+1)
}

// lastErrorLen matches push_deliveries.last_error VARCHAR(500).
const lastErrorLen = 500

func truncate(s string) string {
	r := []rune(s)
	if len(r) <= lastErrorLen {
		return s
	}
	return string(r[:lastErrorLen-1]) + "…"
}

func (d *Dispatcher) lease() (lease, sendTimeout time.Duration) {
	lease, sendTimeout = d.Lease, d.SendTimeout
	if lease <= 0 {
		lease = DefaultLease
	}
	if sendTimeout <= 0 {
		sendTimeout = DefaultSendTimeout
	}
	// A lease shorter than one send would let RunOnce start nothing.
	return max(lease, 2*(sendTimeout+markTimeout)), sendTimeout
}

func (d *Dispatcher) batch() int {
	if d.Batch > 0 {
		return d.Batch
	}
	return DefaultBatch
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (d *Dispatcher) backoff(attempt int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now().UTC()
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

func (d *Dispatcher) count(provider, result string) {
	if d.Metrics != nil {
		d.Metrics.deliveries.WithLabelValues(provider, result).Inc()
	}
}

// Metrics counts deliveries as tiaojie_push_deliveries_total{provider,result},
// result being sent, retry or dead.
type Metrics struct{ deliveries *prometheus.CounterVec }

// NewMetrics registers the push counters on reg (the application's registry,
// which /metrics serves).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	return &Metrics{deliveries: promauto.With(reg).NewCounterVec(prometheus.CounterOpts{
		Name: "tiaojie_push_deliveries_total",
		Help: "Push deliveries tried, by provider and result (sent, retry, dead).",
	}, []string{"provider", "result"})}
}
