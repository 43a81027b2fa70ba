package realtime

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/pion/webrtc/v4"
)

// participant is one connected socket in a room. Its socket has one reader
// (run) and one writer (writeLoop); everything else talks to the client by
// queueing messages with send, which never blocks.
type participant struct {
	hub  *Hub
	room *Room
	id   string
	role Role
	name string
	conn Conn

	admitted bool // guarded by room.mu

	// Rate limits, touched by the reader (run) only.
	messages, timeline bucket

	sendMu     sync.Mutex
	out        chan []byte
	sendClosed bool
	writerDone chan struct{}

	termOnce   sync.Once
	terminated atomic.Bool
	reason     atomic.Pointer[string]

	// Negotiation: the server makes every offer; at most one is outstanding.
	negMu       sync.Mutex
	pc          *webrtc.PeerConnection
	seq         uint64 // of the last offer sent
	awaiting    uint64 // seq of the outstanding offer, 0 when stable
	pending     bool   // something changed while an offer was outstanding
	restart     bool   // the next offer restarts ICE
	candidates  []webrtc.ICECandidateInit
	senders     map[string]*webrtc.RTPSender // by forwarded track ID
	newSenders  []*forwardTrack
	mediaClosed bool
}

func newParticipant(h *Hub, r *Room, g RoomGrant, conn Conn) *participant {
	return &participant{hub: h, room: r, id: g.ParticipantID, role: g.Role, name: g.Name, conn: conn,
		out: make(chan []byte, h.cfg.SendQueue), writerDone: make(chan struct{}), senders: map[string]*webrtc.RTPSender{},
		messages: newBucket(messageBurst, messagesPerSec), timeline: newBucket(timelineBurst, timelineEventSec)}
}

// send queues a message. A client that does not drain its queue is cut off
// rather than allowed to block a pion callback or another participant.
func (p *participant) send(b []byte) {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if p.sendClosed {
		return
	}
	select {
	case p.out <- b:
	default:
		p.sendClosed = true
		close(p.out)
		p.hub.stats.SlowConsumers.Add(1)
		p.setReason(reasonSlow)
		go func() { _ = p.conn.Close() }() // unblocks the writer and the reader
	}
}

func (p *participant) closeSend() {
	p.sendMu.Lock()
	defer p.sendMu.Unlock()
	if !p.sendClosed {
		p.sendClosed = true
		close(p.out)
	}
}

func (p *participant) writeLoop() {
	defer close(p.writerDone)
	for b := range p.out {
		if err := p.conn.WriteMessage(TextMessage, b); err != nil {
			_ = p.conn.Close()
			for range p.out { // drain until closed
			}
			return
		}
	}
	_ = p.conn.Close()
}

func (p *participant) setReason(r string) { p.reason.CompareAndSwap(nil, &r) }

func (p *participant) errorMsg(err error, fatal bool) {
	var pe *ProtocolError
	if errors.As(err, &pe) {
		p.send(encode(TypeError, errorData{Code: pe.Code, Message: pe.Message, Fatal: fatal}))
		return
	}
	p.send(encode(TypeError, errorData{Code: "internal", Message: "internal error", Fatal: fatal}))
}

// run reads the socket until it fails or the participant is finished, then
// finishes them (a drop, unless something else ended them first).
func (p *participant) run(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { p.terminate(reasonEnded, encode(TypeEnded, map[string]string{"reason": "server_shutdown"})) })
	defer stop()
	bad := 0
	for {
		_, b, err := p.conn.ReadMessage()
		if err != nil {
			break
		}
		if p.terminated.Load() {
			continue // drain until the writer closes the socket
		}
		var sig Signal
		if !p.messages.allow(p.hub.now()) {
			err = errRateLimited()
		} else if sig, err = DecodeSignal(b); err == nil {
			err = p.handle(sig)
		}
		if err == nil {
			continue
		}
		var pe *ProtocolError
		if !errors.As(err, &pe) {
			p.hub.log.Error("realtime: handling a message", "room", p.room.spec.ID, "type", sig.Type, "err", err)
			p.errorMsg(err, false)
			continue
		}
		if pe.Code == "leave" {
			p.terminate(reasonLeft, nil)
			continue
		}
		bad++
		p.hub.stats.BadFrames.Add(1)
		if bad >= p.hub.cfg.MaxBadMessages {
			p.errorMsg(badMessage("message.too_many_bad", "too many malformed messages"), true)
			p.terminate(reasonBad, nil)
			continue
		}
		p.errorMsg(err, false)
	}
	p.terminate(reasonDropped, nil)
	<-p.writerDone
	return nil
}

// terminate finishes the participant exactly once: final message, out of
// the room, media closed (which finalises their recordings), socket closed
// after the queue is written.
func (p *participant) terminate(reason string, final []byte) {
	p.termOnce.Do(func() {
		p.setReason(reason)
		reason = *p.reason.Load()
		p.terminated.Store(true)
		if final != nil {
			p.send(final)
		}
		p.room.remove(p, reason)
		p.closeMedia()
		p.closeSend()
	})
}

// handle acts on one valid message.
func (p *participant) handle(s Signal) error {
	switch s.Type {
	case TypePing:
		p.send(encode(TypePong, nil))
		return nil
	case TypeLeave:
		return &ProtocolError{Code: "leave"}
	case TypeJoin:
		return badMessage("join.again", "already joined")
	}
	// Someone in the lobby only waits: any action of theirs (a mute
	// included, which lands on the case timeline) is a bad message.
	if !p.isAdmitted() {
		return badMessage("lobby.waiting", "wait until the host admits you")
	}
	switch s.Type {
	case TypeMute:
		if !p.timeline.allow(p.hub.now()) {
			return errRateLimited()
		}
		return p.room.setMute(p, *s.Mute)
	case TypeAnswer:
		return p.answer(*s.Answer)
	case TypeCandidate:
		return p.addCandidate(*s.Candidate)
	case TypeICERestart:
		p.negotiate(true)
		return nil
	}
	if p.role != RoleHost {
		return badMessage("forbidden", "only a host may do this")
	}
	switch s.Type {
	case TypeAdmit:
		return p.room.admitFromLobby(p, s.Target.Participant)
	case TypeDeny:
		return p.room.denyFromLobby(p, s.Target.Participant)
	case TypeKick:
		return p.room.kick(p, s.Target.Participant)
	case TypeEnd:
		p.room.end("host_ended", p.id)
		return nil
	}
	return badMessage("message.unknown_type", "unknown message type")
}

func (p *participant) isAdmitted() bool {
	p.room.mu.Lock()
	defer p.room.mu.Unlock()
	return p.admitted
}
