package mysql_test

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/duty"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// A saved check-in (and check-out) holds the times as stored, so that the
// answer to the check-in equals every later read (issue 15: MariaDB answered
// nanoseconds first and microseconds after).
func TestSavedAttendanceEqualsWhatIsRead(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		s := mysql.NewDutyStore(db)
		in := time.Date(2026, 11, 30, 1, 2, 3, 123456789, time.UTC)
		a := &duty.Attendance{LawyerID: 6, StationID: 2, Day: "2026-11-30", CheckInAt: &in}
		if err := s.SaveAttendance(ctx, a); err != nil {
			t.Fatal(err)
		}
		out := in.Add(8 * time.Hour)
		a.CheckOutAt = &out
		if err := s.SaveAttendance(ctx, a); err != nil {
			t.Fatal(err)
		}
		got, err := s.Attendance(ctx, 6, 2, "2026-11-30")
		if err != nil || got == nil {
			t.Fatalf("read back: %v %v", got, err)
		}
		if !got.CheckInAt.Equal(*a.CheckInAt) || !got.CheckOutAt.Equal(*a.CheckOutAt) {
			t.Fatalf("saved %s / %s, read %s / %s", a.CheckInAt.Format(time.RFC3339Nano), a.CheckOutAt.Format(time.RFC3339Nano),
				got.CheckInAt.Format(time.RFC3339Nano), got.CheckOutAt.Format(time.RFC3339Nano))
		}
	})
}
