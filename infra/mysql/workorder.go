package mysql

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// OrderStore keeps work orders, their history and the units' dispatch
// settings, and writes outbox rows, always in the caller's transaction.
type OrderStore struct {
	db       *DB
	wake     func()                                  // tells the relay that outbox rows committed; may be nil
	settings cache[map[int64]workorder.UnitSettings] // every unit's, read on each new order
}

var (
	_ workorder.Store    = (*OrderStore)(nil)
	_ workorder.Outbox   = (*OrderStore)(nil)
	_ workorder.Settings = (*OrderStore)(nil)
)

// NewOrderStore returns the store over db; wake (optional) is called after
// each commit that wrote outbox rows.
func NewOrderStore(db *DB, wake func()) *OrderStore { return &OrderStore{db: db, wake: wake} }

type workOrderRow struct {
	ID            int64 `gorm:"primaryKey"`
	Kind          string
	UnitID        int64
	PersonID      int64
	AssigneeID    int64
	Priority      int
	State         string
	Title         string
	ResourceType  string
	ResourceID    int64
	DedupeKey     string
	EscalatedFrom int64
	Outcome       string
	DueAt         *time.Time
	WarnAt        *time.Time
	WarnedAt      *time.Time
	PausedAt      *time.Time
	DeliveredAt   *time.Time
	ClaimedAt     *time.Time
	ClosedAt      *time.Time
	PublishedAt   *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int
}

func (workOrderRow) TableName() string { return "work_orders" }

func orderRow(o *workorder.Order) workOrderRow {
	return workOrderRow{ID: o.ID, Kind: o.Kind, UnitID: o.UnitID, PersonID: o.PersonID, AssigneeID: o.AssigneeID, Priority: o.Priority,
		State: string(o.State), Title: o.Title, ResourceType: o.ResourceType, ResourceID: o.ResourceID, DedupeKey: o.DedupeKey,
		EscalatedFrom: o.EscalatedFrom, Outcome: o.Outcome, DueAt: utcPtr(o.DueAt), WarnAt: utcPtr(o.WarnAt), WarnedAt: utcPtr(o.WarnedAt),
		PausedAt: utcPtr(o.PausedAt), DeliveredAt: utcPtr(o.DeliveredAt), ClaimedAt: utcPtr(o.ClaimedAt), ClosedAt: utcPtr(o.ClosedAt),
		PublishedAt: utcPtr(o.PublishedAt), CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC(), Version: o.Version}
}

func (r *workOrderRow) order() *workorder.Order {
	return &workorder.Order{ID: r.ID, Kind: r.Kind, UnitID: r.UnitID, PersonID: r.PersonID, AssigneeID: r.AssigneeID, Priority: r.Priority,
		State: workorder.State(r.State), Title: r.Title, ResourceType: r.ResourceType, ResourceID: r.ResourceID, DedupeKey: r.DedupeKey,
		EscalatedFrom: r.EscalatedFrom, Outcome: r.Outcome, DueAt: utcPtr(r.DueAt), WarnAt: utcPtr(r.WarnAt), WarnedAt: utcPtr(r.WarnedAt),
		PausedAt: utcPtr(r.PausedAt), DeliveredAt: utcPtr(r.DeliveredAt), ClaimedAt: utcPtr(r.ClaimedAt), ClosedAt: utcPtr(r.ClosedAt),
		PublishedAt: utcPtr(r.PublishedAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// Insert implements workorder.Store. The unique dedupe key decides: a
// repeated cause inserts nothing (a duplicate-key error ends only its
// statement, not the transaction).
func (s *OrderStore) Insert(ctx context.Context, o *workorder.Order) (bool, error) {
	row := orderRow(o)
	err := Translate(s.db.Conn(ctx).Create(&row).Error, "create work order")
	if domain.IsKind(err, domain.KindConflict) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	o.ID = row.ID
	return true, nil
}

// InsertFresh implements workorder.Store: one multi-row INSERT.
func (s *OrderStore) InsertFresh(ctx context.Context, orders []*workorder.Order) error {
	if len(orders) == 0 {
		return nil
	}
	rows := make([]workOrderRow, len(orders))
	for i, o := range orders {
		rows[i] = orderRow(o)
	}
	if err := Translate(s.db.Conn(ctx).Create(&rows).Error, "create work orders"); err != nil {
		return err
	}
	for i, o := range orders {
		o.ID = rows[i].ID
	}
	return nil
}

// Order implements workorder.Store.
func (s *OrderStore) Order(ctx context.Context, id int64) (*workorder.Order, error) {
	var row workOrderRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, "read work order")
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "work_order.not_found", "No such work order.")
		}
		return nil, err
	}
	return row.order(), nil
}

