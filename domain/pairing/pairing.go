// Package pairing is station pairing (包联, the Hubei "235" mechanism):
// leading cadres of the provincial, city and county bureaus are each paired
// with a police station — 20 %, 30 % and 50 % of the stations by level, every
// station covered, one cadre per station (no 多头督导) — and must visit it at
// least monthly, half-monthly or weekly, unannounced (四不两直). A visit's
// findings (找窟窿) become rectification work orders for the station (堵窟窿)
// that the cadre verifies; a coverage view shows unpaired stations and
// overdue visits, and an overdue visit raises a warning.
package pairing

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Level is the bureau a cadre comes from.
type Level string

const (
	Province Level = "province" // 省公安厅: 20 % of the stations, a visit at least monthly
	City     Level = "city"     // 市公安局: 30 %, at least half-monthly
	County   Level = "county"   // 县(市、区)公安(分)局: 50 %, at least weekly
)

// Levels in order.
var Levels = []Level{Province, City, County}

// Interval is the longest a cadre of the level may go without visiting.
func (l Level) Interval() time.Duration {
	switch l {
	case Province:
		return 31 * 24 * time.Hour
	case City:
		return 16 * 24 * time.Hour
	case County:
		return 7 * 24 * time.Hour
	}
	return 0
}

// TargetPct is the share of stations the level pairs.
func (l Level) TargetPct() int {
	return map[Level]int{Province: 20, City: 30, County: 50}[l]
}

// Valid reports whether l is a level.
func (l Level) Valid() bool { return l.Interval() > 0 }

// Pairing is one cadre paired with one station.
type Pairing struct {
	ID        int64
	CadreID   int64
	CadreName string
	Level     Level
	StationID int64
	CreatedBy int64
	CreatedAt time.Time
	EndedAt   *time.Time // nil: active
}

// Active reports whether the pairing still holds.
func (p *Pairing) Active() bool { return p.EndedAt == nil }

// DueAt is when the next visit is due: the interval after the last visit,
// or after the pairing began when there was none.
func (p *Pairing) DueAt(lastVisit *time.Time) time.Time {
	from := p.CreatedAt
	if lastVisit != nil && lastVisit.After(from) {
		from = *lastVisit
	}
	return from.Add(p.Level.Interval())
}

// Visit is one unannounced visit (四不两直: 不发通知、不打招呼、不听汇报、不用陪同接待，
// 直奔基层、直插现场).
type Visit struct {
	ID        int64
	PairingID int64
	CadreID   int64
	StationID int64
	VisitedAt time.Time
	Checked   []string // what was looked at: 接处警窗口, 执法办案场所, 信访窗口 …
	Summary   string
	Findings  []Finding
	CreatedAt time.Time
}

// FindingState is where a finding's rectification stands.
type FindingState string

const (
	FindingOpen      FindingState = "open"      // the station has a rectification order
	FindingRectified FindingState = "rectified" // the station reported it fixed
	FindingVerified  FindingState = "verified"  // the cadre accepted the fix (动态销号)
)

// FindingAction is what is done to a finding.
type FindingAction string

const (
	ActRectify FindingAction = "rectify" // the station reports the fix
	ActVerify  FindingAction = "verify"  // the cadre accepts it
	ActReject  FindingAction = "reject"  // the cadre does not: a new order
)

// FindingStates and FindingActions list every state and action, for the
// table test.
var (
	FindingStates  = []FindingState{FindingOpen, FindingRectified, FindingVerified}
	FindingActions = []FindingAction{ActRectify, ActVerify, ActReject}
)

// NextFinding is the finding's state machine.
func NextFinding(from FindingState, a FindingAction) (FindingState, error) {
	switch {
	case from == FindingOpen && a == ActRectify:
		return FindingRectified, nil
	case from == FindingRectified && a == ActVerify:
		return FindingVerified, nil
	case from == FindingRectified && a == ActReject:
		return FindingOpen, nil
	}
	return from, domain.Errorf(domain.KindFailedPrecondition, "pairing.finding_illegal_transition", "A finding that is %s cannot take the action %s.", from, a)
}

// Finding is one problem a visit found (找窟窿) and its rectification.
type Finding struct {
	ID          int64
	VisitID     int64
	PairingID   int64
	StationID   int64
	Description string
	State       FindingState
	Round       int // 1, and one more each time the cadre rejects the fix
	Note        string
	RectifiedBy int64
	RectifiedAt *time.Time
	VerifiedBy  int64
	VerifiedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}
