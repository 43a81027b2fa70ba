package mysql

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// VisitStore keeps visit booking: rules, templates, blocked days, slots and
// their seat counts, holds, bookings, their history and suspensions. Every
// method joins the caller's transaction.
type VisitStore struct{ db *DB }

var _ detention.VisitStore = (*VisitStore)(nil)

// NewVisitStore returns the store over db.
func NewVisitStore(db *DB) *VisitStore { return &VisitStore{db: db} }

// forUpdate makes a read a locking read on MySQL/MariaDB: it sees the latest
// committed rows (not the transaction's snapshot) and locks them until the
// transaction ends. SQLite needs none: its transactions take the write lock
// at BEGIN (_txlock=immediate), so writers never interleave.
func (s *VisitStore) forUpdate(q *gorm.DB) *gorm.DB {
	if s.db.Dialect == DialectMySQL {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

type visitRulesRow struct {
	CentreID     int64 `gorm:"primaryKey;autoIncrement:false"`
	MinDaysAhead int
	MaxDaysAhead int
	HoldMinutes  int
	MaxVisitors  int
	CancelHours  int
	NoShowLimit  int
	SuspendDays  int
	UpdatedAt    time.Time
}

func (visitRulesRow) TableName() string { return "visit_rules" }

// VisitRules implements detention.VisitStore.
func (s *VisitStore) VisitRules(ctx context.Context, centreID int64) (detention.VisitRules, bool, error) {
	var row visitRulesRow
	err := s.db.Conn(ctx).Where("centre_id = ?", centreID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return detention.VisitRules{}, false, nil
	}
	if err != nil {
		return detention.VisitRules{}, false, Translate(err, fmt.Sprintf("read visit rules of centre %d", centreID))
	}
	return detention.VisitRules{MinDaysAhead: row.MinDaysAhead, MaxDaysAhead: row.MaxDaysAhead, HoldMinutes: row.HoldMinutes,
		MaxVisitors: row.MaxVisitors, CancelHours: row.CancelHours, NoShowLimit: row.NoShowLimit, SuspendDays: row.SuspendDays}, true, nil
}

// SaveVisitRules implements detention.VisitStore (insert or replace).
func (s *VisitStore) SaveVisitRules(ctx context.Context, centreID int64, r detention.VisitRules, at time.Time) error {
	row := visitRulesRow{CentreID: centreID, MinDaysAhead: r.MinDaysAhead, MaxDaysAhead: r.MaxDaysAhead, HoldMinutes: r.HoldMinutes,
		MaxVisitors: r.MaxVisitors, CancelHours: r.CancelHours, NoShowLimit: r.NoShowLimit, SuspendDays: r.SuspendDays, UpdatedAt: at.UTC()}
	err := s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "centre_id"}}, UpdateAll: true}).Create(&row).Error
	return Translate(err, fmt.Sprintf("save visit rules of centre %d", centreID))
}

type visitTemplateRow struct {
	ID        int64 `gorm:"primaryKey"`
	CentreID  int64
	Weekday   int
	StartTime string
	EndTime   string
	Mode      string
	Capacity  int
	ValidFrom string
	ValidTo   string
	CreatedBy int64
	CreatedAt time.Time
}

func (visitTemplateRow) TableName() string { return "visit_templates" }

// VisitTemplates implements detention.VisitStore.
func (s *VisitStore) VisitTemplates(ctx context.Context, centreID int64) ([]detention.VisitTemplate, error) {
	var rows []visitTemplateRow
	if err := s.db.Conn(ctx).Where("centre_id = ?", centreID).Order("weekday, start_time, id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read visit templates of centre %d", centreID))
	}
	out := make([]detention.VisitTemplate, len(rows))
	for i, r := range rows {
		out[i] = detention.VisitTemplate{ID: r.ID, CentreID: r.CentreID, Weekday: r.Weekday, Start: r.StartTime, End: r.EndTime,
			Mode: detention.VisitMode(r.Mode), Capacity: r.Capacity, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, CreatedBy: r.CreatedBy,
			CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// ReplaceVisitTemplates implements detention.VisitStore.
func (s *VisitStore) ReplaceVisitTemplates(ctx context.Context, centreID int64, ts []detention.VisitTemplate) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.Conn(ctx).Where("centre_id = ?", centreID).Delete(&visitTemplateRow{}).Error; err != nil {
			return Translate(err, fmt.Sprintf("clear visit templates of centre %d", centreID))
		}
		for i := range ts {
			t := &ts[i]
			row := visitTemplateRow{CentreID: centreID, Weekday: t.Weekday, StartTime: t.Start, EndTime: t.End, Mode: string(t.Mode),
				Capacity: t.Capacity, ValidFrom: t.ValidFrom, ValidTo: t.ValidTo, CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt.UTC()}
			if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
				return Translate(err, fmt.Sprintf("save visit template of centre %d", centreID))
			}
			t.ID, t.CentreID = row.ID, centreID
		}
		return nil
	})
}

