// Package realtime is remote video mediation: rooms, the signalling protocol,
// the pion/webrtc v4 SFU and server-side recording. It talks to sockets
// through a small interface (Conn) so that it neither imports Fiber nor needs
// a network in unit tests.
//
// pion/webrtc v4, not v3: v3's last release depends on pion/dtls/v2, which
// has no release with the fix for CVE-2026-26014 (DTLS AES-GCM/CCM nonces).
//
// The pieces:
//
//   - Hub (hub.go) owns the rooms of this node and the one webrtc.API they
//     share (codecs, NACK and RTCP-report interceptors, UDP port range or a
//     single UDP mux port, NAT 1:1 addresses). No package-level state.
//   - Room (room.go) belongs to a case or visit booking (Owner), has a time
//     window, invited participants with roles, caps on participants and
//     bitrate, and a server-enforced lobby: family and detainee terminal get
//     no PeerConnection until a host admits them.
//   - participant.go runs one socket: one reader, one writer goroutine with a
//     bounded queue (a slow client is cut off), tolerance for a few malformed
//     messages. forward.go does the media: server-made offers under a
//     per-participant negotiation lock, buffered remote candidates,
//     forwarding with PLI/FIR relayed to publishers, REMB bitrate caps.
//   - protocol.go is the versioned JSON envelope (docs/SIGNALLING.md);
//     DecodeSignal validates every message, SDP and candidates included,
//     before pion sees it.
//   - token.go signs and verifies room tokens (EdDSA JWT, audience
//     "tiaojie-room", at most two minutes) and makes TURN REST credentials.
//   - recording.go records every published track (Opus→Ogg, VP8→IVF,
//     H.264→Annex B) to a temporary file and hands it to the FileStorage port
//     when the track ends, on every exit path; metadata goes to the
//     RecordingStore port, room events to the EventSink port.
//   - selftest.go answers connectivity probes on the SFU's own ports.
//
// Lock order: participant.negMu before Room.mu; nothing holding Room.mu
// waits on a participant.
package realtime
