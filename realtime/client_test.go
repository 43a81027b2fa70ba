package realtime

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// pipe is an in-memory socket: what one end writes the other reads.
type pipe struct {
	in, out chan []byte
	closed  chan struct{}
	once    *sync.Once
}

func newPipe() (server, client *pipe) {
	a, b := make(chan []byte, 64), make(chan []byte, 64)
	closed, once := make(chan struct{}), &sync.Once{}
	return &pipe{in: a, out: b, closed: closed, once: once}, &pipe{in: b, out: a, closed: closed, once: once}
}

func (p *pipe) ReadMessage() (int, []byte, error) {
	select {
	case b := <-p.in:
		return TextMessage, b, nil
	case <-p.closed:
		select { // what was written before the close is still read
		case b := <-p.in:
			return TextMessage, b, nil
		default:
			return 0, nil, io.EOF
		}
	}
}

func (p *pipe) WriteMessage(_ int, b []byte) error {
	select {
	case <-p.closed:
		return io.ErrClosedPipe
	default:
	}
	select {
	case p.out <- b:
		return nil
	case <-p.closed:
		return io.ErrClosedPipe
	}
}

func (p *pipe) Close() error {
	p.once.Do(func() { close(p.closed) })
	return nil
}

// received counts what a client got from one publisher's track.
type received struct {
	packets, frames atomic.Int64
}

// testClient is a participant as a phone would be: a pion PeerConnection
// that answers the server's offers, publishes synthetic VP8 and Opus, and
// counts what it receives per publisher and kind.
type testClient struct {
	t    testing.TB
	name string
	conn Conn

	mu       sync.Mutex
	pc       *webrtc.PeerConnection
	recv     map[string]*received // "participant/kind"
	log      []Envelope
	notify   chan struct{}
	offers   int
	audio    *webrtc.TrackLocalStaticSample
	video    *webrtc.TrackLocalStaticSample
	attached bool

	// What it publishes: a VP8 sample of videoSize bytes every videoEvery
	// and a 20 ms Opus frame of audioSize bytes.
	videoSize, audioSize int
	videoEvery           time.Duration
	sentSamples          atomic.Int64

	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

func newClientAPI(t testing.TB) *webrtc.API {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	reg := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, reg); err != nil {
		t.Fatal(err)
	}
	se := webrtc.SettingEngine{}
	se.SetIncludeLoopbackCandidate(true)
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se))
}

// dialClient starts a client on conn; it sends join with token first.
func dialClient(t testing.TB, api *webrtc.API, name string, conn Conn, token string, opts ...func(*testClient)) *testClient {
	t.Helper()
	c := &testClient{t: t, name: name, conn: conn, recv: map[string]*received{}, notify: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}), videoSize: 1200, audioSize: 3, videoEvery: 40 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	c.pc = pc
	c.audio, _ = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", name)
	c.video, _ = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", name)
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand == nil {
			return
		}
		j := cand.ToJSON()
		c.sendMsg(TypeCandidate, CandidateData{Candidate: j.Candidate, SDPMid: j.SDPMid, SDPMLineIndex: j.SDPMLineIndex})
	})
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		key := tr.StreamID() + "/" + tr.Kind().String()
		c.mu.Lock()
		rc := c.recv[key]
		if rc == nil {
			rc = &received{}
			c.recv[key] = rc
		}
		c.mu.Unlock()
		for {
			p, _, err := tr.ReadRTP()
			if err != nil {
				return
			}
			rc.packets.Add(1)
			if tr.Kind() == webrtc.RTPCodecTypeAudio || p.Marker {
				rc.frames.Add(1)
			}
		}
	})
	if err := conn.WriteMessage(TextMessage, encode(TypeJoin, JoinData{Token: token})); err != nil {
		t.Fatal(err)
	}
	go c.readLoop()
	go c.publishLoop()
	t.Cleanup(c.close)
	return c
}

func (c *testClient) sendMsg(typ string, data any) {
	_ = c.conn.WriteMessage(TextMessage, encode(typ, data))
}

func (c *testClient) readLoop() {
	defer close(c.done)
	for {
		_, b, err := c.conn.ReadMessage()
		if err != nil {
			c.record(Envelope{V: 1, Type: "closed"})
			return
		}
		var env Envelope
		if err := json.Unmarshal(b, &env); err != nil {
			c.t.Errorf("%s: server sent non-JSON %q", c.name, b)
			continue
		}
		switch env.Type {
		case TypeOffer:
			var o SDPData
			_ = json.Unmarshal(env.Data, &o)
			if err := c.answer(o); err != nil && !c.stopped() {
				c.t.Errorf("%s: answering offer: %v", c.name, err)
			}
		case TypeCandidate:
			var cd CandidateData
			_ = json.Unmarshal(env.Data, &cd)
			_ = c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: cd.Candidate, SDPMid: cd.SDPMid, SDPMLineIndex: cd.SDPMLineIndex})
		}
		c.record(env)
	}
}

