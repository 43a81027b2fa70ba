package mediation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Room roles (the SFU's): hosts run the mediation, family and detainee
// terminals wait in the lobby until admitted, observers only watch.
const (
	RoomHost             = "host"
	RoomFamily           = "family"
	RoomDetaineeTerminal = "detainee_terminal"
	RoomObserver         = "observer"
)

// RoomInvite is one person invited to a room, in a role.
type RoomInvite struct {
	UserID int64
	Role   string
}

// Owners of rooms: a case's mediation, or a family's remote visit.
const (
	RoomOfCase  = "case"
	RoomOfVisit = "visit"
)

// VideoRoom is a remote mediation room of a case, or the room of a remote
// visit booking at a detention centre.
type VideoRoom struct {
	ID        string
	OwnerType string // RoomOfCase ("" reads as one) or RoomOfVisit
	RequestID int64  // the case, for a case room
	BookingID int64  // the booking, for a visit room
	NotBefore time.Time
	NotAfter  time.Time
	CreatedBy int64
	CreatedAt time.Time
	Invites   []RoomInvite
	// EndedAt is set once the room has ended (a host ended it, it emptied
	// out, its window closed, or its case or booking ended); Removed are
	// the people a host removed or denied. Both outlive the SFU's memory.
	EndedAt   *time.Time
	EndReason string
	Removed   []int64
}

// RoomStore keeps rooms.
type RoomStore interface {
	CreateRoom(ctx context.Context, r *VideoRoom) error
	Room(ctx context.Context, id string) (*VideoRoom, error)
	EndRoom(ctx context.Context, id string, at time.Time, reason string) error
	RemoveFromRoom(ctx context.Context, id string, userID int64, at time.Time) error
}

// Longest and earliest a room may be scheduled.
const (
	MaxRoomWindow = 12 * time.Hour
	RoomEarly     = 15 * time.Minute // hosts may open the room this long before the window
)

// OpenRoom schedules a video mediation for a case: the lead and the
// assistant host it, the filer is invited as family (and waits in the lobby
// until a host admits them). Only the people working the case, or police
// and supervisors of its station, open rooms, and only while it is being
// mediated.
func (s *Service) OpenRoom(ctx context.Context, a domain.Actor, requestID int64, from, to time.Time) (*VideoRoom, error) {
	now := s.Clock.Now()
	if from.IsZero() {
		from = now
	}
	if to.IsZero() {
		to = from.Add(2 * time.Hour)
	}
	var p domain.Problems
	if !to.After(from) || to.Sub(from) > MaxRoomWindow {
		p.Add("not_after", domain.FieldOutOfRange, "the window is at most 12 hours and ends after it starts")
	}
	if to.Before(now) {
		p.Add("not_after", domain.FieldOutOfRange, "the window has already ended")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var room *VideoRoom
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Requests.Request(ctx, requestID)
		if err != nil {
			return err
		}
		if err := s.mayRead(ctx, a, r); err != nil {
			return err
		}
		if err := s.mayAct(ctx, a, r, ActionStart); err != nil {
			return err
		}
		if r.Status != StatusAssigned && r.Status != StatusInMediation {
			return domain.Errorf(domain.KindFailedPrecondition, "room.case_not_in_mediation", "A video room is opened for a case being mediated.")
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		room = &VideoRoom{ID: "case-" + strconv.FormatInt(r.ID, 10) + "-" + hex.EncodeToString(b), RequestID: r.ID,
			NotBefore: from, NotAfter: to, CreatedBy: a.UserID, CreatedAt: now}
		for _, inv := range []RoomInvite{{r.LeadID, RoomHost}, {r.AssistantID, RoomHost}, {r.FilerID, RoomFamily}} {
			if inv.UserID != 0 {
				room.Invites = append(room.Invites, inv)
			}
		}
		if !containsInvite(room.Invites, a.UserID) {
			room.Invites = append(room.Invites, RoomInvite{a.UserID, RoomHost}) // the opener runs it
		}
		if err := s.Rooms.CreateRoom(ctx, room); err != nil {
			return err
		}
		if err := s.Requests.AppendEvent(ctx, &Event{RequestID: r.ID, At: now, ActorID: a.UserID, ActorRole: a.PrimaryRole(),
			Type: "room_opened", FromStatus: r.Status, ToStatus: r.Status, Note: room.ID}); err != nil {
			return err
		}
		if err := s.tellFiler(ctx, a, r, sessionNotice(r, room)); err != nil {
			return err
		}
		if err := s.worked(ctx, a, r); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "room.open", "request", r.ID, room.ID))
	})
	return room, err
}

func containsInvite(invs []RoomInvite, userID int64) bool {
	for _, i := range invs {
		if i.UserID == userID {
			return true
		}
	}
	return false
}

func containsHost(invs []RoomInvite, userID int64) bool {
	for _, i := range invs {
		if i.UserID == userID && i.Role == RoomHost {
			return true
		}
	}
	return false
}