// TemplateCentres implements detention.VisitStore.
func (s *VisitStore) TemplateCentres(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.db.Conn(ctx).Model(&visitTemplateRow{}).Distinct("centre_id").Order("centre_id").Pluck("centre_id", &ids).Error
	return ids, Translate(err, "list centres with visit templates")
}

type visitBlockedDateRow struct {
	ID        int64 `gorm:"primaryKey"`
	CentreID  int64
	Day       string
	Reason    string
	CreatedBy int64
	CreatedAt time.Time
}

func (visitBlockedDateRow) TableName() string { return "visit_blocked_dates" }

// BlockDate implements detention.VisitStore: the unique (centre, day)
// decides, and a duplicate ends only its statement.
func (s *VisitStore) BlockDate(ctx context.Context, b *detention.BlockedDate) (bool, error) {
	row := visitBlockedDateRow{CentreID: b.CentreID, Day: b.Day, Reason: b.Reason, CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt.UTC()}
	err := Translate(s.db.Conn(ctx).Create(&row).Error, fmt.Sprintf("block %s at centre %d", b.Day, b.CentreID))
	if domain.IsKind(err, domain.KindConflict) {
		return false, nil
	}
	return err == nil, err
}

// UnblockDate implements detention.VisitStore.
func (s *VisitStore) UnblockDate(ctx context.Context, centreID int64, day string) (bool, error) {
	res := s.db.Conn(ctx).Where("centre_id = ? AND day = ?", centreID, day).Delete(&visitBlockedDateRow{})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("unblock %s at centre %d", day, centreID))
	}
	return res.RowsAffected > 0, nil
}

