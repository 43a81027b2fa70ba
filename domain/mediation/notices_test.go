package mediation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
)

// Small in-memory stand-ins for the stores and areas a state change touches;
// the real stores run the same flows in infra/mysql.

const (
	noticeStation          = 30
	filerID, leadID, copID = 801, 501, 601
	noticeRequestID        = 9
)

type txNow struct{}

func (txNow) WithTx(ctx context.Context, fn func(ctx context.Context) error) error { return fn(ctx) }

type memRequests struct {
	m.RequestStore // only what the flows below call is implemented
	reqs           map[int64]*m.Request
	events         []m.Event
}

func (s *memRequests) Request(_ context.Context, id int64) (*m.Request, error) {
	r, ok := s.reqs[id]
	if !ok {
		return nil, domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
	}
	cp := *r
	return &cp, nil
}

func (s *memRequests) UpdateRequest(_ context.Context, r *m.Request) error {
	cp := *r
	s.reqs[r.ID] = &cp
	return nil
}

func (s *memRequests) AppendEvent(_ context.Context, events ...*m.Event) error {
	for _, e := range events {
		s.events = append(s.events, *e)
	}
	return nil
}

type approvedRecords struct{ m.RecordStore }

func (approvedRecords) RecordOfRequest(_ context.Context, id int64) (*m.Record, error) {
	return &m.Record{CaseID: id, Review: m.ReviewApproved}, nil
}

// stubAreas stands in for the directory (the station's candidates) and for
// the areas a change only writes to: work orders, signals, audit, rooms.
type stubAreas struct{ candidates []m.Candidate }

func (d stubAreas) Candidates(context.Context, int64) ([]m.Candidate, error) {
	return d.candidates, nil
}
func (stubAreas) StationScope(_ context.Context, a domain.Actor) ([]int64, bool, error) {
	return []int64{a.OrgID}, false, nil
}
func (stubAreas) IsStation(_ context.Context, id int64) (bool, error) {
	return id == noticeStation, nil
}
func (stubAreas) ParentUnit(context.Context, int64) (int64, error)          { return 1, nil }
func (stubAreas) CreateOrder(context.Context, m.OrderRequest) error         { return nil }
func (stubAreas) CreateFreshOrders(context.Context, []m.OrderRequest) error { return nil }
func (stubAreas) SettleOrders(context.Context, domain.Actor, string, int64, ...int64) error {
	return nil
}
func (stubAreas) Audit(context.Context, ...domain.AuditEntry) error        { return nil }
func (stubAreas) CreateRoom(context.Context, *m.VideoRoom) error           { return nil }
func (stubAreas) Room(context.Context, string) (*m.VideoRoom, error)       { return nil, nil }
func (stubAreas) EndRoom(context.Context, string, time.Time, string) error { return nil }
func (stubAreas) RemoveFromRoom(context.Context, string, int64, time.Time) error {
	return nil
}
func (stubAreas) Emit(context.Context, ...m.Signal) error { return nil }

type sentNotice struct {
	userID                    int64
	kind, title, body, dedupe string
	requestID                 int64
}

type noticeRecorder struct{ sent []sentNotice }

func (n *noticeRecorder) Notify(_ context.Context, userID int64, kind, title, body string, requestID int64, dedupeKey string) error {
	n.sent = append(n.sent, sentNotice{userID, kind, title, body, dedupeKey, requestID})
	return nil
}

var (
	noticeT0   = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	theOfficer = domain.Actor{UserID: copID, Roles: []string{m.RolePolice}, OrgID: noticeStation}
	theLead    = domain.Actor{UserID: leadID, Roles: []string{m.RoleLawyer}, OrgID: 900}
	theFiler   = domain.Actor{UserID: filerID, Roles: []string{m.RoleCitizen}}
)

func noticeService(r m.Request, candidates []m.Candidate) (*m.Service, *memRequests, *noticeRecorder) {
	r.ID, r.Version = noticeRequestID, 1
	if r.FilerID == 0 {
		r.FilerID = filerID
	}
	r.Filing = m.Filing{Kind: m.KindMediation, Category: "neighbour", Description: "楼上漏水多次协商未果", StationID: noticeStation}
	reqs := &memRequests{reqs: map[int64]*m.Request{r.ID: &r}}
	dir := stubAreas{candidates: candidates}
	notices := &noticeRecorder{}
	return &m.Service{Tx: txNow{}, Requests: reqs, Records: approvedRecords{}, Directory: dir, Orders: dir, Signals: dir, Audit: dir,
		Rooms: dir, Notices: notices, Clock: domain.ClockFunc(func() time.Time { return noticeT0 })}, reqs, notices
}

func staffed() []m.Candidate {
	return []m.Candidate{
		{UserID: leadID, Side: m.SideLegal, Stations: []int64{noticeStation}, OnDuty: true, Specialties: []string{"neighbour"}},
		{UserID: copID, Side: m.SidePolice, Stations: []int64{noticeStation}, OnDuty: true},
	}
}

