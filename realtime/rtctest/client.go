// Package rtctest gives tests outside realtime a participant as a phone
// would be: a pion PeerConnection that joins a room over any signalling
// socket, answers the server's offers, publishes synthetic VP8 and Opus and
// counts what it receives per publisher and kind; plus recording checks.
package rtctest

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"

	"github.com/tiaojie/tiaojie/realtime"
)

// Socket is the client's end of the signalling WebSocket.
type Socket interface {
	ReadMessage() (int, []byte, error)
	WriteMessage(int, []byte) error
	Close() error
}

// LockedSocket lets pion callbacks and the reader write to one gorilla
// connection.
type LockedSocket struct {
	mu sync.Mutex
	*websocket.Conn
}

// WriteMessage writes under the lock with a deadline.
func (c *LockedSocket) WriteMessage(t int, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.Conn.WriteMessage(t, b)
}

// DialWS opens the signalling socket at url.
func DialWS(t testing.TB, url string) *LockedSocket {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("rtctest: dial %s: %v", url, err)
	}
	return &LockedSocket{Conn: c}
}

type counts struct{ packets, frames atomic.Int64 }

// Client is one participant.
type Client struct {
	t    testing.TB
	Name string
	sock Socket

	mu       sync.Mutex
	pc       *webrtc.PeerConnection
	recv     map[string]*counts // "participant/kind"
	log      []realtime.Envelope
	notify   chan struct{}
	audio    *webrtc.TrackLocalStaticSample
	video    *webrtc.TrackLocalStaticSample
	attached bool

	stop     chan struct{}
	stopOnce sync.Once
}

// NewAPI is a pion API with the default codecs and interceptors (NACK, RTCP
// reports) and loopback candidates, as the tests run on loopback.
func NewAPI(t testing.TB) *webrtc.API {
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

// Join starts a client on sock: it sends join with the room token first,
// then answers offers and publishes a 20 ms Opus frame and a 1,200-byte VP8
// keyframe every 40 ms until closed.
func Join(t testing.TB, api *webrtc.API, name string, sock Socket, token string) *Client {
	t.Helper()
	c := &Client{t: t, Name: name, sock: sock, recv: map[string]*counts{}, notify: make(chan struct{}, 1), stop: make(chan struct{})}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	c.pc = pc
	c.audio, _ = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, "audio", name)
	c.video, _ = webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", name)
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			j := cand.ToJSON()
			c.Send(realtime.TypeCandidate, realtime.CandidateData{Candidate: j.Candidate, SDPMid: j.SDPMid, SDPMLineIndex: j.SDPMLineIndex})
		}
	})
	pc.OnTrack(c.count)
	c.Send(realtime.TypeJoin, realtime.JoinData{Token: token})
	go c.readLoop()
	go c.publishLoop()
	t.Cleanup(c.Close)
	return c
}

func (c *Client) count(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	key := tr.StreamID() + "/" + tr.Kind().String()
	c.mu.Lock()
	rc := c.recv[key]
	if rc == nil {
		rc = &counts{}
		c.recv[key] = rc
	}
	c.mu.Unlock()
	for {
		p, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		rc.packets.Add(1)
		if tr.Kind() == webrtc.RTPCodecTypeAudio || p.Marker { // the marker ends a video frame
			rc.frames.Add(1)
		}
	}
}

// Send writes one protocol message.
func (c *Client) Send(typ string, data any) {
	b, _ := json.Marshal(struct {
		V    int    `json:"v"`
		Type string `json:"type"`
		Data any    `json:"data,omitempty"`
	}{realtime.ProtocolVersion, typ, data})
	_ = c.sock.WriteMessage(websocket.TextMessage, b)
}