// Orders implements workorder.Store.
func (s *OrderStore) Orders(ctx context.Context, ids []int64) (map[int64]*workorder.Order, error) {
	out := map[int64]*workorder.Order{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []workOrderRow
	if err := s.db.Conn(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, Translate(err, "read work orders")
	}
	for i := range rows {
		out[rows[i].ID] = rows[i].order()
	}
	return out, nil
}

// Update implements workorder.Store: a versioned write.
func (s *OrderStore) Update(ctx context.Context, o *workorder.Order) (bool, error) {
	row := orderRow(o)
	row.Version = o.Version + 1
	res := s.db.Conn(ctx).Model(&workOrderRow{}).Where("id = ? AND version = ?", o.ID, o.Version).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, "update work order")
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	o.Version++
	return true, nil
}

// MarkDelivered implements workorder.Store.
func (s *OrderStore) MarkDelivered(ctx context.Context, id int64, at time.Time) (bool, error) {
	res := s.db.Conn(ctx).Model(&workOrderRow{}).Where("id = ? AND state = ?", id, string(workorder.Queued)).
		Updates(map[string]any{"state": string(workorder.Delivered), "delivered_at": at.UTC(), "updated_at": at.UTC(), "version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return false, Translate(res.Error, "mark work order delivered")
	}
	return res.RowsAffected == 1, nil
}

type workOrderEventRow struct {
	ID      int64 `gorm:"primaryKey"`
	OrderID int64
	At      time.Time
	ActorID int64
	Action  string
	Detail  string
}

func (workOrderEventRow) TableName() string { return "work_order_events" }

// AddEvent implements workorder.Store.
func (s *OrderStore) AddEvent(ctx context.Context, events ...workorder.Event) error {
	if len(events) == 0 {
		return nil
	}
	rows := make([]workOrderEventRow, len(events))
	for i, e := range events {
		rows[i] = workOrderEventRow{OrderID: e.OrderID, At: e.At.UTC(), ActorID: e.ActorID, Action: e.Action, Detail: e.Detail}
	}
	return Translate(s.db.Conn(ctx).Create(&rows).Error, "add work order events")
}

// Events implements workorder.Store.
func (s *OrderStore) Events(ctx context.Context, orderID int64) ([]workorder.Event, error) {
	var rows []workOrderEventRow
	if err := s.db.Conn(ctx).Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "read work order events")
	}
	out := make([]workorder.Event, len(rows))
	for i, r := range rows {
		out[i] = workorder.Event{OrderID: r.OrderID, At: r.At.UTC(), ActorID: r.ActorID, Action: r.Action, Detail: r.Detail}
	}
	return out, nil
}

// List implements workorder.Store.
func (s *OrderStore) List(ctx context.Context, f workorder.Filter) ([]workorder.Order, error) {
	q := s.db.Conn(ctx).Model(&workOrderRow{})
	switch {
	case len(f.Units) > 0 && f.Person != 0:
		q = q.Where("(unit_id IN ? OR person_id = ? OR assignee_id = ?)", f.Units, f.Person, f.Person)
	case len(f.Units) > 0:
		q = q.Where("unit_id IN ?", f.Units)
	case f.Person != 0:
		q = q.Where("(person_id = ? OR assignee_id = ?)", f.Person, f.Person)
	default:
		return nil, nil
	}
	if len(f.States) > 0 {
		q = q.Where("state IN ?", f.States)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	return s.find(q.Order("id DESC").Limit(f.Limit), "list work orders")
}

func (s *OrderStore) find(q *gorm.DB, op string) ([]workorder.Order, error) {
	var rows []workOrderRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, Translate(err, op)
	}
	out := make([]workorder.Order, len(rows))
	for i := range rows {
		out[i] = *rows[i].order()
	}
	return out, nil
}

