package jointmeeting

import (
	"time"
)

// Level is who meets.
type Level string

const (
	LevelArea     Level = "area"     // an area's three offices, monthly (分析研判会)
	LevelDistrict Level = "district" // the district's leading group, quarterly (联席会)
)

// State is where a meeting stands.
type State string

const (
	Planned State = "planned" // agenda prepared
	Held    State = "held"    // minutes written
)

// Meeting is one joint meeting.
type Meeting struct {
	ID          int64
	Level       Level
	AreaID      int64  // area meetings
	DistrictID  int64  // the district of the area, or the district meeting's own
	Period      string // 2026-11 (area) or 2026-Q4 (district)
	Title       string
	ScheduledAt time.Time
	State       State
	Agenda      Agenda
	HeldAt      *time.Time
	Place       string
	Attendees   []int64
	Minutes     string
	Decisions   string
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// Agenda is what the meeting is to look at, prepared when it is planned.
type Agenda struct {
	From           time.Time       `json:"from"`
	To             time.Time       `json:"to"`
	Disputes       []Dispute       `json:"disputes"`
	OpenWarnings   []OpenWarning   `json:"open_warnings"`
	SpecialChanges []SpecialChange `json:"special_changes"`
	OpenActions    []ActionSummary `json:"open_actions"`    // items of earlier meetings still open
	Areas          []AreaFigures   `json:"areas,omitempty"` // district meetings: each area's figures
}

// Dispute is one mediation request filed at the area's station.
type Dispute struct {
	ID       int64     `json:"id"`
	Category string    `json:"category"`
	Status   string    `json:"status"`
	FiledAt  time.Time `json:"filed_at"`
}

// OpenWarning is a warning of the station not yet handled.
type OpenWarning struct {
	ID       int64     `json:"id"`
	RuleName string    `json:"rule_name"`
	Severity string    `json:"severity"`
	Status   string    `json:"status"`
	RaisedAt time.Time `json:"raised_at"`
}

// SpecialChange is a line of the special population register: registered,
// state changes, transfers, missed plans.
type SpecialChange struct {
	PersonID int64     `json:"person_id"`
	Type     string    `json:"type"`
	ToState  string    `json:"to_state,omitempty"`
	At       time.Time `json:"at"`
}

// ActionSummary is an open action item.
type ActionSummary struct {
	ID    int64     `json:"id"`
	Title string    `json:"title"`
	DueAt time.Time `json:"due_at"`
}

// AreaFigures sums one area for a district meeting.
type AreaFigures struct {
	AreaID         int64 `json:"area_id"`
	Disputes       int   `json:"disputes"`
	OpenWarnings   int   `json:"open_warnings"`
	SpecialChanges int   `json:"special_changes"`
	OpenActions    int   `json:"open_actions"`
}

// ActionState is where an action item stands.
type ActionState string

const (
	ActionOpen   ActionState = "open"
	ActionClosed ActionState = "closed"
)

// Action is a decision's follow-up: a work order to its assignee, due by a
// deadline.
type Action struct {
	ID         int64
	MeetingID  int64
	Title      string
	AssigneeID int64
	UnitID     int64 // the assignee's office: the order's queue
	DueAt      time.Time
	State      ActionState
	Outcome    string
	ClosedBy   int64
	ClosedAt   *time.Time
	CreatedBy  int64
	CreatedAt  time.Time
}

// Overdue reports whether an open item's deadline passed.
func (a *Action) Overdue(now time.Time) bool { return a.State == ActionOpen && a.DueAt.Before(now) }
