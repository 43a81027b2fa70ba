package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain/jointmeeting"
)

// MeetingStore keeps joint meetings and their action items, and reads the
// other areas' facts for agendas.
type MeetingStore struct{ db *DB }

var (
	_ jointmeeting.Store   = (*MeetingStore)(nil)
	_ jointmeeting.Sources = (*MeetingStore)(nil)
)

// NewMeetingStore returns the store over db.
func NewMeetingStore(db *DB) *MeetingStore { return &MeetingStore{db: db} }

type meetingRow struct {
	ID          int64 `gorm:"primaryKey"`
	Level       string
	AreaID      int64
	DistrictID  int64
	Period      string
	Title       string
	ScheduledAt time.Time
	State       string
	Agenda      string
	HeldAt      *time.Time
	Place       string
	Attendees   string
	Minutes     string
	Decisions   string
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time `gorm:"autoUpdateTime:false"`
	Version     int
}

func (meetingRow) TableName() string { return "joint_meetings" }

func toMeetingRow(m *jointmeeting.Meeting) (meetingRow, error) {
	agenda, err := json.Marshal(m.Agenda)
	if err != nil {
		return meetingRow{}, err
	}
	return meetingRow{ID: m.ID, Level: string(m.Level), AreaID: m.AreaID, DistrictID: m.DistrictID, Period: m.Period, Title: m.Title,
		ScheduledAt: m.ScheduledAt.UTC(), State: string(m.State), Agenda: string(agenda), HeldAt: utcPtr(m.HeldAt), Place: m.Place,
		Attendees: joinIDs(m.Attendees), Minutes: m.Minutes, Decisions: m.Decisions, CreatedBy: m.CreatedBy, CreatedAt: m.CreatedAt.UTC(),
		UpdatedAt: m.UpdatedAt.UTC(), Version: m.Version}, nil
}

func (r *meetingRow) meeting() (*jointmeeting.Meeting, error) {
	m := &jointmeeting.Meeting{ID: r.ID, Level: jointmeeting.Level(r.Level), AreaID: r.AreaID, DistrictID: r.DistrictID, Period: r.Period, Title: r.Title,
		ScheduledAt: r.ScheduledAt.UTC(), State: jointmeeting.State(r.State), HeldAt: utcPtr(r.HeldAt), Place: r.Place, Attendees: splitIDs(r.Attendees),
		Minutes: r.Minutes, Decisions: r.Decisions, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if m.Attendees == nil {
		m.Attendees = []int64{}
	}
	if err := json.Unmarshal([]byte(r.Agenda), &m.Agenda); err != nil {
		return nil, fmt.Errorf("mysql: read agenda of meeting %d: %w", r.ID, err)
	}
	return m, nil
}

// CreateMeeting implements jointmeeting.Store.
func (s *MeetingStore) CreateMeeting(ctx context.Context, m *jointmeeting.Meeting) error {
	row, err := toMeetingRow(m)
	if err != nil {
		return err
	}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create joint meeting")
	}
	m.ID = row.ID
	return nil
}

// Meeting implements jointmeeting.Store.
func (s *MeetingStore) Meeting(ctx context.Context, id int64) (*jointmeeting.Meeting, error) {
	var row meetingRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read joint meeting %d", id))
	}
	return row.meeting()
}

// UpdateMeeting implements jointmeeting.Store: a versioned write.
func (s *MeetingStore) UpdateMeeting(ctx context.Context, m *jointmeeting.Meeting) (bool, error) {
	row, err := toMeetingRow(m)
	if err != nil {
		return false, err
	}
	row.Version = m.Version + 1
	res := s.db.Conn(ctx).Model(&meetingRow{}).Where("id = ? AND version = ?", m.ID, m.Version).Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update joint meeting %d", m.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	m.Version++
	return true, nil
}