// BlockedDates implements detention.VisitStore.
func (s *VisitStore) BlockedDates(ctx context.Context, centreID int64, fromDay, toDay string) ([]detention.BlockedDate, error) {
	q := s.db.Conn(ctx).Where("centre_id = ?", centreID)
	if fromDay != "" {
		q = q.Where("day >= ?", fromDay)
	}
	if toDay != "" {
		q = q.Where("day <= ?", toDay)
	}
	var rows []visitBlockedDateRow
	if err := q.Order("day").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read blocked days of centre %d", centreID))
	}
	out := make([]detention.BlockedDate, len(rows))
	for i, r := range rows {
		out[i] = detention.BlockedDate{CentreID: r.CentreID, Day: r.Day, Reason: r.Reason, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

type visitSlotRow struct {
	ID        int64 `gorm:"primaryKey"`
	CentreID  int64
	Mode      string
	StartsAt  time.Time
	EndsAt    time.Time
	Capacity  int
	Booked    int
	Closed    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (visitSlotRow) TableName() string { return "visit_slots" }

func (r *visitSlotRow) slot() *detention.VisitSlot {
	return &detention.VisitSlot{ID: r.ID, CentreID: r.CentreID, Mode: detention.VisitMode(r.Mode), StartsAt: r.StartsAt.UTC(),
		EndsAt: r.EndsAt.UTC(), Capacity: r.Capacity, Booked: r.Booked, Closed: r.Closed, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

func slotNotFound(err error, op string) error {
	err = Translate(err, op)
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Errorf(domain.KindNotFound, "visit_slot.not_found", "No such visiting time.")
	}
	return err
}

// Slot implements detention.VisitStore.
func (s *VisitStore) Slot(ctx context.Context, id int64) (*detention.VisitSlot, error) {
	var row visitSlotRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, slotNotFound(err, fmt.Sprintf("read visit slot %d", id))
	}
	return row.slot(), nil
}

// LockSlot implements detention.VisitStore: SELECT … FOR UPDATE inside the
// caller's transaction.
func (s *VisitStore) LockSlot(ctx context.Context, id int64) (*detention.VisitSlot, error) {
	if !InTx(ctx) {
		return nil, domain.Errorf(domain.KindInternal, "visit_slot.lock_outside_tx", "A slot is locked only inside a transaction.")
	}
	var row visitSlotRow
	if err := s.forUpdate(s.db.Conn(ctx)).Take(&row, id).Error; err != nil {
		return nil, slotNotFound(err, fmt.Sprintf("lock visit slot %d", id))
	}
	return row.slot(), nil
}

// Slots implements detention.VisitStore.
func (s *VisitStore) Slots(ctx context.Context, centreID int64, from, to, now time.Time, withClosed bool) ([]detention.VisitSlot, error) {
	q := s.db.Conn(ctx).Where("centre_id = ? AND starts_at >= ? AND starts_at < ?", centreID, from.UTC(), to.UTC())
	if !withClosed {
		q = q.Where("closed = ?", false)
	}
	var rows []visitSlotRow
	if err := q.Order("starts_at, mode").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("list visit slots of centre %d", centreID))
	}
	out := make([]detention.VisitSlot, len(rows))
	ids := make([]int64, len(rows))
	for i := range rows {
		out[i], ids[i] = *rows[i].slot(), rows[i].ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var counts []struct {
		SlotID int64
		N      int
	}
	err := s.db.Conn(ctx).Model(&visitHoldRow{}).Select("slot_id, COUNT(*) AS n").
		Where("slot_id IN ? AND state = ? AND expires_at <= ?", ids, string(detention.HoldActive), now.UTC()).
		Group("slot_id").Scan(&counts).Error
	if err != nil {
		return nil, Translate(err, fmt.Sprintf("count expired holds of centre %d", centreID))
	}
	expired := make(map[int64]int, len(counts))
	for _, c := range counts {
		expired[c.SlotID] = c.N
	}
	for i := range out {
		out[i].ExpiredHolds = expired[out[i].ID]
	}
	return out, nil
}

// InsertSlot implements detention.VisitStore.
func (s *VisitStore) InsertSlot(ctx context.Context, v *detention.VisitSlot) (bool, error) {
	row := visitSlotRow{CentreID: v.CentreID, Mode: string(v.Mode), StartsAt: v.StartsAt.UTC(), EndsAt: v.EndsAt.UTC(), Capacity: v.Capacity,
		Booked: v.Booked, Closed: v.Closed, CreatedAt: v.CreatedAt.UTC(), UpdatedAt: v.UpdatedAt.UTC()}
	err := Translate(s.db.Conn(ctx).Create(&row).Error, fmt.Sprintf("create visit slot of centre %d", v.CentreID))
	if domain.IsKind(err, domain.KindConflict) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	v.ID = row.ID
	return true, nil
}

// ReshapeSlot implements detention.VisitStore: the capacity never drops
// below the seats already taken.
func (s *VisitStore) ReshapeSlot(ctx context.Context, id int64, endsAt time.Time, capacity int, closed bool, at time.Time) error {
	err := s.db.Conn(ctx).Model(&visitSlotRow{}).Where("id = ?", id).Updates(map[string]any{
		"ends_at":    endsAt.UTC(),
		"capacity":   gorm.Expr("CASE WHEN booked > ? THEN booked ELSE ? END", capacity, capacity),
		"closed":     closed,
		"updated_at": at.UTC(),
	}).Error
	return Translate(err, fmt.Sprintf("reshape visit slot %d", id))
}

// TakeSeat implements detention.VisitStore: one conditional UPDATE, so the
// count can never pass the capacity whatever else runs.
func (s *VisitStore) TakeSeat(ctx context.Context, slotID int64, at time.Time) (bool, error) {
	res := s.db.Conn(ctx).Model(&visitSlotRow{}).Where("id = ? AND booked < capacity AND closed = ?", slotID, false).
		Updates(map[string]any{"booked": gorm.Expr("booked + 1"), "updated_at": at.UTC()})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("take a seat of visit slot %d", slotID))
	}
	return res.RowsAffected == 1, nil
}