var openStates = []string{string(workorder.Queued), string(workorder.Delivered), string(workorder.Claimed)}

// Overdue implements workorder.Store.
func (s *OrderStore) Overdue(ctx context.Context, now time.Time, limit int) ([]workorder.Order, error) {
	return s.find(s.db.Conn(ctx).Where("state IN ? AND due_at <= ? AND paused_at IS NULL", openStates, now.UTC()).
		Order("due_at").Limit(limit), "find overdue work orders")
}

// WarnDue implements workorder.Store.
func (s *OrderStore) WarnDue(ctx context.Context, now time.Time, limit int) ([]workorder.Order, error) {
	return s.find(s.db.Conn(ctx).Where("state IN ? AND warn_at <= ? AND warned_at IS NULL AND paused_at IS NULL", openStates, now.UTC()).
		Order("warn_at").Limit(limit), "find work orders near their deadline")
}

// Unacknowledged implements workorder.Store.
func (s *OrderStore) Unacknowledged(ctx context.Context, before time.Time, limit int) ([]workorder.Order, error) {
	return s.find(s.db.Conn(ctx).Where("state = ? AND published_at <= ?", string(workorder.Queued), before.UTC()).
		Order("published_at").Limit(limit), "find unacknowledged work orders")
}

// OpenOf implements workorder.Store. On MySQL/MariaDB it is a locking
// read; SQLite's transactions hold the write lock from BEGIN.
func (s *OrderStore) OpenOf(ctx context.Context, resourceType string, resourceID int64, kinds []string) ([]workorder.Order, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	q := s.db.Conn(ctx).Where("resource_type = ? AND resource_id = ? AND kind IN ? AND state IN ?", resourceType, resourceID, kinds, openStates).
		Order("id")
	if s.db.Dialect == DialectMySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return s.find(q, "find open work orders of a subject")
}

// OpenLoad implements workorder.Store.
func (s *OrderStore) OpenLoad(ctx context.Context, userIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		Who int64
		N   int
	}
	err := s.db.Conn(ctx).Raw(`SELECT CASE WHEN assignee_id <> 0 THEN assignee_id ELSE person_id END AS who, COUNT(*) AS n
		FROM work_orders WHERE state IN ? AND (assignee_id IN ? OR (assignee_id = 0 AND person_id IN ?)) GROUP BY who`,
		openStates, userIDs, userIDs).Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "count open work orders")
	}
	for _, r := range rows {
		out[r.Who] = r.N
	}
	return out, nil
}

type outboxRow struct {
	ID        int64 `gorm:"primaryKey"`
	Topic     string
	Payload   string
	CreatedAt time.Time
	SentAt    *time.Time
	Attempts  int
}

func (outboxRow) TableName() string { return "outbox" }

// Publish implements workorder.Outbox: an outbox row in the caller's
// transaction, and a wake-up for the relay once it commits.
func (s *OrderStore) Publish(ctx context.Context, messages ...workorder.Message) error {
	if len(messages) == 0 {
		return nil
	}
	now := time.Now().UTC()
	rows := make([]outboxRow, len(messages))
	for i, m := range messages {
		payload, err := json.Marshal(m)
		if err != nil {
			return err
		}
		rows[i] = outboxRow{Topic: m.Stream, Payload: string(payload), CreatedAt: now}
	}
	if err := Translate(s.db.Conn(ctx).Create(&rows).Error, "write outbox"); err != nil {
		return err
	}
	if s.wake != nil {
		s.db.AfterCommit(ctx, s.wake)
	}
	return nil
}

