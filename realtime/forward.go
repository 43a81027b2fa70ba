package realtime

import (
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// forwardTrack is one published track: read from the publisher once,
// written to every subscriber's sender (TrackLocalStaticRTP fans out) and to
// the recorder.
type forwardTrack struct {
	id    string
	pub   *participant
	kind  string
	ssrc  uint32
	local *webrtc.TrackLocalStaticRTP
	muted atomic.Bool
	// lastKeyframeAsk throttles PLIs to the publisher: many subscribers
	// asking at once make one request.
	lastKeyframeAsk atomic.Int64
}

const keyframeAskGap = 500 * time.Millisecond

// askKeyframe sends a PLI to the publisher so a new or broken subscriber
// (and the recorder) gets a keyframe quickly.
func (t *forwardTrack) askKeyframe(force bool) {
	if t.kind != "video" {
		return
	}
	now := time.Now().UnixNano()
	last := t.lastKeyframeAsk.Load()
	if !force && now-last < int64(keyframeAskGap) {
		return
	}
	if !t.lastKeyframeAsk.CompareAndSwap(last, now) {
		return
	}
	t.pub.writeRTCP(&rtcp.PictureLossIndication{MediaSSRC: t.ssrc})
}

func (p *participant) writeRTCP(pkts ...rtcp.Packet) {
	p.negMu.Lock()
	pc := p.pc
	p.negMu.Unlock()
	if pc != nil {
		_ = pc.WriteRTCP(pkts)
	}
}

// startMedia creates the participant's PeerConnection once they are
// admitted, and sends the first offer. Before that they have none: the lobby
// is enforced by there being nothing to carry media.
func (p *participant) startMedia() {
	pc, err := p.hub.api.NewPeerConnection(p.hub.pcConfig())
	if err != nil {
		p.hub.log.Error("realtime: new PeerConnection", "room", p.room.spec.ID, "err", err)
		p.errorMsg(err, true)
		p.terminate(reasonFailed, nil)
		return
	}
	// Two receive slots for the participant's own audio and video. An
	// observer gets them too (an offer needs media sections), but what they
	// send is ignored.
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			_ = pc.Close()
			p.errorMsg(err, true)
			p.terminate(reasonFailed, nil)
			return
		}
	}
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			return
		}
		init := c.ToJSON()
		p.send(encode(TypeCandidate, CandidateData{Candidate: init.Candidate, SDPMid: init.SDPMid, SDPMLineIndex: init.SDPMLineIndex}))
	})
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateFailed {
			p.send(encode(TypeError, errorData{Code: "ice.failed", Message: "media connection failed; rejoin", Fatal: true}))
			p.terminate(reasonFailed, nil)
		}
	})
	pc.OnTrack(func(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) { p.publish(pc, remote, recv) })

	p.negMu.Lock()
	if p.mediaClosed {
		p.negMu.Unlock()
		_ = pc.Close()
		return
	}
	p.pc = pc
	p.negMu.Unlock()
	p.negotiate(false)
}

func (p *participant) closeMedia() {
	p.negMu.Lock()
	p.mediaClosed = true
	pc := p.pc
	p.negMu.Unlock()
	if pc != nil {
		_ = pc.Close() // ends every ReadRTP: forwarding goroutines finish their recordings
	}
}

// negotiate brings the participant's senders in line with the room's
// published tracks and sends an offer — unless one is outstanding, in which
// case it is redone when the answer comes. This per-participant lock is what
// keeps offers from colliding.
func (p *participant) negotiate(iceRestart bool) {
	p.negMu.Lock()
	defer p.negMu.Unlock()
	if p.pc == nil || p.mediaClosed {
		return
	}
	if iceRestart {
		p.restart = true
	}
	if p.awaiting != 0 {
		p.pending = true
		return
	}
	p.syncSendersLocked()
	offer, err := p.pc.CreateOffer(&webrtc.OfferOptions{ICERestart: p.restart})
	if err == nil {
		err = p.pc.SetLocalDescription(offer)
	}
	if err != nil {
		if !p.mediaClosed && p.pc.ConnectionState() != webrtc.PeerConnectionStateClosed {
			p.hub.log.Error("realtime: create offer", "room", p.room.spec.ID, "err", err)
		}
		return
	}
	p.restart = false
	p.seq++
	p.awaiting = p.seq
	p.send(encode(TypeOffer, SDPData{SDP: offer.SDP, Seq: p.seq}))
}

// syncSendersLocked adds a sender for every track the participant should
// receive and removes the others. negMu is held; room.mu is taken inside.
func (p *participant) syncSendersLocked() {
	r := p.room
	r.mu.Lock()
	want := map[string]*forwardTrack{}
	if p.admitted {
		for id, t := range r.tracks {
			if t.pub != p && t.pub.admitted && r.participants[t.pub.id] == t.pub {
				want[id] = t
			}
		}
	}
	r.mu.Unlock()
	for id, s := range p.senders {
		if _, ok := want[id]; !ok {
			_ = p.pc.RemoveTrack(s)
			delete(p.senders, id)
		}
	}
	for id, t := range want {
		if _, ok := p.senders[id]; ok {
			continue
		}
		tr, err := p.pc.AddTransceiverFromTrack(t.local, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		if err != nil {
			p.hub.log.Error("realtime: add track", "room", r.spec.ID, "err", err)
			continue
		}
		s := tr.Sender()
		p.senders[id] = s
		p.newSenders = append(p.newSenders, t)
		go readSenderRTCP(s, t)
	}
}

// readSenderRTCP reads what a subscriber says about a track (this also
// drives the NACK responder) and forwards keyframe requests to the
// publisher.
func readSenderRTCP(s *webrtc.RTPSender, t *forwardTrack) {
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		for _, pk := range pkts {
			switch pk.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				t.askKeyframe(false)
			}
		}
	}
}

