package mediation

import (
	"context"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Notices tells a citizen what happened to their case, in the app's inbox
// (站内消息). Notify runs inside the transaction of the change it reports,
// so a notice exists exactly when the change does; a dedupeKey already used
// adds nothing, so a retried change tells nobody twice.
type Notices interface {
	Notify(ctx context.Context, userID int64, kind, title, body string, requestID int64, dedupeKey string) error
}

// LinkNotices is Notices that can also carry a link into the citizen app;
// the inbox implements it. A notice with a link (the video room of a
// scheduled session) goes through it when the port offers it.
type LinkNotices interface {
	NotifyLink(ctx context.Context, userID int64, kind, title, body string, requestID int64, dedupeKey, link string) error
}

// RoomLink is where a citizen or family member opens a video room in the
// citizen app (H5); staff open it in the console at /console/room/<id>.
func RoomLink(roomID string) string { return "/h5/room/" + roomID }

// Kinds of notices to the filer.
const (
	NoticeCaseAssigned     = "case_assigned"
	NoticeCaseAgreed       = "case_agreed"
	NoticeCaseClosed       = "case_closed"
	NoticeSessionScheduled = "session_scheduled"
	NoticeRequestRejected  = "request_rejected"
)

// notice is one message to a request's filer.
type notice struct {
	kind, title, body, what string // what ends the dedupe key: req:<id>:<what>
	link                    string // a path in the citizen app, or ""
}

// noticeOf says what the filer hears of a timeline event: the request is
// rejected (with the reason, so the citizen knows what to do next), the case
// gets its lead, reaches an agreement, is closed. Other events say nothing.
func noticeOf(r *Request, e Event) (notice, bool) {
	if e.FromStatus == e.ToStatus {
		return notice{}, false
	}
	no := "（编号 " + strconv.FormatInt(r.ID, 10) + "）"
	switch e.ToStatus {
	case StatusRejected:
		reason := r.RejectReason
		if reason == "" {
			reason = e.Note
		}
		return notice{NoticeRequestRejected, "您的申请未被受理", "您的申请" + no + "未被受理，原因：" + reason +
			"。如有疑问，请联系受理的派出所；情况有变化或补充材料后，可以重新提交申请。", "rejected", ""}, true
	case StatusAssigned:
		return notice{NoticeCaseAssigned, "您的调解申请已分派律师", "您的调解申请" + no + "已分派承办律师，承办人员将尽快与您联系。", "assigned", ""}, true
	case StatusAgreed:
		return notice{NoticeCaseAgreed, "调解已达成协议", "您的案件" + no + "已达成调解协议，调解记录审核通过后即可结案。", "agreed", ""}, true
	case StatusClosed:
		return notice{NoticeCaseClosed, "案件已办结", "您的案件" + no + "已办结，欢迎对本次调解服务作出评价。", "closed", ""}, true
	}
	return notice{}, false
}

// sessionNotice tells the filer a video mediation was scheduled, with its
// start in Beijing time (China has one zone and no daylight saving).
func sessionNotice(r *Request, room *VideoRoom) notice {
	start := room.NotBefore.In(time.FixedZone("CST", 8*60*60)).Format("2006年1月2日 15:04")
	return notice{NoticeSessionScheduled, "视频调解已安排",
		"您的案件（编号 " + strconv.FormatInt(r.ID, 10) + "）的视频调解定于 " + start + "（北京时间）开始，请届时点击本消息进入调解室等候。",
		"session:" + room.ID, RoomLink(room.ID)}
}

// tellFiler sends n to the request's filer, unless nobody listens or the
// filer is the actor (nobody is told of their own action).
func (s *Service) tellFiler(ctx context.Context, a domain.Actor, r *Request, n notice) error {
	if s.Notices == nil || r.FilerID == 0 || r.FilerID == a.UserID {
		return nil
	}
	key := "req:" + strconv.FormatInt(r.ID, 10) + ":" + n.what
	if ln, ok := s.Notices.(LinkNotices); ok && n.link != "" {
		return ln.NotifyLink(ctx, r.FilerID, n.kind, n.title, n.body, r.ID, key, n.link)
	}
	return s.Notices.Notify(ctx, r.FilerID, n.kind, n.title, n.body, r.ID, key)
}

// tellFilerOf sends the notices the events of one change call for.
func (s *Service) tellFilerOf(ctx context.Context, a domain.Actor, r *Request, events []Event) error {
	for _, e := range events {
		if n, ok := noticeOf(r, e); ok {
			if err := s.tellFiler(ctx, a, r, n); err != nil {
				return err
			}
		}
	}
	return nil
}