func TestCaseEventsNotifyTheFiler(t *testing.T) {
	screen := func(s *m.Service, a domain.Actor) error {
		_, err := s.Screen(context.Background(), a, noticeRequestID, m.Screening{Classification: m.ClassCivil})
		return err
	}
	transition := func(action m.Action) func(*m.Service, domain.Actor) error {
		return func(s *m.Service, a domain.Actor) error {
			_, err := s.Transition(context.Background(), a, noticeRequestID, action, "")
			return err
		}
	}
	tests := []struct {
		name       string
		request    m.Request
		candidates []m.Candidate
		actor      domain.Actor
		do         func(*m.Service, domain.Actor) error
		noPort     bool
		want       []sentNotice // only kind, dedupe and userID are compared; title checked when set, body must contain body
	}{
		{name: "an assignment notifies the filer once", request: m.Request{Status: m.StatusFiled}, candidates: staffed(),
			actor: theOfficer, do: screen,
			want: []sentNotice{{userID: filerID, kind: m.NoticeCaseAssigned, title: "您的调解申请已分派律师", dedupe: "req:9:assigned"}}},
		{name: "a rejection tells the filer why", request: m.Request{Status: m.StatusFiled}, actor: theOfficer,
			do: func(s *m.Service, a domain.Actor) error {
				_, err := s.Screen(context.Background(), a, noticeRequestID, m.Screening{Reject: true, Reason: "不属于调解范围"})
				return err
			},
			want: []sentNotice{{userID: filerID, kind: m.NoticeRequestRejected, title: "您的申请未被受理", dedupe: "req:9:rejected", body: "不属于调解范围"}}},
		{name: "a screening nobody can take tells the filer nothing yet", request: m.Request{Status: m.StatusFiled},
			actor: theOfficer, do: screen},
		{name: "an officer screening their own request is not told of it", request: m.Request{Status: m.StatusFiled, FilerID: copID},
			candidates: staffed(), actor: theOfficer, do: screen},
		{name: "without an inbox the assignment still happens quietly", request: m.Request{Status: m.StatusFiled}, candidates: staffed(),
			actor: theOfficer, do: screen, noPort: true},
		{name: "starting mediation tells nobody", request: m.Request{Status: m.StatusAssigned, LeadID: leadID},
			actor: theLead, do: transition(m.ActionStart)},
		{name: "an agreement notifies the filer", request: m.Request{Status: m.StatusInMediation, LeadID: leadID},
			actor: theLead, do: transition(m.ActionAgree),
			want: []sentNotice{{userID: filerID, kind: m.NoticeCaseAgreed, title: "调解已达成协议", dedupe: "req:9:agreed"}}},
		{name: "closing the case notifies the filer", request: m.Request{Status: m.StatusAgreed, LeadID: leadID},
			actor: theOfficer, do: transition(m.ActionClose),
			want: []sentNotice{{userID: filerID, kind: m.NoticeCaseClosed, title: "案件已办结", dedupe: "req:9:closed"}}},
		{name: "the filer withdrawing is not told of it", request: m.Request{Status: m.StatusAssigned, LeadID: leadID},
			actor: theFiler, do: transition(m.ActionWithdraw)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, reqs, notices := noticeService(tt.request, tt.candidates)
			if tt.noPort {
				s.Notices = nil
			}
			if err := tt.do(s, tt.actor); err != nil {
				t.Fatalf("the change failed: %v", err)
			}
			if len(reqs.events) == 0 {
				t.Fatal("the change wrote no timeline event")
			}
			if len(notices.sent) != len(tt.want) {
				t.Fatalf("sent %d notices %+v, want %d %+v", len(notices.sent), notices.sent, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				got := notices.sent[i]
				if got.userID != w.userID || got.kind != w.kind || got.dedupe != w.dedupe || got.requestID != noticeRequestID ||
					(w.title != "" && got.title != w.title) || !strings.Contains(got.body, "编号 9") || !strings.Contains(got.body, w.body) {
					t.Errorf("notice %d = %+v, want %+v about request 9", i, got, w)
				}
			}
		})
	}
}

func TestOpeningARoomTellsTheFilerWhen(t *testing.T) {
	s, _, notices := noticeService(m.Request{Status: m.StatusInMediation, LeadID: leadID}, nil)
	from := time.Date(2026, 3, 3, 6, 30, 0, 0, time.UTC) // 14:30 in Beijing
	room, err := s.OpenRoom(context.Background(), theLead, noticeRequestID, from, from.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(notices.sent) != 1 {
		t.Fatalf("sent %+v, want one notice to the filer", notices.sent)
	}
	got := notices.sent[0]
	if got.userID != filerID || got.kind != m.NoticeSessionScheduled || got.title != "视频调解已安排" ||
		got.dedupe != "req:9:session:"+room.ID || !strings.Contains(got.body, "2026年3月3日 14:30") {
		t.Fatalf("notice = %+v; want the session at 2026年3月3日 14:30 Beijing time, keyed by the room", got)
	}
}
