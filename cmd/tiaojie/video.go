package main

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/api"
	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/realtime"
)

// videoRooms adapts the mediation area's rooms and the recording store to
// the SFU's ports, and the SFU's events to the case timeline.
type videoRooms struct {
	med        *mediation.Service
	recordings *mysql.RecordingStore
	log        *slog.Logger
}

var (
	_ realtime.RoomSource     = (*videoRooms)(nil)
	_ realtime.RecordingStore = (*videoRooms)(nil)
	_ realtime.EventSink      = (*videoRooms)(nil)
	_ api.RecordingReader     = (*videoRooms)(nil)
)

// RoomSpec implements realtime.RoomSource.
func (v *videoRooms) RoomSpec(ctx context.Context, roomID string) (realtime.RoomSpec, error) {
	r, err := v.med.LiveRoom(ctx, roomID)
	if err != nil {
		return realtime.RoomSpec{}, err
	}
	owner := realtime.Owner{Type: mediation.RoomOfCase, ID: r.RequestID}
	if r.OwnerType == mediation.RoomOfVisit {
		owner = realtime.Owner{Type: mediation.RoomOfVisit, ID: r.BookingID}
	}
	spec := realtime.RoomSpec{ID: r.ID, Owner: owner,
		NotBefore: r.NotBefore.Add(-mediation.RoomEarly), NotAfter: r.NotAfter, Ended: r.EndedAt != nil}
	for _, id := range r.Removed {
		spec.Removed = append(spec.Removed, "u"+strconv.FormatInt(id, 10))
	}
	for _, inv := range r.Invites {
		spec.Invited = append(spec.Invited, realtime.Invite{ParticipantID: "u" + strconv.FormatInt(inv.UserID, 10), Role: realtime.Role(inv.Role)})
	}
	return spec, nil
}

func toRow(r realtime.Recording) mysql.RecordingRow {
	row := mysql.RecordingRow{ID: r.ID, RoomID: r.RoomID, OwnerType: r.Owner.Type, OwnerID: r.Owner.ID, ParticipantID: r.ParticipantID,
		Role: string(r.Role), Kind: r.Kind, Codec: r.Codec, Container: r.Container, StorageKey: r.StorageKey, StartedAt: r.StartedAt,
		SizeBytes: r.Bytes, Frames: r.Frames, Sha256: r.SHA256, EndReason: r.EndReason}
	if !r.EndedAt.IsZero() {
		t := r.EndedAt
		row.EndedAt = &t
	}
	return row
}

func fromRow(row mysql.RecordingRow) realtime.Recording {
	r := realtime.Recording{ID: row.ID, RoomID: row.RoomID, Owner: realtime.Owner{Type: row.OwnerType, ID: row.OwnerID},
		ParticipantID: row.ParticipantID, Role: realtime.Role(row.Role), Kind: row.Kind, Codec: row.Codec, Container: row.Container,
		StorageKey: row.StorageKey, StartedAt: row.StartedAt, Bytes: row.SizeBytes, Frames: row.Frames, SHA256: row.Sha256, EndReason: row.EndReason}
	if row.EndedAt != nil {
		r.EndedAt = *row.EndedAt
	}
	return r
}

// RecordingStarted implements realtime.RecordingStore.
func (v *videoRooms) RecordingStarted(ctx context.Context, r realtime.Recording) error {
	return v.recordings.Started(ctx, toRow(r))
}

// RecordingFinished implements realtime.RecordingStore.
func (v *videoRooms) RecordingFinished(ctx context.Context, r realtime.Recording) error {
	return v.recordings.Finished(ctx, toRow(r))
}

// RecordingsOf implements realtime.RecordingStore.
func (v *videoRooms) RecordingsOf(ctx context.Context, roomID string) ([]realtime.Recording, error) {
	rows, err := v.recordings.Of(ctx, roomID)
	out := make([]realtime.Recording, len(rows))
	for i, r := range rows {
		out[i] = fromRow(r)
	}
	return out, err
}

// Recording implements realtime.RecordingStore.
func (v *videoRooms) Recording(ctx context.Context, id string) (realtime.Recording, error) {
	row, err := v.recordings.One(ctx, id)
	if err != nil {
		return realtime.Recording{}, err
	}
	return fromRow(row), nil
}

// RoomEvent implements realtime.EventSink: a room's end and its removals
// are stored (so that no instance reopens it or readmits the removed, also
// after a restart), and joins, leaves, mutes, removals and the end go to
// the case timeline.
func (v *videoRooms) RoomEvent(ctx context.Context, e realtime.Event) error {
	switch e.Kind {
	case realtime.EventEnded:
		if e.Detail != realtime.EndServerShutdown { // a restart does not end a room
			if err := v.med.RoomEnded(ctx, e.RoomID, e.At, e.Detail); err != nil {
				return err
			}
		}
	case realtime.EventRemoved, realtime.EventDenied:
		if id, err := strconv.ParseInt(strings.TrimPrefix(e.ParticipantID, "u"), 10, 64); err == nil && strings.HasPrefix(e.ParticipantID, "u") {
			if err := v.med.RoomRemoved(ctx, e.RoomID, id, e.At); err != nil {
				return err
			}
		}
	}
	if e.Owner.Type != "case" {
		return nil
	}
	detail := e.Detail
	if e.ByID != "" {
		detail = strings.TrimSpace(detail + " by " + e.ByID)
	}
	return v.med.RoomEvent(ctx, e.Owner.ID, e.Kind, e.ParticipantID, detail, e.At)
}

// newHub builds the SFU with its ports.
func newHub(cfg Config, key ed25519.PrivateKey, rooms *videoRooms, files mediation.FileStorage, log *slog.Logger) (*realtime.Hub, *realtime.RoomTokens, error) {
	if err := os.MkdirAll(cfg.RTC.TempDir, 0o750); err != nil { // recordings are written here before storage
		return nil, nil, err
	}
	tokens, err := realtime.NewRoomTokens(key, "tiaojie", realtime.MaxRoomTokenTTL, nil)
	if err != nil {
		return nil, nil, err
	}
	hub, err := realtime.NewHub(cfg.RTC, realtime.Deps{Tokens: tokens, Rooms: rooms, Storage: files, Recordings: rooms, Events: rooms,
		Clock: domain.ClockFunc(time.Now), Log: log.With("component", "realtime")})
	return hub, tokens, err
}

// liveRooms lets the mediation and detention rules end the rooms of a case
// or booking on this instance's SFU.
type liveRooms struct{ hub *realtime.Hub }

func (l liveRooms) EndRoomsOf(ownerType string, ownerID int64, reason string) {
	l.hub.EndRoomsOf(realtime.Owner{Type: ownerType, ID: ownerID}, reason)
}