// CreateRoom stores a room scheduled by another area (a remote visit), in
// the caller's transaction.
func (s *Service) CreateRoom(ctx context.Context, room *VideoRoom) error {
	return s.Rooms.CreateRoom(ctx, room)
}

// JoinGrant says in which role the actor may join a room, if the room is
// open: invited people only (anyone else is told it does not exist), within
// its window (hosts a little early).
func (s *Service) JoinGrant(ctx context.Context, a domain.Actor, roomID string) (*VideoRoom, RoomInvite, error) {
	hidden := domain.Errorf(domain.KindNotFound, "room.not_found", "No such room.")
	room, err := s.Rooms.Room(ctx, roomID)
	if err != nil {
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, RoomInvite{}, hidden
		}
		return nil, RoomInvite{}, err
	}
	var inv RoomInvite
	for _, i := range room.Invites {
		if i.UserID == a.UserID && a.UserID != 0 {
			inv = i
		}
	}
	if inv.Role == "" {
		return nil, RoomInvite{}, hidden
	}
	if err := s.roomStillOpen(ctx, room, a.UserID); err != nil {
		return nil, RoomInvite{}, err
	}
	now := s.Clock.Now()
	opens := room.NotBefore
	if inv.Role == RoomHost {
		opens = opens.Add(-RoomEarly)
	}
	if now.Before(opens) {
		e := domain.Errorf(domain.KindFailedPrecondition, "room.not_yet_open", "The room is not open yet.")
		e.StartsAt = opens
		return nil, RoomInvite{}, e
	}
	if now.After(room.NotAfter) {
		return nil, RoomInvite{}, domain.Errorf(domain.KindFailedPrecondition, "room.outside_window", "The room is not open now.")
	}
	resource, id := "request", room.RequestID
	if room.OwnerType == RoomOfVisit {
		resource, id = "visit_booking", room.BookingID
	}
	return room, inv, s.Audit.Audit(ctx, domain.AuditOf(a, now, "room.join_token", resource, id, room.ID))
}

// Room returns a room as scheduled (for the SFU).
func (s *Service) Room(ctx context.Context, id string) (*VideoRoom, error) {
	return s.Rooms.Room(ctx, id)
}

// MayReviewRecordings checks that the actor may list a room's recordings
// and audits the read: for a case, staff who may read it (and the room's
// hosts); for a remote visit, its hosts, and the staff of its centre and
// the supervisors and admins above it. Anyone else is told the room does
// not exist.
func (s *Service) MayReviewRecordings(ctx context.Context, a domain.Actor, roomID string) (*VideoRoom, error) {
	return s.reviewRecordings(ctx, a, roomID, "recording.read", roomID)
}

// MayPlayRecording is MayReviewRecordings for playing (downloading) one
// recording: every playback is audited with the recording it names.
func (s *Service) MayPlayRecording(ctx context.Context, a domain.Actor, roomID, recordingID string) (*VideoRoom, error) {
	return s.reviewRecordings(ctx, a, roomID, "recording.play", roomID+"/"+recordingID)
}

func (s *Service) reviewRecordings(ctx context.Context, a domain.Actor, roomID, action, detail string) (*VideoRoom, error) {
	hidden := domain.Errorf(domain.KindNotFound, "room.not_found", "No such room.")
	room, err := s.Rooms.Room(ctx, roomID)
	if err != nil {
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, hidden
		}
		return nil, err
	}
	if room.OwnerType == RoomOfVisit {
		// The visit's hosts, the staff of its centre, and supervisors and
		// admins above it only: the role alone opened every district's visits.
		ok, err := s.mayReviewVisit(ctx, a, room)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, hidden
		}
		return room, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), action, "visit_booking", room.BookingID, detail))
	}
	r, err := s.Requests.Request(ctx, room.RequestID)
	if err != nil {
		return nil, err
	}
	if a.Has(RoleCitizen) || (s.mayRead(ctx, a, r) != nil && !containsHost(room.Invites, a.UserID)) {
		return nil, hidden
	}
	return room, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), action, "request", r.ID, detail))
}

func (s *Service) mayReviewVisit(ctx context.Context, a domain.Actor, room *VideoRoom) (bool, error) {
	if a.Has(RoleCitizen) {
		return false, nil
	}
	if containsHost(room.Invites, a.UserID) {
		return true, nil
	}
	if !a.Has(RoleSupervisor, RoleAdmin, RoleDetention) || s.Visits == nil {
		return false, nil
	}
	return s.Visits.StaffOfBooking(ctx, a, room.BookingID)
}

// RoomEvent puts what happened in a room on the case timeline.
func (s *Service) RoomEvent(ctx context.Context, requestID int64, kind, participant, detail string, at time.Time) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.Requests.Request(ctx, requestID)
		if err != nil {
			return err
		}
		note := participant
		if detail != "" {
			note += " " + detail
		}
		return s.Requests.AppendEvent(ctx, &Event{RequestID: requestID, At: at, Type: "room_" + kind, ActorRole: "system",
			FromStatus: r.Status, ToStatus: r.Status, Note: note})
	})
}