type unitDispatchRow struct {
	UnitID     int64 `gorm:"primaryKey;autoIncrement:false"`
	Assignment string
	Hours      string
	Weekends   bool
	Turn       int64
	UpdatedAt  time.Time
}

func (unitDispatchRow) TableName() string { return "unit_dispatch" }

// UnitSettings implements workorder.Settings.
// The settings of all units (a row per unit that changed its defaults) are
// kept in memory like other reference data: an edit shows here at once and
// on other instances within cacheTTL.
func (s *OrderStore) UnitSettings(ctx context.Context, unitID int64) (workorder.UnitSettings, bool, error) {
	all, err := s.settings.get(func() (map[int64]workorder.UnitSettings, error) {
		var rows []unitDispatchRow
		if err := s.db.Conn(ctx).Find(&rows).Error; err != nil {
			return nil, Translate(err, "read unit dispatch settings")
		}
		all := make(map[int64]workorder.UnitSettings, len(rows))
		for _, r := range rows {
			all[r.UnitID] = workorder.UnitSettings{UnitID: r.UnitID, Assignment: r.Assignment, Hours: r.Hours, Weekends: r.Weekends}
		}
		return all, nil
	})
	if err != nil {
		return workorder.UnitSettings{}, false, err
	}
	st, found := all[unitID]
	if !found {
		st.UnitID = unitID
	}
	return st, found, nil
}

// SaveUnitSettings implements workorder.Settings (the turn is kept).
func (s *OrderStore) SaveUnitSettings(ctx context.Context, st workorder.UnitSettings) error {
	row := unitDispatchRow{UnitID: st.UnitID, Assignment: st.Assignment, Hours: st.Hours, Weekends: st.Weekends, UpdatedAt: time.Now().UTC()}
	s.settings.reset()                      // this transaction reads its own write
	s.db.AfterCommit(ctx, s.settings.reset) // and nobody keeps what was read before it committed
	return Translate(s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "unit_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"assignment", "hours", "weekends", "updated_at"})}).Create(&row).Error, "save unit dispatch settings")
}

// NextTurn implements workorder.Settings: the increment takes the row lock,
// so concurrent orders of one unit get consecutive turns.
func (s *OrderStore) NextTurn(ctx context.Context, unitID int64) (int64, error) {
	var turn int64
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		res := s.db.Conn(ctx).Model(&unitDispatchRow{}).Where("unit_id = ?", unitID).Update("turn", gorm.Expr("turn + 1"))
		if res.Error != nil {
			return Translate(res.Error, "advance round-robin turn")
		}
		if res.RowsAffected == 0 {
			return nil // no settings row: never round-robin
		}
		return Translate(s.db.Conn(ctx).Model(&unitDispatchRow{}).Where("unit_id = ?", unitID).Pluck("turn", &turn).Error, "read round-robin turn")
	})
	return turn - 1, err
}

// QueueDepths counts the orders each unit has queued and not yet
// acknowledged, and the orders ever escalated (for the metrics).
func (s *OrderStore) QueueDepths(ctx context.Context) (queued map[int64]int, escalated int64, err error) {
	var rows []struct {
		UnitID int64
		N      int
	}
	if err := s.db.Conn(ctx).Raw("SELECT unit_id, COUNT(*) AS n FROM work_orders WHERE state = ? GROUP BY unit_id", string(workorder.Queued)).
		Scan(&rows).Error; err != nil {
		return nil, 0, Translate(err, "count queued work orders")
	}
	queued = map[int64]int{}
	for _, r := range rows {
		queued[r.UnitID] = r.N
	}
	err = s.db.Conn(ctx).Model(&workOrderRow{}).Where("state = ?", string(workorder.Escalated)).Count(&escalated).Error
	return queued, escalated, Translate(err, "count escalated work orders")
}

// OrdersAbout lists the orders about one resource, oldest first.
func (s *OrderStore) OrdersAbout(ctx context.Context, resourceType string, resourceID int64) ([]workorder.Order, error) {
	return s.find(s.db.Conn(ctx).Where("resource_type = ? AND resource_id = ?", resourceType, resourceID).Order("id"), "list work orders about a resource")
}
