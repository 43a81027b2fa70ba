package workorder

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Service runs dispatch: it creates orders (inside the causing change's
// transaction), acts on them for staff, and keeps their clocks.
type Service struct {
	Tx       domain.TxRunner
	Store    Store
	Outbox   Outbox
	Units    Units
	Settings Settings
	Notify   Notifier
	Audit    domain.Auditor
	Clock    domain.Clock
	// Followers are the areas whose subjects follow their orders: when
	// staff complete an order about a subject of the follower's resource
	// type, the follower is told in the same transaction (a joint meeting's
	// action item closes with its order).
	Followers map[string]Follower

	SLA       SLA
	Loc       *time.Location
	Hours     string   // default working hours, "08:30-17:30"
	Holidays  []string // 2006-01-02 dates off
	MakeUp    []string // weekend dates worked (调休)
	Reconcile time.Duration
	// Streams, when set, spares the reconciler re-sending an order whose
	// entry still waits on its stream, not pending longer than AckTimeout
	// (the staff hub's redelivery time): the hub would drop the repeat.
	Streams    StreamCheck
	AckTimeout time.Duration
}

// Follower is told when staff complete an order about one of its subjects.
type Follower interface {
	OrderCompleted(ctx context.Context, a domain.Actor, o *Order) error
}

// NewOrder asks for an order.
type NewOrder struct {
	Kind         string
	UnitID       int64
	PersonID     int64
	Priority     int
	Title        string
	ResourceType string
	ResourceID   int64
	DedupeKey    string
	// DueAt is a deadline the cause fixed itself (a meeting's action item,
	// a patrol's last day); nil: the kind's SLA.
	DueAt *time.Time
}

// Create writes an order and its outbox message in the transaction ctx
// carries (it opens one otherwise). A repeated dedupe key adds nothing.
// Units that assign automatically get the order addressed to a member.
func (s *Service) Create(ctx context.Context, n NewOrder) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		_, err := s.create(ctx, n, 0)
		return err
	})
}

func (s *Service) create(ctx context.Context, n NewOrder, escalatedFrom int64) (*Order, error) {
	o, err := s.prepare(ctx, n, escalatedFrom, nil)
	if err != nil {
		return nil, err
	}
	created, err := s.Store.Insert(ctx, o)
	if err != nil || !created {
		return nil, err
	}
	if err := s.Store.AddEvent(ctx, o.createdEvent()); err != nil {
		return nil, err
	}
	return o, s.Outbox.Publish(ctx, o.announcement())
}

// CreateFresh writes orders whose dedupe keys are new — the orders of a
// change that has just been given its ID, such as a filing — with one
// statement per table for all of them, in the transaction ctx carries (it
// opens one otherwise). A repeated key fails them all; causes that may
// repeat use Create.
func (s *Service) CreateFresh(ctx context.Context, ns []NewOrder) error {
	if len(ns) == 0 {
		return nil
	}
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		orders := make([]*Order, len(ns))
		picked := map[int64]int{} // members given an order in this batch, for least-loaded picks after them
		for i, n := range ns {
			o, err := s.prepare(ctx, n, 0, picked)
			if err != nil {
				return err
			}
			if o.PersonID != 0 {
				picked[o.PersonID]++
			}
			orders[i] = o
		}
		if err := s.Store.InsertFresh(ctx, orders); err != nil {
			return err
		}
		events, messages := make([]Event, len(orders)), make([]Message, len(orders))
		for i, o := range orders {
			events[i], messages[i] = o.createdEvent(), o.announcement()
		}
		if err := s.Store.AddEvent(ctx, events...); err != nil {
			return err
		}
		return s.Outbox.Publish(ctx, messages...)
	})
}

