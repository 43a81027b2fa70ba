package mysql

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/duty"
)

// DutyStore keeps rosters and attendance.
type DutyStore struct{ db *DB }

var _ duty.Store = (*DutyStore)(nil)

// NewDutyStore returns the store over db.
func NewDutyStore(db *DB) *DutyStore { return &DutyStore{db: db} }

type rosterRow struct {
	StationID int64 `gorm:"primaryKey;autoIncrement:false"`
	FromMin   int
	ToMin     int
	Weekdays  string // "1111111", Sunday first
	UpdatedAt time.Time
}

func (rosterRow) TableName() string { return "duty_rosters" }

type attendanceRow struct {
	ID         int64 `gorm:"primaryKey"`
	LawyerID   int64
	StationID  int64
	Day        string
	CheckInAt  time.Time
	CheckOutAt *time.Time
	Late       bool
	EarlyLeave bool
}

func (attendanceRow) TableName() string { return "duty_attendance" }

// Roster implements duty.Store.
func (s *DutyStore) Roster(ctx context.Context, stationID int64) (duty.Roster, bool, error) {
	var rows []rosterRow
	if err := s.db.Conn(ctx).Where("station_id = ?", stationID).Limit(1).Find(&rows).Error; err != nil {
		return duty.Roster{}, false, Translate(err, "read duty roster")
	}
	if len(rows) == 0 {
		return duty.Roster{}, false, nil
	}
	r := duty.Roster{StationID: stationID, From: time.Duration(rows[0].FromMin) * time.Minute, To: time.Duration(rows[0].ToMin) * time.Minute}
	for i, c := range rows[0].Weekdays {
		if i < 7 {
			r.Weekdays[i] = c == '1'
		}
	}
	return r, true, nil
}

// SaveRoster implements duty.Store.
func (s *DutyStore) SaveRoster(ctx context.Context, r duty.Roster) error {
	var days strings.Builder
	for _, on := range r.Weekdays {
		days.WriteByte(map[bool]byte{true: '1', false: '0'}[on])
	}
	row := rosterRow{StationID: r.StationID, FromMin: int(r.From / time.Minute), ToMin: int(r.To / time.Minute), Weekdays: days.String(), UpdatedAt: time.Now().UTC()}
	return Translate(s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "station_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"from_min", "to_min", "weekdays", "updated_at"})}).Create(&row).Error, "save duty roster")
}

func (r attendanceRow) domain() duty.Attendance {
	in := r.CheckInAt.UTC()
	return duty.Attendance{ID: r.ID, LawyerID: r.LawyerID, StationID: r.StationID, Day: r.Day, CheckInAt: &in, CheckOutAt: utcPtr(r.CheckOutAt),
		Late: r.Late, EarlyLeave: r.EarlyLeave}
}

// Attendance implements duty.Store.
func (s *DutyStore) Attendance(ctx context.Context, lawyerID, stationID int64, day string) (*duty.Attendance, error) {
	var rows []attendanceRow
	if err := s.db.Conn(ctx).Where("lawyer_id = ? AND station_id = ? AND day = ?", lawyerID, stationID, day).Limit(1).Find(&rows).Error; err != nil {
		return nil, Translate(err, "read attendance")
	}
	if len(rows) == 0 {
		return nil, nil
	}
	a := rows[0].domain()
	return &a, nil
}

// SaveAttendance implements duty.Store.
func (s *DutyStore) SaveAttendance(ctx context.Context, a *duty.Attendance) error {
	if a.CheckInAt == nil {
		return domain.Errorf(domain.KindInternal, "duty.no_check_in", "An attendance row needs its check-in.")
	}
	// The caller answers with a as saved: give it the times as stored, so
	// that the check-in answer equals every later read (MariaDB keeps µs).
	in := storedTime(*a.CheckInAt)
	a.CheckInAt = &in
	if a.CheckOutAt != nil {
		out := storedTime(*a.CheckOutAt)
		a.CheckOutAt = &out
	}
	row := attendanceRow{ID: a.ID, LawyerID: a.LawyerID, StationID: a.StationID, Day: a.Day, CheckInAt: in,
		CheckOutAt: a.CheckOutAt, Late: a.Late, EarlyLeave: a.EarlyLeave}
	if a.ID == 0 {
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return Translate(err, "check in")
		}
		a.ID = row.ID
		return nil
	}
	return Translate(s.db.Conn(ctx).Model(&attendanceRow{}).Where("id = ?", a.ID).
		Updates(map[string]any{"check_out_at": row.CheckOutAt, "early_leave": row.EarlyLeave}).Error, "check out")
}

// AttendanceBetween implements duty.Store.
func (s *DutyStore) AttendanceBetween(ctx context.Context, lawyerIDs []int64, fromDay, toDay string) ([]duty.Attendance, error) {
	if len(lawyerIDs) == 0 {
		return nil, nil
	}
	var rows []attendanceRow
	if err := s.db.Conn(ctx).Where("lawyer_id IN ? AND day >= ? AND day < ?", lawyerIDs, fromDay, toDay).Find(&rows).Error; err != nil {
		return nil, Translate(err, "read attendance")
	}
	out := make([]duty.Attendance, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
