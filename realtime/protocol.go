package realtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pion/ice/v4"
	"github.com/pion/sdp/v3"
)

// ProtocolVersion is the "v" of every signalling message; see docs/SIGNALLING.md.
const ProtocolVersion = 1

// Limits of what a client may send. The WebSocket adapter should set its read
// limit to MaxMessageBytes too, so that an oversized frame is never buffered.
const (
	MaxMessageBytes   = 64 << 10
	maxSDPBytes       = 48 << 10
	maxMediaSections  = 64
	maxCandidateBytes = 512
	maxTokenBytes     = 2048
)

// Message types. Client to server: join, answer, candidate, mute, admit,
// deny, kick, end, ice_restart, leave, ping. Server to client: welcome, offer,
// candidate, participant_joined, participant_left, mute, lobby, admitted,
// denied, kicked, ended, replaced, recording, error, pong.
const (
	TypeJoin        = "join"
	TypeAnswer      = "answer"
	TypeCandidate   = "candidate"
	TypeMute        = "mute"
	TypeAdmit       = "admit"
	TypeDeny        = "deny"
	TypeKick        = "kick"
	TypeEnd         = "end"
	TypeICERestart  = "ice_restart"
	TypeLeave       = "leave"
	TypePing        = "ping"
	TypeWelcome     = "welcome"
	TypeOffer       = "offer"
	TypeJoined      = "participant_joined"
	TypeLeft        = "participant_left"
	TypeLobby       = "lobby"
	TypeAdmitted    = "admitted"
	TypeDenied      = "denied"
	TypeKicked      = "kicked"
	TypeEnded       = "ended"
	TypeReplaced    = "replaced"
	TypeRecording   = "recording"
	TypeError       = "error"
	TypePong        = "pong"
	maxTypeNameSize = 32
)

// Envelope is every message on the socket, both ways.
type Envelope struct {
	V    int             `json:"v"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data,omitempty"`
}

// Signal is a decoded, validated client message. Exactly the field that
// matches Type is set.
type Signal struct {
	Type      string
	Join      *JoinData
	Answer    *SDPData
	Candidate *CandidateData
	Mute      *MuteData
	Target    *TargetData // admit, deny, kick
}

// JoinData opens a session with a room token.
type JoinData struct {
	Token string `json:"token"`
}

// SDPData carries an answer (client) or an offer (server). Seq ties an
// answer to the offer it answers.
type SDPData struct {
	SDP string `json:"sdp"`
	Seq uint64 `json:"seq"`
}

// CandidateData is one trickled ICE candidate; an empty Candidate means the
// end of candidates.
type CandidateData struct {
	Candidate     string  `json:"candidate"`
	SDPMid        *string `json:"sdpMid,omitempty"`
	SDPMLineIndex *uint16 `json:"sdpMLineIndex,omitempty"`
}

// MuteData sets the mute state of one kind of media. Without Participant it
// is about the sender's own media; with it, a host mutes someone else.
type MuteData struct {
	Participant string `json:"participant,omitempty"`
	Kind        string `json:"kind"`
	Muted       bool   `json:"muted"`
}

// TargetData names the participant a host acts on.
type TargetData struct {
	Participant string `json:"participant"`
}

// ProtocolError is what a bad client message earns: a stable code sent back
// in an "error" message.
type ProtocolError struct {
	Code    string
	Message string
}

func (e *ProtocolError) Error() string { return "realtime: " + e.Code + ": " + e.Message }

