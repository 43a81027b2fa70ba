package realtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// Config is the SFU's configuration, parsed once in cmd/tiaojie.
type Config struct {
	// UDPPortMin..UDPPortMax bound the ephemeral ports of PeerConnections.
	UDPPortMin, UDPPortMax uint16
	// UDPMuxPort, when set, carries every PeerConnection on one UDP port, so
	// a detention centre's firewall needs one hole only. It wins over the
	// range.
	UDPMuxPort int
	// NAT1To1IPs are public addresses to advertise instead of the host's
	// private ones (a cloud VM behind 1:1 NAT).
	NAT1To1IPs []string
	// STUNURLs lets the server learn its own reflexive address.
	STUNURLs []string
	// IncludeLoopback offers 127.0.0.1 candidates (tests, single-machine demos).
	IncludeLoopback bool

	MaxParticipants int           // per room unless the room says otherwise; default 8
	MaxBitrate      int           // bits/s per published video track, announced with REMB; default 1.5 Mbit/s
	ReconnectGrace  time.Duration // a dropped participant may come back this long without re-admission; default 30 s
	JoinTimeout     time.Duration // time a new socket has to send "join"; default 10 s
	SendQueue       int           // messages queued per socket before it is cut as too slow; default 256
	MaxBadMessages  int           // malformed messages tolerated per socket; default 5
	// KeyframeInterval asks publishers for a keyframe this often (recordings
	// become seekable); 0 turns it off: keyframes are then asked for when a
	// subscriber joins or loses one.
	KeyframeInterval time.Duration
	// RecheckInterval is how often the rooms open here are checked against
	// the scheduler (a case closed through another instance ends its room
	// here within it); default 10 s.
	RecheckInterval time.Duration

	TempDir           string // where recordings are written before storage; default os.TempDir()
	RecordingPrefix   string // storage key prefix; default "recordings"
	MaxRecordingBytes int64  // per file; default 8 GiB
	StoreTimeout      time.Duration
}

func (c *Config) defaults() {
	if c.MaxParticipants <= 0 {
		c.MaxParticipants = 8
	}
	if c.MaxBitrate <= 0 {
		c.MaxBitrate = 1_500_000
	}
	if c.ReconnectGrace <= 0 {
		c.ReconnectGrace = 30 * time.Second
	}
	if c.JoinTimeout <= 0 {
		c.JoinTimeout = 10 * time.Second
	}
	if c.SendQueue <= 0 {
		c.SendQueue = 256
	}
	if c.MaxBadMessages <= 0 {
		c.MaxBadMessages = 5
	}
	if c.TempDir == "" {
		c.TempDir = os.TempDir()
	}
	if c.RecordingPrefix == "" {
		c.RecordingPrefix = "recordings"
	}
	if c.MaxRecordingBytes <= 0 {
		c.MaxRecordingBytes = 8 << 30
	}
	if c.StoreTimeout <= 0 {
		c.StoreTimeout = time.Minute
	}
	if c.RecheckInterval <= 0 {
		c.RecheckInterval = 10 * time.Second
	}
}

// RoomSource finds the room a token names when it is not open yet: the
// scheduler (cases, visit bookings) knows rooms before anyone joins.
type RoomSource interface {
	RoomSpec(ctx context.Context, roomID string) (RoomSpec, error)
}

// Deps are the hub's ports. Tokens and Storage are required; the rest may
// be nil.
type Deps struct {
	Tokens     TokenVerifier
	Rooms      RoomSource
	Storage    mediation.FileStorage
	Recordings RecordingStore
	Events     EventSink
	Clock      domain.Clock
	Log        *slog.Logger
}

// Hub owns the rooms of this node and the one webrtc.API they share.
type Hub struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	api  *webrtc.API
	mux  interface{ Close() error }

	mu    sync.Mutex
	rooms map[string]*Room
	ended map[string]bool      // rooms that ended here: never reopened, even before the store hears of it
	spent map[string]time.Time // room token IDs used, until they expire
	// probeOwners counts the connection checks each user holds.
	probeOwners map[string]int
	closing     bool
	stop        chan struct{} // closed by Close: ends the recheck loop

	media    sync.WaitGroup // forwarding goroutines; each finalises its recording
	events   chan Event
	evMu     sync.RWMutex
	evClosed bool
	evDone   chan struct{}

	stats  Stats
	probes chan struct{}
}

// Stats are counters over the hub's life, for metrics and the benchmark.
type Stats struct {
	PacketsIn, BytesIn       atomic.Int64
	PacketsOut, BytesOut     atomic.Int64
	SlowConsumers, BadFrames atomic.Int64
}

