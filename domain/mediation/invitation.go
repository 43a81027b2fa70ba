package mediation

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// What a host invites someone into a room as (拘调融合: more people in a
// video mediation than the parties' lawyer and the family).
const (
	InviteOtherParty  = "other_party"  // the other party of the dispute
	InviteInterpreter = "interpreter"  // 翻译
	InviteOfficial    = "official"     // village or street officials (村、街道干部)
	InviteHomeOfficer = "home_officer" // the officer of the detainee's home station
	InviteObserver    = "observer"     // a supervisor watching unseen: receives media, publishes none, is listed to nobody
)

// RoomInvitation is one person a host invited into a room.
type RoomInvitation struct {
	ID        int64
	RoomID    string
	Kind      string
	UserID    int64
	Name      string
	Role      string // their role in the room: observer, or family (they wait in the lobby)
	InvitedBy int64
	CreatedAt time.Time
}

// Invitee names the person invited: an account, or a name and phone for
// someone without one (a citizen account is made for the phone, so that
// they sign in with an SMS code and find the invitation in their inbox).
type Invitee struct {
	Kind   string
	UserID int64
	Name   string
	Phone  string
}

// RoomPerson is an account as invitations need it.
type RoomPerson struct {
	ID       int64
	Name     string
	Citizen  bool
	Disabled bool
}

// RoomPeople finds invitees' accounts (the identity area).
type RoomPeople interface {
	Person(ctx context.Context, id int64) (*RoomPerson, error)
	// CitizenForPhone is the citizen account of a phone, made (with the
	// name) if there is none, in the caller's transaction.
	CitizenForPhone(ctx context.Context, a domain.Actor, phone, name string) (*RoomPerson, error)
}

// InvitationStore keeps invitations; AddInvitation also adds the room
// invite (the role) in the caller's transaction.
type InvitationStore interface {
	AddInvitation(ctx context.Context, inv *RoomInvitation) error
	Invitations(ctx context.Context, roomID string) ([]RoomInvitation, error)
}

func validInviteKind(k string) bool {
	switch k {
	case InviteOtherParty, InviteInterpreter, InviteOfficial, InviteHomeOfficer, InviteObserver:
		return true
	}
	return false
}

// RoomLink is where an invitee opens a room: the phone app for citizens
// and families, the staff console for staff.
func RoomLink(roomID string, citizen bool) string {
	if citizen {
		return "/h5/room/" + roomID
	}
	return "/console/room/" + roomID
}