func badMessage(code, format string, args ...any) error {
	return &ProtocolError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// DecodeSignal parses and validates one client message: size, envelope,
// version, type, and the type's data (an SDP answer is parsed with pion/sdp,
// a candidate with pion/ice) before any of it reaches a PeerConnection.
func DecodeSignal(b []byte) (Signal, error) {
	if len(b) > MaxMessageBytes {
		return Signal{}, badMessage("message.too_large", "a message may be at most %d bytes", MaxMessageBytes)
	}
	if !utf8.Valid(b) {
		return Signal{}, badMessage("message.malformed", "a message must be UTF-8 JSON")
	}
	var env Envelope
	if err := strictDecode(b, &env); err != nil {
		return Signal{}, badMessage("message.malformed", "not a signalling envelope: %v", err)
	}
	if env.V != ProtocolVersion {
		return Signal{}, badMessage("message.version", "unsupported protocol version %d; this server speaks %d", env.V, ProtocolVersion)
	}
	s := Signal{Type: env.Type}
	switch env.Type {
	case TypeJoin:
		s.Join = &JoinData{}
		if err := decodeData(env.Data, s.Join); err != nil {
			return Signal{}, err
		}
		if s.Join.Token == "" || len(s.Join.Token) > maxTokenBytes {
			return Signal{}, badMessage("message.invalid", "join needs a room token")
		}
	case TypeAnswer:
		s.Answer = &SDPData{}
		if err := decodeData(env.Data, s.Answer); err != nil {
			return Signal{}, err
		}
		if err := validateSDP(s.Answer.SDP); err != nil {
			return Signal{}, err
		}
	case TypeCandidate:
		s.Candidate = &CandidateData{}
		if err := decodeData(env.Data, s.Candidate); err != nil {
			return Signal{}, err
		}
		if err := validateCandidate(s.Candidate); err != nil {
			return Signal{}, err
		}
	case TypeMute:
		s.Mute = &MuteData{}
		if err := decodeData(env.Data, s.Mute); err != nil {
			return Signal{}, err
		}
		if s.Mute.Kind != "audio" && s.Mute.Kind != "video" {
			return Signal{}, badMessage("message.invalid", "mute kind must be audio or video")
		}
		if s.Mute.Participant != "" && !validID(s.Mute.Participant) {
			return Signal{}, badMessage("message.invalid", "bad participant id")
		}
	case TypeAdmit, TypeDeny, TypeKick:
		s.Target = &TargetData{}
		if err := decodeData(env.Data, s.Target); err != nil {
			return Signal{}, err
		}
		if !validID(s.Target.Participant) {
			return Signal{}, badMessage("message.invalid", "bad participant id")
		}
	case TypeEnd, TypeICERestart, TypeLeave, TypePing:
		if len(env.Data) > 0 && !bytes.Equal(bytes.TrimSpace(env.Data), []byte("null")) && !bytes.Equal(bytes.TrimSpace(env.Data), []byte("{}")) {
			return Signal{}, badMessage("message.invalid", "%s takes no data", env.Type)
		}
	default:
		t := env.Type
		if len(t) > maxTypeNameSize {
			t = t[:maxTypeNameSize]
		}
		return Signal{}, badMessage("message.unknown_type", "unknown message type %q", t)
	}
	return s, nil
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

func decodeData(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return badMessage("message.invalid", "data is required")
	}
	if err := strictDecode(raw, v); err != nil {
		return badMessage("message.invalid", "bad data: %v", err)
	}
	return nil
}

// validateSDP parses an answer with pion/sdp and bounds its size and shape,
// so that what pion's PeerConnection later sees is at least well formed.
func validateSDP(s string) error {
	if s == "" || len(s) > maxSDPBytes {
		return badMessage("sdp.invalid", "an SDP must be 1 to %d bytes", maxSDPBytes)
	}
	var d sdp.SessionDescription
	if err := d.UnmarshalString(s); err != nil {
		return badMessage("sdp.invalid", "the SDP does not parse")
	}
	if len(d.MediaDescriptions) == 0 || len(d.MediaDescriptions) > maxMediaSections {
		return badMessage("sdp.invalid", "the SDP must have 1 to %d media sections", maxMediaSections)
	}
	for _, m := range d.MediaDescriptions {
		switch m.MediaName.Media {
		case "audio", "video", "application":
		default:
			return badMessage("sdp.invalid", "unsupported media section")
		}
		if _, ok := m.Attribute("mid"); !ok {
			return badMessage("sdp.invalid", "every media section needs a mid")
		}
	}
	return nil
}

func validateCandidate(c *CandidateData) error {
	if len(c.Candidate) > maxCandidateBytes {
		return badMessage("candidate.invalid", "candidate too long")
	}
	if c.SDPMid != nil && (len(*c.SDPMid) > 32) {
		return badMessage("candidate.invalid", "sdpMid too long")
	}
	if c.SDPMLineIndex != nil && *c.SDPMLineIndex >= maxMediaSections {
		return badMessage("candidate.invalid", "sdpMLineIndex out of range")
	}
	if c.Candidate == "" { // end of candidates
		return nil
	}
	if _, err := ice.UnmarshalCandidate(strings.TrimPrefix(c.Candidate, "candidate:")); err != nil {
		return badMessage("candidate.invalid", "the candidate does not parse")
	}
	return nil
}

// validID accepts the identifiers the server makes for rooms and
// participants: 1–64 characters of letters, digits, '-', '_' and '.'. They
// end up in storage keys and TURN user names, so nothing else is allowed.
func validID(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

// encode builds an outgoing message.
func encode(typ string, data any) []byte {
	env := struct {
		V    int    `json:"v"`
		Type string `json:"type"`
		Data any    `json:"data,omitempty"`
	}{ProtocolVersion, typ, data}
	b, err := json.Marshal(env)
	if err != nil { // only our own types are encoded; this is a bug
		panic(fmt.Sprintf("realtime: encode %s: %v", typ, err))
	}
	return b
}

// errorData is the data of an "error" message.
type errorData struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fatal   bool   `json:"fatal,omitempty"`
}
