package mediation

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Why a room ended, when its owner ended it.
const (
	RoomEndCaseEnded    = "case_ended"
	RoomEndBookingEnded = "booking_ended"
)

func errRoomEnded() error {
	return domain.Errorf(domain.KindFailedPrecondition, "room.ended", "This mediation session has ended.")
}

func errRoomRemoved() error {
	return domain.Errorf(domain.KindForbidden, "room.removed", "You were removed from this session.")
}

// roomStillOpen refuses a room that has ended, or whose case or booking has
// ended (ending it then, so the SFU learns it too), and a person a host
// removed from it.
func (s *Service) roomStillOpen(ctx context.Context, room *VideoRoom, userID int64) error {
	if err := s.endIfOwnerEnded(ctx, room); err != nil {
		return err
	}
	if room.EndedAt != nil {
		return errRoomEnded()
	}
	for _, id := range room.Removed {
		if id == userID {
			return errRoomRemoved()
		}
	}
	return nil
}

// endIfOwnerEnded ends a room whose case is no longer being mediated or
// whose visit booking is no longer approved: a closed case's room must not
// admit the family again.
func (s *Service) endIfOwnerEnded(ctx context.Context, room *VideoRoom) error {
	if room.EndedAt != nil {
		return nil
	}
	open, reason := true, ""
	if room.OwnerType == RoomOfVisit {
		if s.Visits != nil {
			ok, err := s.Visits.BookingOpen(ctx, room.BookingID)
			if err != nil {
				return err
			}
			open, reason = ok, RoomEndBookingEnded
		}
	} else {
		r, err := s.Requests.Request(ctx, room.RequestID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		open, reason = err == nil && mediating(r.Status), RoomEndCaseEnded
	}
	if open {
		return nil
	}
	now := s.Clock.Now()
	if err := s.Rooms.EndRoom(ctx, room.ID, now, reason); err != nil {
		return err
	}
	room.EndedAt, room.EndReason = &now, reason
	return nil
}

// LiveRooms is the SFU as the rules see it: a case or a booking that ends
// ends its rooms at once, on this instance. (An instance hosting the room
// elsewhere learns it when it next asks RoomSpec: on a join, or on its
// periodic recheck.)
type LiveRooms interface {
	EndRoomsOf(ownerType string, ownerID int64, reason string)
}

// mediating says a case in this status may hold video mediation.
func mediating(st Status) bool { return st == StatusAssigned || st == StatusInMediation }

// LiveRoom is a room as the SFU must see it: ended when it ended, or when
// its case or booking has, with the people removed from it.
func (s *Service) LiveRoom(ctx context.Context, id string) (*VideoRoom, error) {
	room, err := s.Rooms.Room(ctx, id)
	if err != nil {
		return nil, err
	}
	return room, s.endIfOwnerEnded(ctx, room)
}

// RoomEnded stores that the SFU ended a room.
func (s *Service) RoomEnded(ctx context.Context, id string, at time.Time, reason string) error {
	return s.Rooms.EndRoom(ctx, id, at, reason)
}

// RoomRemoved stores that a host removed a person from a room (or denied
// them from its lobby).
func (s *Service) RoomRemoved(ctx context.Context, id string, userID int64, at time.Time) error {
	return s.Rooms.RemoveFromRoom(ctx, id, userID, at)
}