// NewHub builds the shared webrtc.API (codecs, interceptors, ports) and
// starts the event delivery goroutine. Close stops it.
func NewHub(cfg Config, deps Deps) (*Hub, error) {
	cfg.defaults()
	if deps.Tokens == nil {
		return nil, errors.New("realtime: a token verifier is required")
	}
	if deps.Clock == nil {
		deps.Clock = domain.ClockFunc(time.Now)
	}
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	h := &Hub{cfg: cfg, deps: deps, log: deps.Log, rooms: map[string]*Room{}, ended: map[string]bool{}, spent: map[string]time.Time{}, probeOwners: map[string]int{},
		events: make(chan Event, 1024), evDone: make(chan struct{}), probes: make(chan struct{}, maxProbes), stop: make(chan struct{})}
	if err := h.buildAPI(); err != nil {
		return nil, err
	}
	go h.deliverEvents()
	if deps.Rooms != nil {
		go h.recheckLoop()
	}
	return h, nil
}

// videoFeedback is what subscribers and publishers may ask of each other.
var videoFeedback = []webrtc.RTCPFeedback{
	{Type: webrtc.TypeRTCPFBGoogREMB}, {Type: webrtc.TypeRTCPFBCCM, Parameter: "fir"},
	{Type: webrtc.TypeRTCPFBNACK}, {Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"},
}

// NewMediaEngine registers the codecs the SFU forwards: Opus, VP8 and
// H.264 (constrained baseline, packetization-mode 1, which every browser
// offers). The SFU never transcodes, so a subscriber must support what the
// publisher sends; VP8 is preferred, being first.
func NewMediaEngine() (*webrtc.MediaEngine, error) {
	m := &webrtc.MediaEngine{}
	codecs := []struct {
		c webrtc.RTPCodecParameters
		t webrtc.RTPCodecType
	}{
		{webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000,
			Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}, PayloadType: 111}, webrtc.RTPCodecTypeAudio},
		{webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000,
			RTCPFeedback: videoFeedback}, PayloadType: 96}, webrtc.RTPCodecTypeVideo},
		{webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
			SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", RTCPFeedback: videoFeedback},
			PayloadType: 102}, webrtc.RTPCodecTypeVideo},
	}
	for _, c := range codecs {
		if err := m.RegisterCodec(c.c, c.t); err != nil {
			return nil, fmt.Errorf("realtime: register %s: %w", c.c.MimeType, err)
		}
	}
	return m, nil
}

func (h *Hub) buildAPI() error {
	m, err := NewMediaEngine()
	if err != nil {
		return err
	}
	reg := &interceptor.Registry{}
	// NACK: the generator asks publishers to resend what the SFU lost, the
	// responder resends to subscribers from its buffer. RTCP reports keep
	// both sides' statistics. PLI/FIR from subscribers are forwarded to the
	// publisher by the SFU itself (see forward.go).
	if err := webrtc.ConfigureNack(m, reg); err != nil {
		return err
	}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return err
	}
	se := webrtc.SettingEngine{}
	se.SetICEMulticastDNSMode(0) // ice.MulticastDNSModeDisabled: servers have real addresses
	se.SetIncludeLoopbackCandidate(h.cfg.IncludeLoopback)
	if len(h.cfg.NAT1To1IPs) > 0 {
		if err := se.SetICEAddressRewriteRules(webrtc.ICEAddressRewriteRule{External: h.cfg.NAT1To1IPs,
			AsCandidateType: webrtc.ICECandidateTypeHost, Mode: webrtc.ICEAddressRewriteReplace}); err != nil {
			return fmt.Errorf("realtime: NAT 1:1 addresses: %w", err)
		}
	}
	switch {
	case h.cfg.UDPMuxPort > 0:
		conn, err := net.ListenUDP("udp", &net.UDPAddr{Port: h.cfg.UDPMuxPort})
		if err != nil {
			return fmt.Errorf("realtime: listen on UDP port %d: %w", h.cfg.UDPMuxPort, err)
		}
		mux := webrtc.NewICEUDPMux(nil, conn)
		se.SetICEUDPMux(mux)
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
		h.mux = mux
	case h.cfg.UDPPortMin > 0 && h.cfg.UDPPortMax >= h.cfg.UDPPortMin:
		if err := se.SetEphemeralUDPPortRange(h.cfg.UDPPortMin, h.cfg.UDPPortMax); err != nil {
			return fmt.Errorf("realtime: UDP port range: %w", err)
		}
	}
	h.api = webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se))
	return nil
}

func (h *Hub) now() time.Time { return h.deps.Clock.Now() }

// Stats returns the hub's counters.
func (h *Hub) Stats() *Stats { return &h.stats }

func (h *Hub) pcConfig() webrtc.Configuration {
	c := webrtc.Configuration{SDPSemantics: webrtc.SDPSemanticsUnifiedPlan}
	if len(h.cfg.STUNURLs) > 0 {
		c.ICEServers = []webrtc.ICEServer{{URLs: h.cfg.STUNURLs}}
	}
	return c
}

