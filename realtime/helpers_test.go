package realtime_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// memStorage is a FileStorage in memory.
type memStorage struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memStorage) Put(_ context.Context, key string, r io.Reader, limit int64) (int64, string, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return 0, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	m.files[key] = b
	sum := sha256.Sum256(b)
	return int64(len(b)), hex.EncodeToString(sum[:]), nil
}

func (m *memStorage) Open(_ context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[key]
	if !ok {
		return nil, domain.Errorf(domain.KindNotFound, "file.not_found", "no file")
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStorage) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, key)
	return nil
}

// eventLog records room events.
type eventLog struct {
	mu     sync.Mutex
	events []realtime.Event
}

func (l *eventLog) RoomEvent(_ context.Context, e realtime.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
	return nil
}

func (l *eventLog) has(kind, participant, detail string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.events {
		if e.Kind == kind && (participant == "" || e.ParticipantID == participant) && (detail == "" || e.Detail == detail) {
			return true
		}
	}
	return false
}

type fixture struct {
	t       testing.TB
	hub     *realtime.Hub
	tokens  *realtime.RoomTokens
	storage *memStorage
	recs    *realtime.MemoryRecordings
	events  *eventLog
	api     *webrtc.API
	room    *realtime.Room
	ctx     context.Context
}

func testLogger(t testing.TB) *slog.Logger {
	if os.Getenv("REALTIME_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func newFixture(t testing.TB, cfg realtime.Config) *fixture {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(nil)
	tokens, err := realtime.NewRoomTokens(priv, "tiaojie-test", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, tokens: tokens, storage: &memStorage{}, recs: &realtime.MemoryRecordings{}, events: &eventLog{}, api: rtctest.NewAPI(t)}
	cfg.IncludeLoopback = true
	cfg.TempDir = t.TempDir()
	f.hub, err = realtime.NewHub(cfg, realtime.Deps{Tokens: tokens, Storage: f.storage, Recordings: f.recs, Events: f.events, Log: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	var cancel context.CancelFunc
	f.ctx, cancel = context.WithCancel(context.Background())
	t.Cleanup(func() {
		ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
		defer stop()
		if err := f.hub.Close(ctx); err != nil {
			t.Errorf("hub close: %v", err)
		}
		cancel()
	})
	f.room, err = f.hub.OpenRoom(realtime.RoomSpec{ID: "case-42", Owner: realtime.Owner{Type: "case", ID: 42}, Invited: []realtime.Invite{
		{ParticipantID: "host-1", Role: realtime.RoleHost, Name: "律师"},
		{ParticipantID: "family-1", Role: realtime.RoleFamily, Name: "家属"},
		{ParticipantID: "terminal-1", Role: realtime.RoleDetaineeTerminal, Name: "看守所终端"},
		{ParticipantID: "observer-1", Role: realtime.RoleObserver, Name: "督导"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) token(pid string, role realtime.Role) string {
	f.t.Helper()
	tok, _, err := f.tokens.Issue(realtime.RoomGrant{RoomID: f.room.ID(), ParticipantID: pid, Role: role})
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// join connects a client over an in-memory socket through Serve.
func (f *fixture) join(pid string, role realtime.Role) *rtctest.Client {
	f.t.Helper()
	return f.joinWith(f.t, f.room.ID(), pid, f.token(pid, role))
}

// joinWith connects a client with any token to roomID (the one in the URL)
// over an in-memory socket through Serve.
func (f *fixture) joinWith(t testing.TB, roomID, pid, token string, opts ...rtctest.Option) *rtctest.Client {
	t.Helper()
	server, client := rtctest.NewPipe()
	go func() { _ = f.hub.Serve(f.ctx, roomID, server) }()
	return rtctest.Join(t, f.api, pid, client, token, opts...)
}

// finishedRecordings waits for n finished recordings of the room.
func (f *fixture) finishedRecordings(n int) []realtime.Recording {
	f.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		recs, _ := f.recs.RecordingsOf(context.Background(), f.room.ID())
		var done []realtime.Recording
		for _, r := range recs {
			if !r.EndedAt.IsZero() {
				done = append(done, r)
			}
		}
		if len(done) >= n {
			return done
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("want %d finished recordings, have %d of %d", n, len(done), len(recs))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
