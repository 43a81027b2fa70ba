package main

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/redis"
	"github.com/tiaojie/tiaojie/push"
)

// dispatch is the work-order machinery: the service, the outbox relay into
// the streams, the staff stream hub and the push dispatcher.
type dispatch struct {
	orders  *workorder.Service
	store   *mysql.OrderStore
	relay   *mysql.Relay
	streams *redis.Streams
	hub     *push.Hub
	pushes  *push.Dispatcher // nil without a webhook gateway
}

func (a *application) buildDispatch(dir *account.Directory, audit domain.Auditor, streamClient *goredis.Client, notify workorder.Notifier) *dispatch {
	cfg, log := a.cfg.Dispatch, a.log.With("component", "dispatch")
	d := &dispatch{streams: redis.NewStreams(streamClient, a.cfg.RedisPrefix, 0)}
	d.relay = mysql.NewRelay(a.db, d.publish, log)
	d.store = mysql.NewOrderStore(a.db, d.relay.Wake)
	d.orders = &workorder.Service{Tx: a.db, Store: d.store, Outbox: d.store, Units: dir, Settings: d.store, Notify: notify, Audit: audit,
		Clock: systemClock, SLA: cfg.SLA, Loc: a.cfg.HTTP.Location, Hours: cfg.WorkHours, Holidays: cfg.Holidays, MakeUp: cfg.MakeUpDays,
		Reconcile: cfg.ReconcileAfter, Streams: d.streams, AckTimeout: cfg.AckTimeout}
	d.hub = &push.Hub{Queue: d.streams, Orders: hubOrders{d.orders, dir}, Log: log, Visibility: cfg.AckTimeout,
		Auth: func(ctx context.Context, token string) (domain.Actor, error) {
			actor, _, err := dir.Authenticate(ctx, token)
			return actor, err
		}}
	return d
}

// publish is the relay's way out: outbox rows to their streams.
func (d *dispatch) publish(ctx context.Context, batch []mysql.OutboxEntry) error {
	entries := make([]redis.StreamEntry, len(batch))
	for i, e := range batch {
		entries[i] = redis.StreamEntry{Stream: e.Topic, OutboxID: e.ID, Payload: e.Payload}
	}
	return d.streams.AddBatch(ctx, entries)
}

// hubOrders is what the staff hub asks: the dispatch service for orders,
// the directory for a member's streams.
type hubOrders struct {
	*workorder.Service
	dir *account.Directory
}

func (h hubOrders) StreamsOf(ctx context.Context, a domain.Actor) ([]string, error) {
	return h.dir.StreamsOf(ctx, a)
}

// mediationOrders and warningSheets turn the other areas' order requests
// into work orders.
type mediationOrders struct{ s *workorder.Service }

func (m mediationOrders) CreateOrder(ctx context.Context, o mediation.OrderRequest) error {
	return m.s.Create(ctx, newOrder(o))
}

func (m mediationOrders) CreateFreshOrders(ctx context.Context, os []mediation.OrderRequest) error {
	ns := make([]workorder.NewOrder, len(os))
	for i, o := range os {
		ns[i] = newOrder(o)
	}
	return m.s.CreateFresh(ctx, ns)
}

// SettleOrders ends the request's orders its cause lists (workorder.Lifecycle).
func (m mediationOrders) SettleOrders(ctx context.Context, a domain.Actor, cause string, requestID int64, keep ...int64) error {
	_, err := m.s.Settle(ctx, a, cause, requestID, keep...)
	return err
}

func newOrder(o mediation.OrderRequest) workorder.NewOrder {
	return workorder.NewOrder{Kind: o.Kind, UnitID: o.UnitID, PersonID: o.PersonID, Priority: o.Priority, Title: o.Title,
		ResourceType: o.ResourceType, ResourceID: o.ResourceID, DedupeKey: o.DedupeKey}
}

type warningSheets struct{ s *workorder.Service }

func (w warningSheets) SendInstructionSheet(ctx context.Context, sh warning.InstructionSheet) error {
	priority := 2
	if sh.Severity == warning.SeverityRed {
		priority = 1
	}
	return w.s.Create(ctx, workorder.NewOrder{Kind: workorder.KindWarning, UnitID: sh.UnitID, Priority: priority, Title: sh.Title,
		ResourceType: "warning", ResourceID: sh.WarningID, DedupeKey: sh.DedupeKey})
}

// SettleSheets ends a warning's sheets its cause lists (workorder.Lifecycle).
func (w warningSheets) SettleSheets(ctx context.Context, a domain.Actor, cause string, warningID int64) error {
	_, err := w.s.Settle(ctx, a, cause, warningID)
	return err
}

// orderNotices puts dispatch's notices (SLA warnings, escalations) in the
// inbox, about the work order.
type orderNotices struct{ box *inbox.Service }

func (n orderNotices) Notify(ctx context.Context, userID int64, kind, title, body string, orderID int64, dedupeKey string) error {
	return n.box.Send(ctx, inbox.Notification{UserID: userID, Kind: kind, Title: title, Body: body, ResourceType: "work_order",
		ResourceID: orderID, DedupeKey: dedupeKey})
}

// webhookPusher sends inbox notices on to the external gateway: a delivery
// row in the notice's transaction, posted by the push dispatcher.
type webhookPusher struct{ store *mysql.PushDeliveryStore }

func (w webhookPusher) Push(ctx context.Context, n inbox.Notification) error {
	return w.store.Enqueue(ctx, "webhook", push.Message{ID: "notice-" + strconv.FormatInt(n.ID, 10), UserID: n.UserID, Kind: n.Kind,
		Title: n.Title, Body: n.Body, Data: map[string]string{"resource_type": n.ResourceType, "resource_id": strconv.FormatInt(n.ResourceID, 10)},
		CreatedAt: n.CreatedAt})
}

// runDispatch runs the relay, the SLA clocks and the push dispatcher until
// ctx ends.
func runDispatch(ctx context.Context, d *dispatch, cfg DispatchConfig, log *slog.Logger, observe func(string, int)) {
	go d.relay.Run(ctx, 250*time.Millisecond)
	if d.pushes != nil {
		go d.pushes.Run(ctx, time.Second)
	}
	t := time.NewTicker(cfg.Tick)
	defer t.Stop()
	for {
		n, err := d.orders.Tick(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("work-order clocks failed; will retry", "err", err)
		}
		if n > 0 && observe != nil {
			observe("timer", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkQueueRedis warns loudly when the queue Redis may evict keys.
func checkQueueRedis(ctx context.Context, c *goredis.Client, log *slog.Logger) {
	policy, err := redis.CheckNoEviction(ctx, c)
	switch {
	case err != nil:
		log.Warn("could not read the queue Redis's maxmemory-policy; it must be noeviction or queued work orders may be dropped (the reconciler re-sends them, late)", "err", err)
	case policy != "noeviction":
		log.Warn("QUEUE REDIS MAY EVICT: maxmemory-policy is "+strconv.Quote(policy)+"; set it to noeviction, or queued work orders may be dropped under memory pressure (the reconciler re-sends them, late)", "policy", policy)
	}
}