// OpenRoom makes a room joinable (or updates the invitations of an open
// one) and returns it.
func (h *Hub) OpenRoom(spec RoomSpec) (*Room, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closing {
		return nil, errUnavailable()
	}
	if h.ended[spec.ID] || spec.Ended {
		return nil, errRoomEnded()
	}
	if r, ok := h.rooms[spec.ID]; ok {
		r.update(spec)
		return r, nil
	}
	r := newRoom(h, spec)
	h.rooms[spec.ID] = r
	return r, nil
}

// Room returns an open room.
func (h *Hub) Room(id string) (*Room, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r, ok := h.rooms[id]
	return r, ok
}

// roomFor finds the room a participant joins. With a scheduler, its word
// is asked on every join, also for a room open here: the room may have
// ended on another instance or with its case or booking, or the person may
// have been removed there.
func (h *Hub) roomFor(ctx context.Context, id string) (*Room, error) {
	h.mu.Lock()
	ended := h.ended[id]
	h.mu.Unlock()
	if ended {
		return nil, errRoomEnded()
	}
	if h.deps.Rooms == nil {
		if r, ok := h.Room(id); ok {
			return r, nil
		}
		return nil, errNotFound("room.not_found", "No such room.")
	}
	spec, err := h.deps.Rooms.RoomSpec(ctx, id)
	if err != nil {
		return nil, err
	}
	if spec.ID != id {
		return nil, errNotFound("room.not_found", "No such room.")
	}
	if spec.Ended {
		if r, ok := h.Room(id); ok {
			r.end("ended", "")
		}
		return nil, errRoomEnded()
	}
	return h.OpenRoom(spec)
}

func (h *Hub) forget(r *Room, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.rooms[r.spec.ID] == r {
		delete(h.rooms, r.spec.ID)
	}
	if reason != EndServerShutdown {
		h.ended[r.spec.ID] = true
	}
}

// EndRoom ends a room from outside (a case closed, a booking cancelled).
func (h *Hub) EndRoom(id, reason string) bool {
	r, ok := h.Room(id)
	if ok {
		r.end(reason, "")
	}
	return ok
}

// EndRoomsOf ends this node's open rooms of an owner — its case closed, its
// booking cancelled — at once: participants are told, recordings
// finalised. It returns how many it ended.
func (h *Hub) EndRoomsOf(owner Owner, reason string) int {
	h.mu.Lock()
	var rooms []*Room
	for _, r := range h.rooms {
		if r.spec.Owner == owner {
			rooms = append(rooms, r)
		}
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.end(reason, "")
	}
	return len(rooms)
}

// Recheck asks the scheduler about every room open here and ends those it
// says have ended: a case closed or a booking cancelled through another
// instance, which could not reach this node's memory.
func (h *Hub) Recheck(ctx context.Context) {
	if h.deps.Rooms == nil {
		return
	}
	h.mu.Lock()
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		spec, err := h.deps.Rooms.RoomSpec(ctx, r.spec.ID)
		switch {
		case err == nil && spec.Ended:
			r.end("ended", "")
		case err != nil && !domain.IsKind(err, domain.KindNotFound):
			h.log.Warn("recheck room", "room", r.spec.ID, "err", err)
		}
	}
}

// recheckLoop runs Recheck every cfg.RecheckInterval until Close.
func (h *Hub) recheckLoop() {
	t := time.NewTicker(h.cfg.RecheckInterval)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), h.cfg.RecheckInterval)
			h.Recheck(ctx)
			cancel()
		}
	}
}

// Serve runs one signalling socket: it waits for the "join" message, verifies
// its room token and then behaves as Join. roomID, when not empty, must match
// the token's room (the URL names it too).
func (h *Hub) Serve(ctx context.Context, roomID string, conn Conn) error {
	type first struct {
		b   []byte
		err error
	}
	got := make(chan first, 1)
	go func() {
		_, b, err := conn.ReadMessage()
		got <- first{b, err}
	}()
	var msg first
	select {
	case msg = <-got:
	case <-time.After(h.cfg.JoinTimeout):
		_ = conn.WriteMessage(TextMessage, encode(TypeError, errorData{Code: "join.timeout", Message: "send join first", Fatal: true}))
		_ = conn.Close()
		return errors.New("realtime: no join message in time")
	case <-ctx.Done():
		_ = conn.Close()
		return ctx.Err()
	}
	refuse := func(code, message string, err error) error {
		_ = conn.WriteMessage(TextMessage, encode(TypeError, errorData{Code: code, Message: message, Fatal: true}))
		_ = conn.Close()
		return err
	}
	if msg.err != nil {
		_ = conn.Close()
		return msg.err
	}
	sig, err := DecodeSignal(msg.b)
	if err != nil {
		var pe *ProtocolError
		errors.As(err, &pe)
		return refuse(pe.Code, pe.Message, err)
	}
	if sig.Type != TypeJoin {
		return refuse("join.required", "the first message must be join", errors.New("realtime: first message not join"))
	}
	grant, err := h.deps.Tokens.VerifyRoomToken(ctx, sig.Join.Token)
	if err != nil {
		return refuse("room.token_invalid", "the room token is invalid or expired", err)
	}
	if roomID != "" && grant.RoomID != roomID {
		return refuse("room.token_invalid", "the room token is for another room", errors.New("realtime: token for another room"))
	}
	if !h.spend(grant.TokenID, grant.ExpiresAt) {
		return refuse("room.token_used", "the room token was used already; ask for a new one", errors.New("realtime: room token used twice"))
	}
	return h.Join(ctx, grant, conn)
}