// prepare turns a request for an order into the order to insert: its SLA
// deadline in the unit's working time and, for units that assign
// automatically, the member it is addressed to. picked counts orders given
// to members earlier in the same batch, not yet visible to OpenLoad.
func (s *Service) prepare(ctx context.Context, n NewOrder, escalatedFrom int64, picked map[int64]int) (*Order, error) {
	if n.Kind == "" || n.UnitID <= 0 || n.DedupeKey == "" {
		return nil, domain.Errorf(domain.KindInternal, "work_order.incomplete", "A work order needs a kind, a unit and a dedupe key.")
	}
	if n.Priority < 1 || n.Priority > 3 {
		n.Priority = 2
	}
	now := s.Clock.Now()
	settings, err := s.settings(ctx, n.UnitID)
	if err != nil {
		return nil, err
	}
	o := &Order{Kind: n.Kind, UnitID: n.UnitID, PersonID: n.PersonID, Priority: n.Priority, State: Queued, Title: clip(n.Title, 200),
		ResourceType: n.ResourceType, ResourceID: n.ResourceID, DedupeKey: n.DedupeKey, EscalatedFrom: escalatedFrom,
		CreatedAt: now, UpdatedAt: now, PublishedAt: &now, Version: 1}
	s.setDeadline(o, settings, now)
	if n.DueAt != nil && n.DueAt.After(now) {
		due, warn := n.DueAt.UTC(), n.DueAt.UTC().Add(-24*time.Hour)
		if warn.Before(now) {
			warn = now
		}
		o.DueAt, o.WarnAt, o.WarnedAt = &due, &warn, nil
	}
	if o.PersonID == 0 && settings.Assignment != AssignFree {
		if o.PersonID, err = s.pick(ctx, settings, o.Kind, now, picked); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// createdEvent is the first line of an order's history.
func (o *Order) createdEvent() Event {
	detail := "unit " + itoa(o.UnitID)
	if o.PersonID != 0 {
		detail += ", addressed to " + itoa(o.PersonID)
	}
	return Event{OrderID: o.ID, At: o.CreatedAt, Action: "created", Detail: detail}
}

// setDeadline counts the kind's SLA in the unit's working time from now.
func (s *Service) setDeadline(o *Order, settings UnitSettings, now time.Time) {
	d := s.SLA.For(o.Kind, o.Priority)
	if d <= 0 {
		o.DueAt, o.WarnAt = nil, nil
		return
	}
	cal := s.calendar(settings)
	due, warn := cal.Add(now, d), cal.Add(now, time.Duration(float64(d)*warnShare))
	o.DueAt, o.WarnAt, o.WarnedAt = &due, &warn, nil
}

func (s *Service) settings(ctx context.Context, unitID int64) (UnitSettings, error) {
	st, found, err := s.Settings.UnitSettings(ctx, unitID)
	if err != nil {
		return st, err
	}
	if !found {
		st = UnitSettings{UnitID: unitID, Assignment: AssignFree, Hours: s.Hours}
	}
	if st.Hours == "" {
		st.Hours = s.Hours
	}
	return st, nil
}

// calendar is the unit's working time; bad stored hours fall back to round
// the clock rather than stopping every deadline.
func (s *Service) calendar(st UnitSettings) Calendar {
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	open, close, err := ParseHours(st.Hours)
	if err != nil || open == 0 && close == 24*time.Hour && st.Weekends {
		return AlwaysOpen(loc)
	}
	c := OfficeHours(loc, open, close, s.Holidays, s.MakeUp)
	if st.Weekends {
		c.Weekdays[time.Saturday], c.Weekdays[time.Sunday] = true, true
	}
	return c
}

// pick chooses the member a new order is addressed to, among the on-duty
// members whose app handles its kind (picked: see prepare).
func (s *Service) pick(ctx context.Context, st UnitSettings, kind string, now time.Time, picked map[int64]int) (int64, error) {
	members, err := s.Units.Members(ctx, st.UnitID, now)
	if err != nil {
		return 0, err
	}
	var onDuty []int64
	for _, m := range members {
		if m.OnDuty && ForApp(kind, m.App) {
			onDuty = append(onDuty, m.UserID)
		}
	}
	if len(onDuty) == 0 {
		return 0, nil // nobody on duty: the unit's queue holds it
	}
	sort.Slice(onDuty, func(i, j int) bool { return onDuty[i] < onDuty[j] })
	if st.Assignment == AssignRoundRobin {
		turn, err := s.Settings.NextTurn(ctx, st.UnitID)
		if err != nil {
			return 0, err
		}
		return onDuty[int(turn%int64(len(onDuty)))], nil
	}
	load, err := s.Store.OpenLoad(ctx, onDuty)
	if err != nil {
		return 0, err
	}
	if load == nil {
		load = map[int64]int{}
	}
	for id, n := range picked {
		load[id] += n
	}
	best := onDuty[0]
	for _, id := range onDuty[1:] {
		if load[id] < load[best] {
			best = id
		}
	}
	return best, nil
}

// Deliverable is what a staff app of kind app, reading stream, should be
// shown of the orders with ids: those still waiting for an acknowledgement
// and still on that stream (a reassigned order's old messages are stale),
// and for a unit stream only the kinds that app handles.
func (s *Service) Deliverable(ctx context.Context, app, stream string, ids []int64) (map[int64]*Order, error) {
	orders, err := s.Store.Orders(ctx, ids)
	if err != nil {
		return nil, err
	}
	kind, _, _ := ParseStream(stream)
	for id, o := range orders {
		if o.State != Queued || o.Stream() != stream || kind == "unit" && !ForApp(o.Kind, app) {
			delete(orders, id)
		}
	}
	return orders, nil
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	for utf8.RuneCountInString(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
