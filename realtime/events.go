package realtime

import (
	"context"
	"time"
)

// Owner is what a room belongs to: a mediation case or a remote visit
// booking. Recordings and events carry it so they land on the right
// timeline.
type Owner struct {
	Type string `json:"type"` // "case" or "booking"
	ID   int64  `json:"id"`
}

// Event kinds sent to the EventSink.
const (
	EventJoined           = "joined"
	EventLeft             = "left"
	EventMuted            = "muted"
	EventUnmuted          = "unmuted"
	EventAdmitted         = "admitted"
	EventDenied           = "denied"
	EventRemoved          = "removed"
	EventEnded            = "ended"
	EventRecordingStarted = "recording_started"
	EventRecordingStopped = "recording_stopped"
)

// Event is one thing that happened in a room, for the case timeline and the
// audit log. Detail is short and never personal data.
type Event struct {
	RoomID        string
	Owner         Owner
	Kind          string
	ParticipantID string // whom it is about
	Role          Role
	ByID          string // who did it, when someone else did (a host admitting, muting, removing)
	Detail        string
	At            time.Time
}

// EventSink receives room events in order, from one goroutine per hub. It
// should not block for long: the queue in front of it is bounded and events
// beyond it are dropped with a log line.
type EventSink interface {
	RoomEvent(ctx context.Context, e Event) error
}

// EventSinkFunc adapts a function to EventSink.
type EventSinkFunc func(ctx context.Context, e Event) error

// RoomEvent implements EventSink.
func (f EventSinkFunc) RoomEvent(ctx context.Context, e Event) error { return f(ctx, e) }