func (p *participant) answer(a SDPData) error {
	p.negMu.Lock()
	if p.pc == nil {
		p.negMu.Unlock()
		return badMessage("answer.unexpected", "no offer is outstanding")
	}
	if a.Seq != p.awaiting || p.awaiting == 0 {
		p.negMu.Unlock()
		return badMessage("answer.unexpected", "this answer is not for the outstanding offer")
	}
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: a.SDP}); err != nil {
		p.negMu.Unlock()
		return badMessage("sdp.rejected", "the answer does not match the offer")
	}
	for _, c := range p.candidates {
		_ = p.pc.AddICECandidate(c)
	}
	p.candidates = nil
	p.awaiting = 0
	again := p.pending
	p.pending = false
	fresh := p.newSenders
	p.newSenders = nil
	p.negMu.Unlock()
	for _, t := range fresh {
		t.askKeyframe(true)
	}
	if again {
		p.negotiate(false)
	}
	return nil
}

const maxBufferedCandidates = 64

// addCandidate applies a trickled candidate, or keeps it until the answer
// it belongs with has arrived.
func (p *participant) addCandidate(c CandidateData) error {
	init := webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex}
	p.negMu.Lock()
	defer p.negMu.Unlock()
	if p.pc == nil {
		return badMessage("candidate.unexpected", "no media session yet")
	}
	if p.awaiting != 0 || p.pc.RemoteDescription() == nil {
		if len(p.candidates) >= maxBufferedCandidates {
			return badMessage("candidate.too_many", "too many candidates before the answer")
		}
		p.candidates = append(p.candidates, init)
		return nil
	}
	if err := p.pc.AddICECandidate(init); err != nil {
		return badMessage("candidate.rejected", "the candidate was not accepted")
	}
	return nil
}

// publish forwards one of the participant's tracks to the room and records
// it, until the PeerConnection closes — on every path out (leave, kick,
// drop, end, shutdown) the recording is finalised.
func (p *participant) publish(pc *webrtc.PeerConnection, remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	h, r := p.hub, p.room
	if !p.role.canPublish() {
		go drain(remote)
		return
	}
	kind := remote.Kind().String()
	codec := remote.Codec()
	local, err := webrtc.NewTrackLocalStaticRTP(codec.RTPCodecCapability, kind+"-"+newID(), p.id)
	if err != nil {
		h.log.Error("realtime: local track", "room", r.spec.ID, "err", err)
		return
	}
	t := &forwardTrack{id: local.ID(), pub: p, kind: kind, ssrc: uint32(remote.SSRC()), local: local}
	h.media.Add(1)
	defer h.media.Done()
	r.mu.Lock()
	if r.ended || r.participants[p.id] != p || p.terminated.Load() {
		r.mu.Unlock()
		return
	}
	t.muted.Store(r.isMuted(p.id, kind))
	r.tracks[t.id] = t
	subscribers := r.admittedLocked(p)
	maxBitrate := r.maxBitrate() // a reschedule may change it, under the lock
	r.mu.Unlock()

	rec := h.startRecording(r, p, codec, kind)
	reason := "disconnected"
	defer func() { rec.finish(reason) }()
	for _, q := range subscribers {
		q.negotiate(false)
	}
	stop := make(chan struct{})
	defer close(stop)
	if kind == "video" {
		go p.controlVideo(t, maxBitrate, stop)
	}

	buf := make([]byte, 1500)
	var pkt rtp.Packet
	for {
		n, _, err := remote.Read(buf)
		if err != nil {
			if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "closed") {
				reason = "read_error"
			}
			break
		}
		if err := pkt.Unmarshal(buf[:n]); err != nil {
			continue
		}
		h.stats.PacketsIn.Add(1)
		h.stats.BytesIn.Add(int64(n))
		if t.muted.Load() {
			continue
		}
		rec.write(&pkt)
		if err := local.WriteRTP(&pkt); err == nil {
			h.stats.PacketsOut.Add(1)
			h.stats.BytesOut.Add(int64(n))
		}
	}
	if rr := p.reason.Load(); rr != nil {
		reason = *rr
	}
	r.mu.Lock()
	_, still := r.tracks[t.id]
	delete(r.tracks, t.id)
	subscribers = r.admittedLocked(p)
	ended := r.ended
	r.mu.Unlock()
	if still && !ended {
		for _, q := range subscribers {
			q.negotiate(false)
		}
	}
}

// controlVideo announces the room's bitrate cap to the publisher (REMB,
// which browsers honour) and, when configured, asks for periodic keyframes.
func (p *participant) controlVideo(t *forwardTrack, bitrate int, stop <-chan struct{}) {
	remb := time.NewTicker(time.Second)
	defer remb.Stop()
	var kf <-chan time.Time
	if iv := p.hub.cfg.KeyframeInterval; iv > 0 {
		k := time.NewTicker(iv)
		defer k.Stop()
		kf = k.C
	}
	p.writeRTCP(&rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: float32(bitrate), SSRCs: []uint32{t.ssrc}})
	for {
		select {
		case <-stop:
			return
		case <-remb.C:
			p.writeRTCP(&rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: float32(bitrate), SSRCs: []uint32{t.ssrc}})
		case <-kf:
			t.askKeyframe(true)
		}
	}
}

func drain(remote *webrtc.TrackRemote) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := remote.Read(buf); err != nil {
			return
		}
	}
}