// spend marks a room token used. A token is good for one join: a copy of
// it (from a log, a shared screen) must not enter the room, nor replace the
// connection of the person it was issued to.
func (h *Hub) spend(id string, expires time.Time) bool {
	if id == "" {
		return true
	}
	now := h.now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, used := h.spent[id]; used {
		return false
	}
	for k, exp := range h.spent { // tokens live two minutes: the set stays small
		if now.After(exp) {
			delete(h.spent, k)
		}
	}
	h.spent[id] = expires
	return true
}

// Join puts a verified participant into their room and runs their socket
// until they leave, are removed, drop, or the room ends. It blocks; the
// socket is closed when it returns.
func (h *Hub) Join(ctx context.Context, g RoomGrant, conn Conn) error {
	r, err := h.roomFor(ctx, g.RoomID)
	if err != nil {
		_ = conn.WriteMessage(TextMessage, encode(TypeError, errorData{Code: codeOf(err), Message: "cannot join this room", Fatal: true}))
		_ = conn.Close()
		return err
	}
	p := newParticipant(h, r, g, conn)
	go p.writeLoop()
	if err := r.enter(p); err != nil {
		p.send(encode(TypeError, errorData{Code: codeOf(err), Message: messageOf(err), Fatal: true}))
		p.closeSend()
		<-p.writerDone
		return err
	}
	return p.run(ctx)
}

// Close ends every room (clients are told "ended" with reason
// server_shutdown), closes the PeerConnections, waits for every recording to
// be finalised and stored, and then for the event queue to drain, or for ctx.
func (h *Hub) Close(ctx context.Context) error {
	h.mu.Lock()
	if h.closing {
		h.mu.Unlock()
		return nil
	}
	h.closing = true
	close(h.stop)
	rooms := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.end(EndServerShutdown, "")
	}
	done := make(chan struct{})
	go func() { h.media.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("realtime: shutdown before every recording was stored: %w", ctx.Err())
	}
	h.evMu.Lock()
	h.evClosed = true
	close(h.events)
	h.evMu.Unlock()
	select {
	case <-h.evDone:
	case <-ctx.Done():
		if err == nil {
			err = ctx.Err()
		}
	}
	if h.mux != nil {
		_ = h.mux.Close()
	}
	return err
}

// emit queues an event for the sink without ever blocking a media path.
func (h *Hub) emit(e Event) {
	if h.deps.Events == nil {
		return
	}
	h.evMu.RLock()
	defer h.evMu.RUnlock()
	if h.evClosed { // after shutdown; late events are dropped
		return
	}
	select {
	case h.events <- e:
	default:
		h.log.Warn("realtime: event queue full; event dropped", "room", e.RoomID, "kind", e.Kind)
	}
}

func (h *Hub) deliverEvents() {
	defer close(h.evDone)
	for e := range h.events {
		if h.deps.Events == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), h.cfg.StoreTimeout)
		if err := h.deps.Events.RoomEvent(ctx, e); err != nil {
			h.log.Error("realtime: deliver room event", "room", e.RoomID, "kind", e.Kind, "err", err)
		}
		cancel()
	}
}

func errNotFound(code, msg string) error { return domain.Errorf(domain.KindNotFound, code, "%s", msg) }
func errRoomEnded() error {
	return domain.Errorf(domain.KindFailedPrecondition, "room.ended", "This mediation session has ended.")
}
func errUnavailable() error {
	return domain.Errorf(domain.KindUnavailable, "room.shutting_down", "The server is restarting; try again shortly.")
}

func codeOf(err error) string {
	if e, ok := domain.AsError(err); ok {
		return e.Code
	}
	return "internal"
}

func messageOf(err error) string {
	if e, ok := domain.AsError(err); ok && e.Kind != domain.KindInternal {
		return e.Message
	}
	return "internal error"
}
