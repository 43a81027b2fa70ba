package push

import (
	"encoding/json"
	"strings"
	"time"
)

// The staff stream protocol (docs/DISPATCH.md), JSON text messages.
//
// Client → server: {"type":"auth","token":"…"} first, unless the token came
// in the Sec-WebSocket-Protocol header; {"type":"ack","delivery_id":"…"};
// {"type":"ping"}.
// Server → client: ready, order, notice, acked, ping, pong, error.
const (
	MsgAuth   = "auth"
	MsgAck    = "ack"
	MsgPing   = "ping"
	MsgPong   = "pong"
	MsgReady  = "ready"
	MsgOrder  = "order"
	MsgNotice = "notice"
	MsgAcked  = "acked"
	MsgError  = "error"
)

// MaxClientMessage bounds what a staff app may send in one message.
const MaxClientMessage = 4 << 10

// ClientMessage is what a staff app sends.
type ClientMessage struct {
	Type       string `json:"type"`
	Token      string `json:"token,omitempty"`
	DeliveryID string `json:"delivery_id,omitempty"`
}

// OrderView is the order as the staff app sees it.
type OrderView struct {
	ID           int64      `json:"id"`
	Kind         string     `json:"kind"`
	UnitID       int64      `json:"unit_id"`
	PersonID     int64      `json:"person_id,omitempty"`
	Priority     int        `json:"priority"`
	State        string     `json:"state"`
	Title        string     `json:"title"`
	ResourceType string     `json:"resource_type"`
	ResourceID   int64      `json:"resource_id"`
	DueAt        *time.Time `json:"due_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
}

// ServerMessage is what the hub sends.
type ServerMessage struct {
	Type       string     `json:"type"`
	DeliveryID string     `json:"delivery_id,omitempty"`
	Order      *OrderView `json:"order,omitempty"`
	Redelivery bool       `json:"redelivery,omitempty"`
	OrderID    int64      `json:"order_id,omitempty"`
	Notice     string     `json:"notice,omitempty"`
	Text       string     `json:"text,omitempty"`
	App        string     `json:"app,omitempty"`
	Streams    []string   `json:"streams,omitempty"`
	Code       string     `json:"code,omitempty"`
	Message    string     `json:"message,omitempty"`
}

// DecodeClientMessage parses and checks one client message.
func DecodeClientMessage(b []byte) (ClientMessage, error) {
	var m ClientMessage
	if len(b) > MaxClientMessage {
		return m, errProtocol("message.too_large", "The message is too large.")
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, errProtocol("message.malformed", "The message is not valid JSON of a known shape.")
	}
	if dec.More() {
		return m, errProtocol("message.malformed", "One JSON object per message.")
	}
	switch m.Type {
	case MsgAuth:
		if m.Token == "" || len(m.Token) > 2048 {
			return m, errProtocol("auth.token_missing", "Send the access token.")
		}
	case MsgAck:
		if _, _, ok := SplitDeliveryID(m.DeliveryID); !ok {
			return m, errProtocol("ack.bad_delivery_id", "Unknown delivery ID.")
		}
	case MsgPing:
	default:
		return m, errProtocol("message.unknown_type", "Unknown message type.")
	}
	return m, nil
}

// DeliveryID names one delivery: the stream and its entry ID.
func DeliveryID(stream, entryID string) string { return stream + "/" + entryID }

// SplitDeliveryID is the inverse of DeliveryID.
func SplitDeliveryID(id string) (stream, entryID string, ok bool) {
	i := strings.LastIndexByte(id, '/')
	if i <= 0 || i == len(id)-1 || len(id) > 200 {
		return "", "", false
	}
	stream, entryID = id[:i], id[i+1:]
	ms, seq, found := strings.Cut(entryID, "-")
	if !found || !digits(ms) || !digits(seq) || !strings.HasPrefix(stream, "wo:") {
		return "", "", false
	}
	return stream, entryID, true
}

func digits(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ProtocolError is a bad client message, answered with its code.
type ProtocolError struct{ Code, Message string }

func (e *ProtocolError) Error() string { return e.Code + ": " + e.Message }

func errProtocol(code, msg string) error { return &ProtocolError{Code: code, Message: msg} }
