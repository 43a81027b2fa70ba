package mysql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

type visitBookingRow struct {
	ID           int64 `gorm:"primaryKey"`
	CentreID     int64
	DetaineeID   int64
	SlotID       int64
	BookerID     int64
	Relationship string
	Visitors     string // JSON; ID numbers masked
	Mode         string
	StartsAt     time.Time
	EndsAt       time.Time
	Status       string
	Reason       string
	RoomID       string
	DecidedBy    int64
	DecidedAt    *time.Time
	CancelledBy  int64
	CancelledAt  *time.Time
	MarkedBy     int64
	MarkedAt     *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

func (visitBookingRow) TableName() string { return "visit_bookings" }

func bookingRow(b *detention.VisitBooking) (visitBookingRow, error) {
	visitors, err := json.Marshal(b.Visitors)
	if err != nil {
		return visitBookingRow{}, fmt.Errorf("mysql: encode visitors: %w", err)
	}
	return visitBookingRow{ID: b.ID, CentreID: b.CentreID, DetaineeID: b.DetaineeID, SlotID: b.SlotID, BookerID: b.BookerID,
		Relationship: b.Relationship, Visitors: string(visitors), Mode: string(b.Mode), StartsAt: b.StartsAt.UTC(), EndsAt: b.EndsAt.UTC(),
		Status: string(b.Status), Reason: b.Reason, RoomID: b.RoomID, DecidedBy: b.DecidedBy, DecidedAt: utcPtr(b.DecidedAt),
		CancelledBy: b.CancelledBy, CancelledAt: utcPtr(b.CancelledAt), MarkedBy: b.MarkedBy, MarkedAt: utcPtr(b.MarkedAt),
		CreatedAt: b.CreatedAt.UTC(), UpdatedAt: b.UpdatedAt.UTC(), Version: b.Version}, nil
}

func (r *visitBookingRow) booking() (*detention.VisitBooking, error) {
	var visitors []detention.Visitor
	if err := json.Unmarshal([]byte(r.Visitors), &visitors); err != nil {
		return nil, fmt.Errorf("mysql: decode visitors of booking %d: %w", r.ID, err)
	}
	return &detention.VisitBooking{ID: r.ID, CentreID: r.CentreID, DetaineeID: r.DetaineeID, SlotID: r.SlotID, BookerID: r.BookerID,
		Relationship: r.Relationship, Visitors: visitors, Mode: detention.VisitMode(r.Mode), StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(),
		Status: detention.BookingStatus(r.Status), Reason: r.Reason, RoomID: r.RoomID, DecidedBy: r.DecidedBy, DecidedAt: utcPtr(r.DecidedAt),
		CancelledBy: r.CancelledBy, CancelledAt: utcPtr(r.CancelledAt), MarkedBy: r.MarkedBy, MarkedAt: utcPtr(r.MarkedAt),
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}, nil
}

// CreateBooking implements detention.VisitStore.
func (s *VisitStore) CreateBooking(ctx context.Context, b *detention.VisitBooking) error {
	row, err := bookingRow(b)
	if err != nil {
		return err
	}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("create visit booking of slot %d", b.SlotID))
	}
	b.ID = row.ID
	return nil
}

// Booking implements detention.VisitStore.
func (s *VisitStore) Booking(ctx context.Context, id int64) (*detention.VisitBooking, error) {
	var row visitBookingRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("read visit booking %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "visit_booking.not_found", "No such visit booking.")
		}
		return nil, err
	}
	return row.booking()
}

// UpdateBooking implements detention.VisitStore: a versioned write.
func (s *VisitStore) UpdateBooking(ctx context.Context, b *detention.VisitBooking) (bool, error) {
	row, err := bookingRow(b)
	if err != nil {
		return false, err
	}
	row.Version = b.Version + 1
	res := s.db.Conn(ctx).Model(&visitBookingRow{}).Where("id = ? AND version = ?", b.ID, b.Version).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update visit booking %d", b.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	b.Version++
	return true, nil
}

