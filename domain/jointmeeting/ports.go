package jointmeeting

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/specialpop"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Filter narrows meetings.
type Filter struct {
	AreaIDs     []int64 // area meetings of these areas
	DistrictIDs []int64 // district meetings of these districts
	Before      int64
	Limit       int
}

// Store keeps meetings and their action items; every method joins the
// transaction ctx carries.
type Store interface {
	// CreateMeeting: a second meeting of the same level, place and period is
	// a conflict.
	CreateMeeting(ctx context.Context, m *Meeting) error
	Meeting(ctx context.Context, id int64) (*Meeting, error)
	UpdateMeeting(ctx context.Context, m *Meeting) (bool, error) // versioned
	Meetings(ctx context.Context, f Filter) ([]Meeting, error)

	CreateAction(ctx context.Context, a *Action) error
	Action(ctx context.Context, id int64) (*Action, error)
	// CloseAction closes an open item; false when it was closed already.
	CloseAction(ctx context.Context, a *Action) (bool, error)
	Actions(ctx context.Context, meetingID int64) ([]Action, error)
	// OpenActions are the open items of the areas' meetings (and of the
	// districts' meetings).
	OpenActions(ctx context.Context, areaIDs, districtIDs []int64) ([]Action, error)
	// Tally counts the meetings held and the action items made and closed,
	// of the areas' and the districts' meetings planned for [from, to); the
	// overdue are the open items whose deadline is before now.
	Tally(ctx context.Context, areaIDs, districtIDs []int64, from, to, now time.Time) (Tally, error)
}

// Tally is the meetings' figures.
type Tally struct {
	Held           int
	Planned        int
	Actions        int
	ActionsClosed  int
	ActionsOverdue int
}

// Sources read the other areas' facts for an agenda.
type Sources interface {
	// Disputes are the mediation requests filed at the stations in [from, to).
	Disputes(ctx context.Context, stationIDs []int64, from, to time.Time) ([]Dispute, error)
	// OpenWarnings are the stations' warnings not yet handled.
	OpenWarnings(ctx context.Context, stationIDs []int64) ([]OpenWarning, error)
}

// Register is the special population register: *specialpop.Service.
type Register interface {
	AreasOf(ctx context.Context, a domain.Actor) ([]specialpop.Area, error)
	Changes(ctx context.Context, areaIDs []int64, from, to time.Time) ([]specialpop.Record, error)
}

// Orgs tells where a staff member works.
type Orgs interface {
	OrgOfUser(ctx context.Context, userID int64) (int64, error)
}

// Orders is dispatch: *workorder.Service.
type Orders interface {
	Create(ctx context.Context, n workorder.NewOrder) error
	Settle(ctx context.Context, a domain.Actor, cause string, resourceID int64, keep ...int64) (int, error)
}

// Inbox puts notices in staff inboxes: *inbox.Service.
type Inbox interface {
	Send(ctx context.Context, n inbox.Notification) error
}
