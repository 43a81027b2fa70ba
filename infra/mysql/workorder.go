package mysql

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/warning"
)

// OrderStore writes work orders and their outbox rows in the caller's
// transaction. The relay that moves outbox rows to the staff apps' streams
// is the dispatch area's (issue 5).
type OrderStore struct{ db *DB }

var (
	_ mediation.WorkOrders = (*OrderStore)(nil)
	_ warning.Sheets       = (*OrderStore)(nil)
)

// NewOrderStore returns the store over db.
func NewOrderStore(db *DB) *OrderStore { return &OrderStore{db: db} }

type workOrderRow struct {
	ID           int64 `gorm:"primaryKey"`
	Kind         string
	UnitID       int64
	PersonID     int64
	Priority     int
	State        string
	Title        string
	ResourceType string
	ResourceID   int64
	DedupeKey    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (workOrderRow) TableName() string { return "work_orders" }

type outboxRow struct {
	ID        int64 `gorm:"primaryKey"`
	Topic     string
	Payload   string
	CreatedAt time.Time
	SentAt    *time.Time
	Attempts  int
}

func (outboxRow) TableName() string { return "outbox" }

// CreateOrder implements mediation.WorkOrders: the order and its outbox row,
// once per dedupe key (a repeated cause is not an error and adds nothing).
func (s *OrderStore) CreateOrder(ctx context.Context, o mediation.OrderRequest) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		now := time.Now().UTC()
		row := workOrderRow{Kind: o.Kind, UnitID: o.UnitID, PersonID: o.PersonID, Priority: o.Priority, State: "queued", Title: o.Title,
			ResourceType: o.ResourceType, ResourceID: o.ResourceID, DedupeKey: o.DedupeKey, CreatedAt: now, UpdatedAt: now}
		// The unique dedupe key decides: a repeated cause inserts nothing (a
		// duplicate-key error ends only its statement, not the transaction).
		if err := Translate(s.db.Conn(ctx).Create(&row).Error, "create work order"); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return nil
			}
			return err
		}
		payload, _ := json.Marshal(map[string]any{"order_id": row.ID, "kind": row.Kind, "unit_id": row.UnitID, "person_id": row.PersonID})
		out := outboxRow{Topic: "wo:unit:" + strconv.FormatInt(o.UnitID, 10), Payload: string(payload), CreatedAt: now}
		return Translate(s.db.Conn(ctx).Create(&out).Error, "write outbox")
	})
}

// SendInstructionSheet implements warning.Sheets: a warning instruction
// sheet (预警指令单) is a work order to the unit.
func (s *OrderStore) SendInstructionSheet(ctx context.Context, sh warning.InstructionSheet) error {
	priority := 2
	if sh.Severity == warning.SeverityRed {
		priority = 1
	}
	return s.CreateOrder(ctx, mediation.OrderRequest{Kind: "warning_instruction", UnitID: sh.UnitID, Priority: priority, Title: sh.Title,
		ResourceType: "warning", ResourceID: sh.WarningID, DedupeKey: sh.DedupeKey})
}

// WorkOrder is a stored order, for tests and the backlog.
type WorkOrder struct {
	ID, UnitID, PersonID, ResourceID int64
	Kind, State, ResourceType, Title string
}

// OrdersFor lists the orders about one resource.
func (s *OrderStore) OrdersFor(ctx context.Context, resourceType string, resourceID int64) ([]WorkOrder, error) {
	var rows []workOrderRow
	if err := s.db.Conn(ctx).Where("resource_type = ? AND resource_id = ?", resourceType, resourceID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list work orders")
	}
	out := make([]WorkOrder, len(rows))
	for i, r := range rows {
		out[i] = WorkOrder{ID: r.ID, UnitID: r.UnitID, PersonID: r.PersonID, ResourceID: r.ResourceID, Kind: r.Kind, State: r.State,
			ResourceType: r.ResourceType, Title: r.Title}
	}
	return out, nil
}