// Meetings implements jointmeeting.Store.
func (s *MeetingStore) Meetings(ctx context.Context, f jointmeeting.Filter) ([]jointmeeting.Meeting, error) {
	q := s.db.Conn(ctx).Where("(level = ? AND area_id IN ?) OR (level = ? AND district_id IN ?)",
		string(jointmeeting.LevelArea), append([]int64{0}, f.AreaIDs...), string(jointmeeting.LevelDistrict), append([]int64{0}, f.DistrictIDs...))
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var rows []meetingRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list joint meetings")
	}
	out := make([]jointmeeting.Meeting, 0, len(rows))
	for i := range rows {
		m, err := rows[i].meeting()
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, nil
}

type meetingActionRow struct {
	ID         int64 `gorm:"primaryKey"`
	MeetingID  int64
	Title      string
	AssigneeID int64
	UnitID     int64
	DueAt      time.Time
	State      string
	Outcome    string
	ClosedBy   int64
	ClosedAt   *time.Time
	CreatedBy  int64
	CreatedAt  time.Time
}

func (meetingActionRow) TableName() string { return "meeting_actions" }

func (r meetingActionRow) action() jointmeeting.Action {
	return jointmeeting.Action{ID: r.ID, MeetingID: r.MeetingID, Title: r.Title, AssigneeID: r.AssigneeID, UnitID: r.UnitID, DueAt: r.DueAt.UTC(),
		State: jointmeeting.ActionState(r.State), Outcome: r.Outcome, ClosedBy: r.ClosedBy, ClosedAt: utcPtr(r.ClosedAt), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
}

// CreateAction implements jointmeeting.Store.
func (s *MeetingStore) CreateAction(ctx context.Context, a *jointmeeting.Action) error {
	row := meetingActionRow{MeetingID: a.MeetingID, Title: a.Title, AssigneeID: a.AssigneeID, UnitID: a.UnitID, DueAt: a.DueAt.UTC(), State: string(a.State),
		CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add action item to meeting %d", a.MeetingID))
	}
	a.ID = row.ID
	return nil
}

// Action implements jointmeeting.Store.
func (s *MeetingStore) Action(ctx context.Context, id int64) (*jointmeeting.Action, error) {
	var row meetingActionRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read action item %d", id))
	}
	a := row.action()
	return &a, nil
}

// CloseAction implements jointmeeting.Store.
func (s *MeetingStore) CloseAction(ctx context.Context, a *jointmeeting.Action) (bool, error) {
	res := s.db.Conn(ctx).Model(&meetingActionRow{}).Where("id = ? AND state = ?", a.ID, string(jointmeeting.ActionOpen)).
		Updates(map[string]any{"state": string(a.State), "outcome": a.Outcome, "closed_by": a.ClosedBy, "closed_at": utcPtr(a.ClosedAt)})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("close action item %d", a.ID))
	}
	return res.RowsAffected == 1, nil
}

// Actions implements jointmeeting.Store.
func (s *MeetingStore) Actions(ctx context.Context, meetingID int64) ([]jointmeeting.Action, error) {
	var rows []meetingActionRow
	if err := s.db.Conn(ctx).Where("meeting_id = ?", meetingID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("list action items of meeting %d", meetingID))
	}
	out := make([]jointmeeting.Action, len(rows))
	for i, r := range rows {
		out[i] = r.action()
	}
	return out, nil
}

func (s *MeetingStore) meetingsOf(ctx context.Context, areaIDs, districtIDs []int64) *gorm.DB {
	return s.db.Conn(ctx).Model(&meetingRow{}).Select("id").Where("(level = ? AND area_id IN ?) OR (level = ? AND district_id IN ?)",
		string(jointmeeting.LevelArea), append([]int64{0}, areaIDs...), string(jointmeeting.LevelDistrict), append([]int64{0}, districtIDs...))
}

// OpenActions implements jointmeeting.Store.
func (s *MeetingStore) OpenActions(ctx context.Context, areaIDs, districtIDs []int64) ([]jointmeeting.Action, error) {
	var rows []meetingActionRow
	if err := s.db.Conn(ctx).Where("state = ? AND meeting_id IN (?)", string(jointmeeting.ActionOpen), s.meetingsOf(ctx, areaIDs, districtIDs)).
		Order("due_at, id").Limit(500).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list open action items")
	}
	out := make([]jointmeeting.Action, len(rows))
	for i, r := range rows {
		out[i] = r.action()
	}
	return out, nil
}