// Bookings implements detention.VisitStore.
func (s *VisitStore) Bookings(ctx context.Context, f detention.BookingFilter) ([]detention.VisitBooking, error) {
	q := s.db.Conn(ctx).Model(&visitBookingRow{})
	if !f.All && f.BookerID == 0 && len(f.Centres) == 0 && f.DetaineeID == 0 {
		return nil, nil
	}
	if f.BookerID != 0 {
		q = q.Where("booker_id = ?", f.BookerID)
	}
	if len(f.Centres) > 0 {
		q = q.Where("centre_id IN ?", f.Centres)
	}
	if f.DetaineeID != 0 {
		q = q.Where("detainee_id = ?", f.DetaineeID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	if !f.StartsFrom.IsZero() {
		q = q.Where("starts_at >= ?", f.StartsFrom.UTC())
	}
	if !f.StartsTo.IsZero() {
		q = q.Where("starts_at < ?", f.StartsTo.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	var rows []visitBookingRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list visit bookings")
	}
	out := make([]detention.VisitBooking, len(rows))
	for i := range rows {
		b, err := rows[i].booking()
		if err != nil {
			return nil, err
		}
		out[i] = *b
	}
	return out, nil
}

// HasActiveBooking implements detention.VisitStore with a locking read, so
// that it sees bookings committed after the transaction's snapshot.
func (s *VisitStore) HasActiveBooking(ctx context.Context, slotID, detaineeID int64) (bool, error) {
	var ids []int64
	q := s.db.Conn(ctx).Model(&visitBookingRow{}).Where("slot_id = ? AND detainee_id = ? AND status IN ?", slotID, detaineeID,
		[]string{string(detention.BookingPending), string(detention.BookingApproved)})
	if err := s.forUpdate(q).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, Translate(err, fmt.Sprintf("check bookings of slot %d", slotID))
	}
	return len(ids) > 0, nil
}

type visitEventRow struct {
	ID         int64 `gorm:"primaryKey"`
	BookingID  int64
	At         time.Time
	ActorID    int64
	Action     string
	FromStatus string
	ToStatus   string
	Detail     string
}

func (visitEventRow) TableName() string { return "visit_booking_events" }

// AddVisitEvent implements detention.VisitStore.
func (s *VisitStore) AddVisitEvent(ctx context.Context, e *detention.VisitEvent) error {
	row := visitEventRow{BookingID: e.BookingID, At: e.At.UTC(), ActorID: e.ActorID, Action: e.Action, FromStatus: string(e.From),
		ToStatus: string(e.To), Detail: e.Detail}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add event of visit booking %d", e.BookingID))
	}
	e.ID = row.ID
	return nil
}

// VisitEvents implements detention.VisitStore.
func (s *VisitStore) VisitEvents(ctx context.Context, bookingID int64) ([]detention.VisitEvent, error) {
	var rows []visitEventRow
	if err := s.db.Conn(ctx).Where("booking_id = ?", bookingID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read events of visit booking %d", bookingID))
	}
	out := make([]detention.VisitEvent, len(rows))
	for i, r := range rows {
		out[i] = detention.VisitEvent{ID: r.ID, BookingID: r.BookingID, At: r.At.UTC(), ActorID: r.ActorID, Action: r.Action,
			From: detention.BookingStatus(r.FromStatus), To: detention.BookingStatus(r.ToStatus), Detail: r.Detail}
	}
	return out, nil
}

// NoShowsSince implements detention.VisitStore.
func (s *VisitStore) NoShowsSince(ctx context.Context, centreID, userID int64, since time.Time) (int, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&visitBookingRow{}).
		Where("centre_id = ? AND booker_id = ? AND status = ? AND marked_at > ?", centreID, userID, string(detention.BookingNoShow), since.UTC()).
		Count(&n).Error
	return int(n), Translate(err, fmt.Sprintf("count no-shows of user %d", userID))
}

type visitSuspensionRow struct {
	ID       int64 `gorm:"primaryKey"`
	CentreID int64
	UserID   int64
	FromAt   time.Time
	UntilAt  time.Time
	Reason   string
}

func (visitSuspensionRow) TableName() string { return "visit_suspensions" }

// LatestSuspension implements detention.VisitStore.
func (s *VisitStore) LatestSuspension(ctx context.Context, centreID, userID int64) (*detention.VisitSuspension, bool, error) {
	var row visitSuspensionRow
	err := s.db.Conn(ctx).Where("centre_id = ? AND user_id = ?", centreID, userID).Order("id DESC").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, Translate(err, fmt.Sprintf("read the visit suspension of user %d", userID))
	}
	return &detention.VisitSuspension{ID: row.ID, CentreID: row.CentreID, UserID: row.UserID, From: row.FromAt.UTC(), Until: row.UntilAt.UTC(),
		Reason: row.Reason}, true, nil
}

// AddSuspension implements detention.VisitStore.
func (s *VisitStore) AddSuspension(ctx context.Context, sp *detention.VisitSuspension) error {
	row := visitSuspensionRow{CentreID: sp.CentreID, UserID: sp.UserID, FromAt: sp.From.UTC(), UntilAt: sp.Until.UTC(), Reason: sp.Reason}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("suspend visits of user %d", sp.UserID))
	}
	sp.ID = row.ID
	return nil
}
