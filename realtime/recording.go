package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media/h264writer"
	"github.com/pion/webrtc/v4/pkg/media/ivfwriter"
	"github.com/pion/webrtc/v4/pkg/media/oggwriter"
)

// Recording is the metadata of one recorded track: one participant's audio
// or video for one connection. StartedAt is the start marker; EndedAt (zero
// while recording) the stop marker.
type Recording struct {
	ID            string    `json:"id"`
	RoomID        string    `json:"room_id"`
	Owner         Owner     `json:"owner"`
	ParticipantID string    `json:"participant_id"`
	Role          Role      `json:"role"`
	Kind          string    `json:"kind"`  // audio or video
	Codec         string    `json:"codec"` // MIME type: audio/opus, video/VP8, video/H264
	Container     string    `json:"container"`
	StorageKey    string    `json:"storage_key"`
	StartedAt     time.Time `json:"started_at"`
	EndedAt       time.Time `json:"ended_at,omitzero"`
	Bytes         int64     `json:"bytes"`
	Frames        int64     `json:"frames"`
	SHA256        string    `json:"sha256,omitempty"`
	EndReason     string    `json:"end_reason,omitempty"`
}

// ContentType is what the file is served as.
func (r Recording) ContentType() string {
	switch r.Container {
	case "ogg":
		return "audio/ogg"
	case "ivf":
		return "video/x-ivf"
	default:
		return "video/h264"
	}
}

// RecordingStore keeps recording metadata. RecordingStarted is called when a
// track's recording begins (so an interrupted one is still known),
// RecordingFinished once its file is in storage.
type RecordingStore interface {
	RecordingStarted(ctx context.Context, r Recording) error
	RecordingFinished(ctx context.Context, r Recording) error
	RecordingsOf(ctx context.Context, roomID string) ([]Recording, error)
	Recording(ctx context.Context, id string) (Recording, error)
}