// Invite lets a host of a room bring someone in while it can still be
// joined. The invitee gets a room role (observers watch unseen; everyone
// else waits in the lobby until admitted), a notice in their inbox with
// the room's link, and can then get a join token. Observers must be staff.
func (s *Service) Invite(ctx context.Context, a domain.Actor, roomID string, in Invitee) (*RoomInvitation, error) {
	var p domain.Problems
	if !validInviteKind(in.Kind) {
		p.Add("kind", domain.FieldUnsupported, "other_party, interpreter, official, home_officer or observer")
	}
	in.Name, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone)
	switch {
	case in.UserID > 0 && (in.Name != "" || in.Phone != ""):
		p.Add("user_id", domain.FieldNotAllowed, "name a user, or a name and a phone, not both")
	case in.UserID <= 0 && (in.Name == "" || in.Phone == ""):
		p.Add("user_id", domain.FieldRequired, "name a user, or a name and a phone")
	case utf8.RuneCountInString(in.Name) > 50:
		p.Add("name", domain.FieldTooLong, "at most 50 characters")
	}
	if in.Kind == InviteObserver && in.UserID <= 0 {
		p.Add("user_id", domain.FieldRequired, "observers are staff accounts")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if s.People == nil || s.InvitationStore == nil {
		return nil, domain.Errorf(domain.KindUnavailable, "room.invitations_unavailable", "Invitations are not configured.")
	}
	var out *RoomInvitation
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		room, err := s.hostedRoom(ctx, a, roomID)
		if err != nil {
			return err
		}
		if err := s.roomStillOpen(ctx, room, 0); err != nil {
			return err
		}
		now := s.Clock.Now()
		if now.After(room.NotAfter) {
			return domain.Errorf(domain.KindFailedPrecondition, "room.outside_window", "The room is not open now.")
		}
		var who *RoomPerson
		if in.UserID > 0 {
			who, err = s.People.Person(ctx, in.UserID)
			if domain.IsKind(err, domain.KindNotFound) || err == nil && who.Disabled {
				return domain.Invalid(domain.FieldError{Field: "user_id", Code: domain.FieldDoesNotExist, Message: "no such user"})
			}
		} else {
			who, err = s.People.CitizenForPhone(ctx, a, in.Phone, in.Name)
		}
		if err != nil {
			return err
		}
		if in.Kind == InviteObserver && who.Citizen {
			return domain.Invalid(domain.FieldError{Field: "user_id", Code: domain.FieldNotAllowed, Message: "observers are staff"})
		}
		if containsInvite(room.Invites, who.ID) {
			return domain.Errorf(domain.KindConflict, "room.already_invited", "This person is already invited to the room.")
		}
		name := in.Name
		if name == "" {
			name = who.Name
		}
		inv := &RoomInvitation{RoomID: room.ID, Kind: in.Kind, UserID: who.ID, Name: name, Role: RoomFamily, InvitedBy: a.UserID, CreatedAt: now}
		if in.Kind == InviteObserver {
			inv.Role = RoomObserver
		}
		if err := s.InvitationStore.AddInvitation(ctx, inv); err != nil {
			return err
		}
		resource, resourceID := "request", room.RequestID
		if room.OwnerType == RoomOfVisit {
			resource, resourceID = "visit_booking", room.BookingID
		} else if err := s.Requests.AppendEvent(ctx, &Event{RequestID: room.RequestID, At: now, ActorID: a.UserID, ActorRole: a.PrimaryRole(),
			Type: "room_invited", Note: in.Kind + " " + room.ID}); err != nil {
			return err
		}
		if s.Notices != nil {
			when := room.NotBefore.In(chinaTime).Format("2006-01-02 15:04")
			link := RoomLink(room.ID, who.Citizen)
			body := "您被邀请参加" + when + "开始的视频调解（" + inviteKindText[in.Kind] + "）。进入：" + link
			key := "room:" + room.ID + ":invite:" + itoa(who.ID)
			// The link also goes in its own field where the inbox keeps one,
			// so the apps open the room with one tap.
			var err error
			if ln, ok := s.Notices.(LinkNotices); ok {
				err = ln.NotifyLink(ctx, who.ID, NoticeRoomInvitation, "视频调解邀请", body, resourceID, key, link)
			} else {
				err = s.Notices.Notify(ctx, who.ID, NoticeRoomInvitation, "视频调解邀请", body, resourceID, key)
			}
			if err != nil {
				return err
			}
		}
		out = inv
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "room.invite", resource, resourceID, room.ID+" "+in.Kind+" "+itoa(who.ID)))
	})
	return out, err
}

// NoticeRoomInvitation is the notice an invitee gets.
const NoticeRoomInvitation = "room_invitation"

var inviteKindText = map[string]string{InviteOtherParty: "对方当事人", InviteInterpreter: "翻译", InviteOfficial: "村、街道干部",
	InviteHomeOfficer: "属地派出所民警", InviteObserver: "观察员"}

// chinaTime is UTC+8 all year.
var chinaTime = time.FixedZone("CST", 8*3600)

// Invitations lists a room's invitations, for its hosts.
func (s *Service) Invitations(ctx context.Context, a domain.Actor, roomID string) ([]RoomInvitation, error) {
	if _, err := s.hostedRoom(ctx, a, roomID); err != nil {
		return nil, err
	}
	if s.InvitationStore == nil {
		return nil, nil
	}
	return s.InvitationStore.Invitations(ctx, roomID)
}

// hostedRoom loads a room the actor hosts; to anyone else it does not
// exist, unless they are invited in another role (then: forbidden).
func (s *Service) hostedRoom(ctx context.Context, a domain.Actor, roomID string) (*VideoRoom, error) {
	room, err := s.Rooms.Room(ctx, roomID)
	if err != nil {
		return nil, err
	}
	if containsHost(room.Invites, a.UserID) {
		return room, nil
	}
	if containsInvite(room.Invites, a.UserID) {
		return nil, domain.Errorf(domain.KindForbidden, "room.hosts_only", "Only the room's hosts invite people.")
	}
	return nil, domain.Errorf(domain.KindNotFound, "room.not_found", "No such room.")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
