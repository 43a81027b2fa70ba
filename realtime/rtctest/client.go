// Package rtctest gives tests a participant as a phone would be: a pion
// PeerConnection that joins a room over any signalling socket (a loopback
// WebSocket or an in-memory pipe), answers the server's offers, publishes
// synthetic VP8 and Opus and counts what it receives per publisher and
// kind; plus recording checks. realtime's own tests use it from the
// external package realtime_test, as rtctest imports realtime.
package rtctest

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"

	"github.com/tiaojie/tiaojie/realtime"
)

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

	// What it publishes: a VP8 sample of videoSize bytes every videoEvery
	// and a 20 ms Opus frame of audioSize bytes.
	videoSize, audioSize int
	videoEvery           time.Duration

	stop     chan struct{}
	stopOnce sync.Once
}

// Option changes a client before it joins.
type Option func(*Client)

// Publish makes the client send a VP8 sample of videoBytes every videoEvery
// and a 20 ms Opus frame of audioBytes, instead of 1,200 bytes every 40 ms
// and 3 bytes: a load test sets its bitrate with it.
func Publish(videoBytes int, videoEvery time.Duration, audioBytes int) Option {
	return func(c *Client) { c.videoSize, c.videoEvery, c.audioSize = videoBytes, videoEvery, audioBytes }
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
// keyframe every 40 ms (unless an option says otherwise) until closed.
func Join(t testing.TB, api *webrtc.API, name string, sock Socket, token string, opts ...Option) *Client {
	t.Helper()
	c := &Client{t: t, Name: name, sock: sock, recv: map[string]*counts{}, notify: make(chan struct{}, 1), stop: make(chan struct{}),
		videoSize: 1200, audioSize: 3, videoEvery: 40 * time.Millisecond}
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
		if cand != nil {
			j := cand.ToJSON()
			c.Send(realtime.TypeCandidate, realtime.CandidateData{Candidate: j.Candidate, SDPMid: j.SDPMid, SDPMLineIndex: j.SDPMLineIndex})
		}
	})
	pc.OnTrack(c.count)
	if err := sock.WriteMessage(realtime.TextMessage, Message(realtime.TypeJoin, realtime.JoinData{Token: token})); err != nil {
		t.Fatalf("%s: sending join: %v", name, err)
	}
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

// Message is one protocol message as a client writes it.
func Message(typ string, data any) []byte {
	b, err := json.Marshal(struct {
		V    int    `json:"v"`
		Type string `json:"type"`
		Data any    `json:"data,omitempty"`
	}{realtime.ProtocolVersion, typ, data})
	if err != nil { // only protocol types are sent; this is a bug in the test
		panic(fmt.Sprintf("rtctest: encode %s: %v", typ, err))
	}
	return b
}

// Send writes one protocol message.
func (c *Client) Send(typ string, data any) { c.SendRaw(Message(typ, data)) }

// SendRaw writes b as one message as it is, malformed or not, as a broken
// or hostile client would.
func (c *Client) SendRaw(b []byte) { _ = c.sock.WriteMessage(realtime.TextMessage, b) }

// Field is the string field name of a message's data, or "" when there is
// no such string.
func Field(e realtime.Envelope, name string) string {
	var m map[string]any
	_ = json.Unmarshal(e.Data, &m)
	s, _ := m[name].(string)
	return s
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

// publishLoop writes 20 ms Opus frames (TOC 0xf8: one 20 ms CELT frame)
// and VP8 samples whose first byte 0x00 marks a keyframe.
func (c *Client) publishLoop() {
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

// Received is how many RTP packets the client got from everyone.
func (c *Client) Received() (packets int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rc := range c.recv {
		packets += rc.packets.Load()
	}
	return packets
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
			c.t.Fatalf("%s: gave up waiting for %s; messages: %s", c.Name, what, c.Types())
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

// Messages are the messages of type typ received so far, in order. The
// type "closed" marks the end of the socket.
func (c *Client) Messages(typ string) []realtime.Envelope {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []realtime.Envelope
	for _, e := range c.log {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

// IndexOf is the position of the first message of type typ among all
// received so far, or -1: tests compare two to check an order.
func (c *Client) IndexOf(typ string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.log {
		if e.Type == typ {
			return i
		}
	}
	return -1
}

// Types lists the types of the messages received so far, in order and
// without candidates, for a failure message; an error's data follows its
// type, so the list says which error it was.
func (c *Client) Types() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := ""
	for _, e := range c.log {
		if e.Type == realtime.TypeCandidate {
			continue
		}
		s += e.Type
		if e.Type == realtime.TypeError {
			s += string(e.Data)
		}
		s += " "
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