// trackRecorder writes one track into a temporary file and hands it to the
// FileStorage when finished. Only the track's forwarding goroutine uses it.
type trackRecorder struct {
	hub  *Hub
	meta Recording
	path string
	w    interface {
		WriteRTP(*rtp.Packet) error
		Close() error
	}
	failed bool
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// startRecording opens the writer for a track, or returns nil (logged) when
// the codec cannot be recorded or the disk refuses: forwarding goes on.
func (h *Hub) startRecording(r *Room, p *participant, codec webrtc.RTPCodecParameters, kind string) *trackRecorder {
	if h.deps.Storage == nil {
		return nil
	}
	now := h.now()
	meta := Recording{ID: newID(), RoomID: r.spec.ID, Owner: r.spec.Owner, ParticipantID: p.id, Role: p.role,
		Kind: kind, Codec: codec.MimeType, StartedAt: now}
	f, err := os.CreateTemp(h.cfg.TempDir, "tiaojie-rec-*")
	if err != nil {
		h.log.Error("recording: temp file", "room", r.spec.ID, "err", err)
		return nil
	}
	path := f.Name()
	_ = f.Close()
	var w interface {
		WriteRTP(*rtp.Packet) error
		Close() error
	}
	switch {
	case strings.EqualFold(codec.MimeType, webrtc.MimeTypeOpus):
		meta.Container = "ogg"
		w, err = oggwriter.New(path, 48000, codec.Channels)
	case strings.EqualFold(codec.MimeType, webrtc.MimeTypeVP8):
		meta.Container = "ivf"
		w, err = ivfwriter.New(path, ivfwriter.WithCodec(webrtc.MimeTypeVP8))
	case strings.EqualFold(codec.MimeType, webrtc.MimeTypeH264):
		meta.Container = "h264"
		w, err = h264writer.New(path)
	default:
		err = fmt.Errorf("codec %s is not recorded", codec.MimeType)
	}
	if err != nil {
		_ = os.Remove(path)
		h.log.Error("recording: open writer", "room", r.spec.ID, "codec", codec.MimeType, "err", err)
		return nil
	}
	meta.StorageKey = fmt.Sprintf("%s/%s/%s-%s-%s-%s.%s", h.cfg.RecordingPrefix, r.spec.ID, p.id, kind,
		now.UTC().Format("20060102T150405Z"), meta.ID, meta.Container)
	rec := &trackRecorder{hub: h, meta: meta, path: path, w: w}
	ctx, cancel := context.WithTimeout(context.Background(), h.cfg.StoreTimeout)
	defer cancel()
	if h.deps.Recordings != nil {
		if err := h.deps.Recordings.RecordingStarted(ctx, meta); err != nil {
			h.log.Error("recording: store start marker", "recording", meta.ID, "err", err)
		}
	}
	h.emit(Event{RoomID: r.spec.ID, Owner: r.spec.Owner, Kind: EventRecordingStarted, ParticipantID: p.id, Role: p.role,
		Detail: kind, At: now})
	return rec
}

func (t *trackRecorder) write(pkt *rtp.Packet) {
	if t == nil || t.failed {
		return
	}
	if err := t.w.WriteRTP(pkt); err != nil {
		// A malformed packet from a client is not worth the whole file;
		// a write error (disk full) stops this recording.
		var pe *os.PathError
		if errors.As(err, &pe) {
			t.failed = true
			t.hub.log.Error("recording: write", "recording", t.meta.ID, "err", err)
		}
		return
	}
	if t.meta.Kind == "audio" || pkt.Marker {
		t.meta.Frames++
	}
}

// finish closes the file, puts it into storage and records the stop marker.
// It runs on every exit path of the forwarding goroutine.
func (t *trackRecorder) finish(reason string) {
	if t == nil {
		return
	}
	h := t.hub
	t.meta.EndedAt = h.now()
	t.meta.EndReason = reason
	if err := t.w.Close(); err != nil {
		h.log.Error("recording: close writer", "recording", t.meta.ID, "err", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), h.cfg.StoreTimeout)
	defer cancel()
	f, err := os.Open(t.path)
	if err == nil {
		t.meta.Bytes, t.meta.SHA256, err = h.deps.Storage.Put(ctx, t.meta.StorageKey, f, h.cfg.MaxRecordingBytes)
		_ = f.Close()
	}
	if err != nil {
		// Never lose a recording: keep the local file where an operator can
		// find it, and say where.
		kept := filepath.Join(filepath.Dir(t.path), "unstored-"+t.meta.ID+"."+t.meta.Container)
		_ = os.Rename(t.path, kept)
		h.log.Error("recording: store file; kept locally", "recording", t.meta.ID, "path", kept, "err", err)
	} else {
		_ = os.Remove(t.path)
	}
	if h.deps.Recordings != nil {
		if err := h.deps.Recordings.RecordingFinished(ctx, t.meta); err != nil {
			h.log.Error("recording: store stop marker", "recording", t.meta.ID, "err", err)
		}
	}
	h.emit(Event{RoomID: t.meta.RoomID, Owner: t.meta.Owner, Kind: EventRecordingStopped, ParticipantID: t.meta.ParticipantID,
		Role: t.meta.Role, Detail: t.meta.Kind, At: t.meta.EndedAt})
}

// MemoryRecordings is a RecordingStore in memory, for tests and for running
// before a database-backed one is wired.
type MemoryRecordings struct {
	mu   sync.Mutex
	recs []Recording
}

var _ RecordingStore = (*MemoryRecordings)(nil)

// RecordingStarted implements RecordingStore.
func (m *MemoryRecordings) RecordingStarted(_ context.Context, r Recording) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.recs = append(m.recs, r)
	return nil
}

// RecordingFinished implements RecordingStore.
func (m *MemoryRecordings) RecordingFinished(_ context.Context, r Recording) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.recs {
		if m.recs[i].ID == r.ID {
			m.recs[i] = r
			return nil
		}
	}
	m.recs = append(m.recs, r)
	return nil
}

// RecordingsOf implements RecordingStore.
func (m *MemoryRecordings) RecordingsOf(_ context.Context, roomID string) ([]Recording, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Recording
	for _, r := range m.recs {
		if r.RoomID == roomID {
			out = append(out, r)
		}
	}
	return out, nil
}

// Recording implements RecordingStore.
func (m *MemoryRecordings) Recording(_ context.Context, id string) (Recording, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		if r.ID == id {
			return r, nil
		}
	}
	return Recording{}, errNotFound("recording.not_found", "No such recording.")
}
