package realtime

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"

	"github.com/tiaojie/tiaojie/domain"
)

// ProbeReport answers a connectivity self-test: the SDP answer for the
// client's probe offer and which kinds of candidates the server offered.
// The client then learns from its own connection whether the media port is
// reachable directly (a "host" or "srflx" pair succeeds) or only through
// TURN ("relay"), before a call starts.
type ProbeReport struct {
	SDP                  string   `json:"sdp"`
	ServerCandidateTypes []string `json:"server_candidate_types"`
}

const (
	probeTTL  = 20 * time.Second
	maxProbes = 32
	// maxProbesEach keeps one person from holding every probe slot (one
	// citizen held all 32 and nobody else could test their connection).
	maxProbesEach  = 2
	probeGatherMax = 5 * time.Second
)

// Probe answers a client's self-test offer (a PeerConnection with one data
// channel, candidates gathered, no trickle) on the same ports and NAT
// settings as real rooms. The server side lives probeTTL at most. The
// channel yields the candidate pair the server saw succeed ("host/host",
// "host/relay": local/remote) if the client connects; an HTTP endpoint just
// returns the report.
func (h *Hub) Probe(ctx context.Context, offerSDP string) (ProbeReport, <-chan string, error) {
	return h.ProbeFor(ctx, "", offerSDP)
}

// ProbeFor is Probe on behalf of owner (a user), who holds at most
// maxProbesEach of the slots at once; "" is nobody in particular.
func (h *Hub) ProbeFor(ctx context.Context, owner, offerSDP string) (ProbeReport, <-chan string, error) {
	if err := validateSDP(offerSDP); err != nil {
		return ProbeReport{}, nil, domain.Invalid(domain.FieldError{Field: "sdp", Code: domain.FieldInvalid, Message: err.(*ProtocolError).Message})
	}
	busy := domain.Errorf(domain.KindRateLimited, "rtc.check_busy", "Too many connection checks at once; try again shortly.")
	h.mu.Lock()
	if owner != "" && h.probeOwners[owner] >= maxProbesEach {
		h.mu.Unlock()
		return ProbeReport{}, nil, busy
	}
	h.probeOwners[owner]++
	h.mu.Unlock()
	leave := func() {
		h.mu.Lock()
		if h.probeOwners[owner]--; h.probeOwners[owner] <= 0 {
			delete(h.probeOwners, owner)
		}
		h.mu.Unlock()
	}
	select {
	case h.probes <- struct{}{}:
	default:
		leave()
		return ProbeReport{}, nil, busy
	}
	release := func() { <-h.probes; leave() }
	pc, err := h.api.NewPeerConnection(h.pcConfig())
	if err != nil {
		release()
		return ProbeReport{}, nil, err
	}
	connected := make(chan string, 1)
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s != webrtc.PeerConnectionStateConnected {
			return
		}
		pair, err := pc.SCTP().Transport().ICETransport().GetSelectedCandidatePair()
		if err == nil && pair != nil {
			select {
			case connected <- pair.Local.Typ.String() + "/" + pair.Remote.Typ.String():
			default:
			}
		}
	})
	timer := time.AfterFunc(probeTTL, func() { _ = pc.Close(); release() })
	fail := func(err error) (ProbeReport, <-chan string, error) {
		if timer.Stop() {
			_ = pc.Close()
			release()
		}
		return ProbeReport{}, nil, err
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offerSDP}); err != nil {
		return fail(domain.Invalid(domain.FieldError{Field: "sdp", Code: domain.FieldInvalid, Message: "the offer was not accepted"}))
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return fail(domain.Invalid(domain.FieldError{Field: "sdp", Code: domain.FieldInvalid, Message: "the offer was not accepted"}))
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return fail(err)
	}
	select {
	case <-gathered:
	case <-time.After(probeGatherMax):
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	rep := ProbeReport{SDP: pc.LocalDescription().SDP}
	types := map[string]bool{}
	for _, line := range strings.Split(rep.SDP, "\n") {
		if !strings.HasPrefix(line, "a=candidate:") {
			continue
		}
		if c, err := ice.UnmarshalCandidate(strings.TrimSpace(strings.TrimPrefix(line, "a=candidate:"))); err == nil {
			types[c.Type().String()] = true
		}
	}
	for t := range types {
		rep.ServerCandidateTypes = append(rep.ServerCandidateTypes, t)
	}
	sort.Strings(rep.ServerCandidateTypes)
	return rep, connected, nil
}
