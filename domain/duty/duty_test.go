package duty

import (
	"context"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

type memStore struct {
	rosters map[int64]Roster
	att     []*Attendance
}

func (m *memStore) Roster(_ context.Context, id int64) (Roster, bool, error) {
	r, ok := m.rosters[id]
	return r, ok, nil
}
func (m *memStore) SaveRoster(_ context.Context, r Roster) error {
	m.rosters[r.StationID] = r
	return nil
}
func (m *memStore) Attendance(_ context.Context, l, st int64, day string) (*Attendance, error) {
	for _, a := range m.att {
		if a.LawyerID == l && a.StationID == st && a.Day == day {
			c := *a
			return &c, nil
		}
	}
	return nil, nil
}
func (m *memStore) SaveAttendance(_ context.Context, a *Attendance) error {
	for i, x := range m.att {
		if x.LawyerID == a.LawyerID && x.StationID == a.StationID && x.Day == a.Day {
			c := *a
			m.att[i] = &c
			return nil
		}
	}
	c := *a
	m.att = append(m.att, &c)
	return nil
}
func (m *memStore) AttendanceBetween(_ context.Context, _ []int64, from, to string) ([]Attendance, error) {
	var out []Attendance
	for _, a := range m.att {
		if a.Day >= from && a.Day < to {
			out = append(out, *a)
		}
	}
	return out, nil
}

type people struct{}

func (people) Lawyer(_ context.Context, id int64) (*Lawyer, error) {
	return &Lawyer{ID: id, FirmID: 5, Stations: []int64{3}}, nil
}
func (people) Lawyers(context.Context, domain.Actor, int64) ([]Lawyer, error) {
	return []Lawyer{{ID: 7, FirmID: 5, Stations: []int64{3}}}, nil
}

func (people) IsStation(context.Context, int64) (bool, error) { return true, nil }

// SeesStation: the test's supervisor (org 1) sees station 3 only.
func (people) SeesStation(_ context.Context, a domain.Actor, id int64) (bool, error) {
	return a.OrgID == 1 && id == 3, nil
}

type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

var sh = time.FixedZone("CST", 8*3600)

func newService(now time.Time) (*Service, *clock, *memStore) {
	c := &clock{now}
	st := &memStore{rosters: map[int64]Roster{}}
	all := [7]bool{true, true, true, true, true, true, true}
	return &Service{Store: st, People: people{}, Clock: c, Loc: sh, Default: Roster{From: 9 * time.Hour, To: 18 * time.Hour, Weekdays: all},
		LateGrace: 15 * time.Minute}, c, st
}

func TestCheckInAndOut(t *testing.T) {
	lawyer := domain.Actor{UserID: 7, Roles: []string{"lawyer"}}
	cases := []struct {
		name        string
		in, out     string
		late, early bool
	}{
		{"on time, full day", "08:55", "18:05", false, false},
		{"within the grace", "09:14", "18:00", false, false},
		{"late", "09:16", "18:30", true, false},
		{"early leave", "08:50", "17:00", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at := func(hm string) time.Time {
				v, _ := time.ParseInLocation("2006-01-02 15:04", "2026-11-23 "+hm, sh)
				return v
			}
			s, clk, _ := newService(at(c.in))
			got, err := s.CheckIn(context.Background(), lawyer, 3)
			if err != nil || got.Late != c.late {
				t.Fatalf("check-in: %+v %v", got, err)
			}
			clk.t = at(c.in).Add(time.Minute)
			again, _ := s.CheckIn(context.Background(), lawyer, 3)
			if !again.CheckInAt.Equal(*got.CheckInAt) {
				t.Fatal("a second check-in moved the first")
			}
			clk.t = at(c.out)
			out, err := s.CheckOut(context.Background(), lawyer, 3)
			if err != nil || out.EarlyLeave != c.early {
				t.Fatalf("check-out: %+v %v", out, err)
			}
		})
	}
	s, _, _ := newService(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
	if _, err := s.CheckIn(context.Background(), lawyer, 4); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("a station the lawyer does not serve: %v", err)
	}
	if _, err := s.CheckOut(context.Background(), lawyer, 3); !domain.IsKind(err, domain.KindFailedPrecondition) {
		t.Fatalf("check-out without check-in: %v", err)
	}
	if _, err := s.CheckIn(context.Background(), domain.Actor{UserID: 1, Roles: []string{"police"}}, 3); !domain.IsKind(err, domain.KindForbidden) {
		t.Fatalf("police: %v", err)
	}
}

func TestAttendanceReport(t *testing.T) {
	// Wednesday 25 November, 12:00: the 23rd and 24th are over, today is not.
	s, clk, _ := newService(time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC)) // 09:30 Monday: late
	lawyer := domain.Actor{UserID: 7, Roles: []string{"lawyer"}}
	if _, err := s.CheckIn(context.Background(), lawyer, 3); err != nil {
		t.Fatal(err)
	}
	clk.t = time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)
	from := time.Date(2026, 11, 23, 0, 0, 0, 0, sh)
	lawyers, firms, err := s.Report(context.Background(), domain.Actor{Roles: []string{"supervisor"}}, from, from.AddDate(0, 0, 7), 0)
	if err != nil {
		t.Fatal(err)
	}
	l := lawyers[0]
	if l.Expected != 2 || l.Present != 1 || l.Absent != 1 || l.Late != 1 || l.Rate() != 0.5 {
		t.Fatalf("lawyer %+v", l)
	}
	if len(firms) != 1 || firms[0].FirmID != 5 || firms[0].Absent != 1 {
		t.Fatalf("firms %+v", firms)
	}
}

// A roster is read and changed only by supervisors and admins whose scope
// holds the station (issue 16, medium 6); any other station is not found
// and its roster stays as it was.
func TestRosterStaysInScope(t *testing.T) {
	weekdays := [7]bool{false, true, true, true, true, true, false}
	tests := []struct {
		name    string
		actor   domain.Actor
		station int64
		want    domain.Kind // "" for success
	}{
		{"the supervisor above the station sets it", domain.Actor{UserID: 1, OrgID: 1, Roles: []string{"supervisor"}}, 3, ""},
		{"another district's supervisor is told it does not exist", domain.Actor{UserID: 2, OrgID: 2, Roles: []string{"supervisor"}}, 3, domain.KindNotFound},
		{"another district's admin likewise", domain.Actor{UserID: 3, OrgID: 2, Roles: []string{"admin"}}, 3, domain.KindNotFound},
		{"a station outside the supervisor's scope likewise", domain.Actor{UserID: 1, OrgID: 1, Roles: []string{"supervisor"}}, 4, domain.KindNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, st := newService(time.Date(2026, 11, 30, 10, 0, 0, 0, sh))
			_, err := s.SetRoster(t.Context(), tt.actor, Roster{StationID: tt.station, From: 8 * time.Hour, To: 17 * time.Hour, Weekdays: weekdays})
			_, readErr := s.Roster(t.Context(), tt.actor, tt.station)
			_, saved := st.rosters[tt.station]
			if tt.want == "" {
				if err != nil || readErr != nil || !saved {
					t.Fatalf("set: %v, read: %v, saved %v; want the roster set", err, readErr, saved)
				}
				return
			}
			if !domain.IsKind(err, tt.want) || !domain.IsKind(readErr, tt.want) || saved {
				t.Fatalf("set: %v, read: %v, saved %v; want %s and nothing saved", err, readErr, saved, tt.want)
			}
		})
	}
}
