// Package duty is lawyers' duty at the police stations (律师值班): each
// station's roster (9:00–18:00 every day unless configured), check-in and
// check-out from the phone, and attendance — late, early leave, absent —
// reported per lawyer and per law firm for the monthly assessment.
package duty

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Roster is a station's duty hours and days.
type Roster struct {
	StationID int64
	From, To  time.Duration // since midnight, local
	Weekdays  [7]bool       // indexed by time.Weekday
}

// Attendance is one lawyer's duty day at one station.
type Attendance struct {
	ID         int64
	LawyerID   int64
	StationID  int64
	Day        string // local date, 2006-01-02
	CheckInAt  *time.Time
	CheckOutAt *time.Time
	Late       bool
	EarlyLeave bool
}

// Lawyer is what attendance needs to know of a lawyer.
type Lawyer struct {
	ID       int64
	Name     string
	FirmID   int64
	Stations []int64
}

// Store keeps rosters and attendance.
type Store interface {
	Roster(ctx context.Context, stationID int64) (Roster, bool, error)
	SaveRoster(ctx context.Context, r Roster) error
	// Attendance is the lawyer's day at the station, or nil.
	Attendance(ctx context.Context, lawyerID, stationID int64, day string) (*Attendance, error)
	// SaveAttendance inserts (ID 0) or updates; a second insert of the same
	// lawyer, station and day is a conflict.
	SaveAttendance(ctx context.Context, a *Attendance) error
	AttendanceBetween(ctx context.Context, lawyerIDs []int64, fromDay, toDay string) ([]Attendance, error)
}

// People finds lawyers.
type People interface {
	Lawyer(ctx context.Context, id int64) (*Lawyer, error)
	// Lawyers are the lawyers of a firm (0: every firm) serving any of the
	// stations the actor sees.
	Lawyers(ctx context.Context, a domain.Actor, firmID int64) ([]Lawyer, error)
	IsStation(ctx context.Context, id int64) (bool, error)
	// SeesStation reports whether the station lies in the actor's scope
	// (their organisation's subtree).
	SeesStation(ctx context.Context, a domain.Actor, id int64) (bool, error)
}

// Service runs duty.
type Service struct {
	Store     Store
	People    People
	Clock     domain.Clock
	Loc       *time.Location
	Default   Roster        // the hours of a station without its own roster
	LateGrace time.Duration // a check-in this long after the start is not late yet
	Audit     domain.Auditor
	Work      WorkCounter // the four duties per lawyer (nil: not counted)
}