func (c *Client) readLoop() {
	for {
		_, b, err := c.sock.ReadMessage()
		if err != nil {
			c.record(realtime.Envelope{V: 1, Type: "closed"})
			return
		}
		var env realtime.Envelope
		if err := json.Unmarshal(b, &env); err != nil {
			c.t.Errorf("%s: server sent non-JSON %q", c.Name, b)
			continue
		}
		switch env.Type {
		case realtime.TypeOffer:
			var o realtime.SDPData
			_ = json.Unmarshal(env.Data, &o)
			if err := c.answer(o); err != nil && !c.stopped() {
				c.t.Errorf("%s: answering offer: %v", c.Name, err)
			}
		case realtime.TypeCandidate:
			var cd realtime.CandidateData
			_ = json.Unmarshal(env.Data, &cd)
			_ = c.pc.AddICECandidate(webrtc.ICECandidateInit{Candidate: cd.Candidate, SDPMid: cd.SDPMid, SDPMLineIndex: cd.SDPMLineIndex})
		}
		c.record(env)
	}
}

func (c *Client) record(env realtime.Envelope) {
	c.mu.Lock()
	c.log = append(c.log, env)
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

func (c *Client) answer(o realtime.SDPData) error {
	if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: o.SDP}); err != nil {
		return err
	}
	c.mu.Lock()
	first := !c.attached
	c.attached = true
	c.mu.Unlock()
	if first { // the server's first two sections are this client's send slots
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
	c.Send(realtime.TypeAnswer, realtime.SDPData{SDP: ans.SDP, Seq: o.Seq})
	return nil
}

// publishLoop writes a 20 ms Opus frame (TOC 0xf8: one 20 ms CELT frame)
// and VP8 samples whose first byte 0x00 marks a keyframe.
func (c *Client) publishLoop() {
	audio := []byte{0xf8, 0xff, 0xfe}
	video := make([]byte, 1200)
	at := time.NewTicker(20 * time.Millisecond)
	defer at.Stop()
	vt := time.NewTicker(40 * time.Millisecond)
	defer vt.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-at.C:
			_ = c.audio.WriteSample(media.Sample{Data: audio, Duration: 20 * time.Millisecond})
		case <-vt.C:
			_ = c.video.WriteSample(media.Sample{Data: video, Duration: 40 * time.Millisecond})
		}
	}
}

func (c *Client) stopped() bool {
	select {
	case <-c.stop:
		return true
	default:
		return false
	}
}

// Close ends the client abruptly (no leave message), as a phone losing its
// network.
func (c *Client) Close() {
	c.stopOnce.Do(func() {
		close(c.stop)
		_ = c.sock.Close()
		_ = c.pc.Close()
	})
}

// From is how many RTP packets and frames the client got from one
// participant's track of kind "audio" or "video".
func (c *Client) From(participant, kind string) (packets, frames int64) {
	c.mu.Lock()
	rc := c.recv[participant+"/"+kind]
	c.mu.Unlock()
	if rc == nil {
		return 0, 0
	}
	return rc.packets.Load(), rc.frames.Load()
}

// WaitFor waits, at most 20 s, until cond holds.
func (c *Client) WaitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			c.t.Fatalf("%s: gave up waiting for %s; messages: %s", c.Name, what, c.types())
		case <-tick.C:
		case <-c.notify:
		}
	}
}

// WaitMsg waits for a message of type typ that pred accepts (nil: any).
func (c *Client) WaitMsg(typ string, pred func(realtime.Envelope) bool) realtime.Envelope {
	c.t.Helper()
	var got realtime.Envelope
	c.WaitFor("message "+typ, func() bool {
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

func (c *Client) types() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := ""
	for _, e := range c.log {
		if e.Type != realtime.TypeCandidate {
			s += e.Type + " "
		}
	}
	return s
}

// ReceivesFrom waits until the client has both kinds of media from each
// publisher: at least 25 packets and 10 frames of each.
func (c *Client) ReceivesFrom(publishers ...string) {
	c.t.Helper()
	for _, p := range publishers {
		for _, kind := range []string{"audio", "video"} {
			c.WaitFor(fmt.Sprintf("%s from %s", kind, p), func() bool {
				pk, fr := c.From(p, kind)
				return pk >= 25 && fr >= 10
			})
		}
	}
}