// FreeSeat implements detention.VisitStore.
func (s *VisitStore) FreeSeat(ctx context.Context, slotID int64, at time.Time) error {
	err := s.db.Conn(ctx).Model(&visitSlotRow{}).Where("id = ? AND booked > 0", slotID).
		Updates(map[string]any{"booked": gorm.Expr("booked - 1"), "updated_at": at.UTC()}).Error
	return Translate(err, fmt.Sprintf("free a seat of visit slot %d", slotID))
}

type visitHoldRow struct {
	ID         int64 `gorm:"primaryKey"`
	SlotID     int64
	UserID     int64
	DetaineeID int64
	State      string
	ExpiresAt  time.Time
	BookingID  int64
	CreatedAt  time.Time
}

func (visitHoldRow) TableName() string { return "visit_holds" }

func (r *visitHoldRow) hold() detention.VisitHold {
	return detention.VisitHold{ID: r.ID, SlotID: r.SlotID, UserID: r.UserID, DetaineeID: r.DetaineeID, State: detention.HoldState(r.State),
		ExpiresAt: r.ExpiresAt.UTC(), BookingID: r.BookingID, CreatedAt: r.CreatedAt.UTC()}
}

// CreateHold implements detention.VisitStore.
func (s *VisitStore) CreateHold(ctx context.Context, h *detention.VisitHold) error {
	row := visitHoldRow{SlotID: h.SlotID, UserID: h.UserID, DetaineeID: h.DetaineeID, State: string(h.State), ExpiresAt: h.ExpiresAt.UTC(),
		BookingID: h.BookingID, CreatedAt: h.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("hold a seat of visit slot %d", h.SlotID))
	}
	h.ID = row.ID
	return nil
}

// Hold implements detention.VisitStore.
func (s *VisitStore) Hold(ctx context.Context, id int64) (*detention.VisitHold, error) {
	var row visitHoldRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("read visit hold %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "visit_hold.not_found", "No such hold.")
		}
		return nil, err
	}
	h := row.hold()
	return &h, nil
}

// ActiveHoldsOf implements detention.VisitStore.
func (s *VisitStore) ActiveHoldsOf(ctx context.Context, userID int64) ([]detention.VisitHold, error) {
	var rows []visitHoldRow
	if err := s.db.Conn(ctx).Where("user_id = ? AND state = ?", userID, string(detention.HoldActive)).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read the visit holds of user %d", userID))
	}
	out := make([]detention.VisitHold, len(rows))
	for i := range rows {
		out[i] = rows[i].hold()
	}
	return out, nil
}

// EndHold implements detention.VisitStore: conditional on the hold being
// active, so two transactions never end it twice.
func (s *VisitStore) EndHold(ctx context.Context, id int64, state detention.HoldState) (bool, error) {
	res := s.db.Conn(ctx).Model(&visitHoldRow{}).Where("id = ? AND state = ?", id, string(detention.HoldActive)).Update("state", string(state))
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("end visit hold %d", id))
	}
	return res.RowsAffected == 1, nil
}

// LinkHold implements detention.VisitStore.
func (s *VisitStore) LinkHold(ctx context.Context, id, bookingID int64) error {
	err := s.db.Conn(ctx).Model(&visitHoldRow{}).Where("id = ?", id).Update("booking_id", bookingID).Error
	return Translate(err, fmt.Sprintf("link visit hold %d", id))
}

// ExpiredHolds implements detention.VisitStore.
func (s *VisitStore) ExpiredHolds(ctx context.Context, slotID int64, now time.Time, limit int) ([]detention.VisitHold, error) {
	q := s.db.Conn(ctx).Where("state = ? AND expires_at <= ?", string(detention.HoldActive), now.UTC())
	if slotID != 0 {
		q = q.Where("slot_id = ?", slotID)
	}
	var rows []visitHoldRow
	if err := q.Order("expires_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "read expired visit holds")
	}
	out := make([]detention.VisitHold, len(rows))
	for i := range rows {
		out[i] = rows[i].hold()
	}
	return out, nil
}