func (c *testClient) record(env Envelope) {
	c.mu.Lock()
	c.log = append(c.log, env)
	if env.Type == TypeOffer {
		c.offers++
	}
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

func (c *testClient) answer(o SDPData) error {
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: o.SDP}); err != nil {
		return err
	}
	c.mu.Lock()
	first := !c.attached
	c.attached = true
	c.mu.Unlock()
	if first { // the server's first two sections are our send slots
		if _, err := c.pc.AddTrack(c.audio); err != nil {
			return err
		}
		if _, err := c.pc.AddTrack(c.video); err != nil {
			return err
		}
	}
	ans, err := c.pc.CreateAnswer(nil)
	if err != nil {
		return err
	}
	if err := c.pc.SetLocalDescription(ans); err != nil {
		return err
	}
	c.sendMsg(TypeAnswer, SDPData{SDP: ans.SDP, Seq: o.Seq})
	return nil
}

// publishLoop writes a 20 ms Opus frame (TOC 0xf8: one 20 ms CELT frame)
// and VP8 samples whose first byte 0x00 marks a keyframe.
func (c *testClient) publishLoop() {
	audio := make([]byte, c.audioSize)
	copy(audio, []byte{0xf8, 0xff, 0xfe})
	video := make([]byte, c.videoSize)
	at := time.NewTicker(20 * time.Millisecond)
	defer at.Stop()
	vt := time.NewTicker(c.videoEvery)
	defer vt.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-at.C:
			_ = c.audio.WriteSample(media.Sample{Data: audio, Duration: 20 * time.Millisecond})
		case <-vt.C:
			_ = c.video.WriteSample(media.Sample{Data: video, Duration: c.videoEvery})
		}
	}
}

func (c *testClient) stopped() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}

func (c *testClient) close() {
	c.stopOnce.Do(func() {
		close(c.stop)
		_ = c.conn.Close()
		_ = c.pc.Close()
	})
}

// drop ends the socket abruptly (no leave), as a phone losing its network.
func (c *testClient) drop() { c.close() }

func (c *testClient) from(participant, kind string) (packets, frames int64) {
	c.mu.Lock()
	rc := c.recv[participant+"/"+kind]
	c.mu.Unlock()
	if rc == nil {
		return 0, 0
	}
	return rc.packets.Load(), rc.frames.Load()
}

// waitFor waits (bounded) until cond holds.
func (c *testClient) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			c.t.Fatalf("%s: gave up waiting for %s; messages: %s", c.name, what, c.types())
		case <-tick.C:
		case <-c.notify:
		}
	}
}

// waitMsg waits for a message of type typ, after skip earlier ones, and
// returns it.
func (c *testClient) waitMsg(typ string, pred func(Envelope) bool) Envelope {
	c.t.Helper()
	var got Envelope
	c.waitFor("message "+typ, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, e := range c.log {
			if e.Type == typ && (pred == nil || pred(e)) {
				got = e
				return true
			}
		}
		return false
	})
	return got
}

func (c *testClient) types() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := ""
	for _, e := range c.log {
		if e.Type == TypeCandidate {
			continue
		}
		s += e.Type
		if e.Type == TypeError {
			s += string(e.Data)
		}
		s += " "
	}
	return s
}

// indexOf is the position of the first message of typ in the log, or -1.
func (c *testClient) indexOf(typ string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.log {
		if e.Type == typ {
			return i
		}
	}
	return -1
}

// receivesFrom waits until the client has media of both kinds from each
// publisher.
func (c *testClient) receivesFrom(publishers ...string) {
	c.t.Helper()
	for _, p := range publishers {
		for _, kind := range []string{"audio", "video"} {
			c.waitFor(fmt.Sprintf("%s from %s", kind, p), func() bool {
				pk, fr := c.from(p, kind)
				return pk >= 25 && fr >= 10
			})
		}
	}
}

func dataField(e Envelope, field string) string {
	var m map[string]any
	_ = json.Unmarshal(e.Data, &m)
	s, _ := m[field].(string)
	return s
}