// Tally implements jointmeeting.Store: meetings scheduled in [from, to) and
// their items.
func (s *MeetingStore) Tally(ctx context.Context, areaIDs, districtIDs []int64, from, to, now time.Time) (jointmeeting.Tally, error) {
	var t jointmeeting.Tally
	var ms []struct {
		State string
		N     int
	}
	in := s.meetingsOf(ctx, areaIDs, districtIDs).Where("scheduled_at >= ? AND scheduled_at < ?", from.UTC(), to.UTC())
	if err := s.db.Conn(ctx).Model(&meetingRow{}).Select("state, COUNT(*) AS n").Where("id IN (?)", in).Group("state").Scan(&ms).Error; err != nil {
		return t, Translate(err, "count joint meetings")
	}
	for _, m := range ms {
		switch jointmeeting.State(m.State) {
		case jointmeeting.Held:
			t.Held = m.N
		case jointmeeting.Planned:
			t.Planned = m.N
		}
	}
	var as struct {
		Total   int
		Closed  int
		Overdue int
	}
	err := s.db.Conn(ctx).Model(&meetingActionRow{}).
		Select("COUNT(*) AS total, COALESCE(SUM(CASE WHEN state = ? THEN 1 ELSE 0 END), 0) AS closed, "+
			"COALESCE(SUM(CASE WHEN state = ? AND due_at < ? THEN 1 ELSE 0 END), 0) AS overdue",
			string(jointmeeting.ActionClosed), string(jointmeeting.ActionOpen), now.UTC()).
		Where("meeting_id IN (?)", in).Scan(&as).Error
	if err != nil {
		return t, Translate(err, "count action items")
	}
	t.Actions, t.ActionsClosed, t.ActionsOverdue = as.Total, as.Closed, as.Overdue
	return t, nil
}

// Disputes implements jointmeeting.Sources: the requests filed at the
// stations.
func (s *MeetingStore) Disputes(ctx context.Context, stationIDs []int64, from, to time.Time) ([]jointmeeting.Dispute, error) {
	var rows []struct {
		ID        int64
		Category  string
		Status    string
		CreatedAt time.Time
	}
	if err := s.db.Conn(ctx).Table("requests").Select("id, category, status, created_at").
		Where("station_id IN ? AND created_at >= ? AND created_at < ?", stationIDs, from.UTC(), to.UTC()).Order("id").Limit(500).Scan(&rows).Error; err != nil {
		return nil, Translate(err, "read the disputes of an agenda")
	}
	out := make([]jointmeeting.Dispute, len(rows))
	for i, r := range rows {
		out[i] = jointmeeting.Dispute{ID: r.ID, Category: r.Category, Status: r.Status, FiledAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// OpenWarnings implements jointmeeting.Sources: warnings open or
// acknowledged, not yet handled.
func (s *MeetingStore) OpenWarnings(ctx context.Context, stationIDs []int64) ([]jointmeeting.OpenWarning, error) {
	var rows []struct {
		ID       int64
		RuleName string
		Severity string
		Status   string
		RaisedAt time.Time
	}
	if err := s.db.Conn(ctx).Table("warnings").Select("id, rule_name, severity, status, raised_at").
		Where("station_id IN ? AND status IN ?", stationIDs, []string{"open", "acknowledged"}).Order("id").Limit(500).Scan(&rows).Error; err != nil {
		return nil, Translate(err, "read the open warnings of an agenda")
	}
	out := make([]jointmeeting.OpenWarning, len(rows))
	for i, r := range rows {
		out[i] = jointmeeting.OpenWarning{ID: r.ID, RuleName: r.RuleName, Severity: r.Severity, Status: r.Status, RaisedAt: r.RaisedAt.UTC()}
	}
	return out, nil
}
