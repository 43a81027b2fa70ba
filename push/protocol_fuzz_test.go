package push

import (
	"strings"
	"testing"
)

// FuzzDecodeClientMessage: whatever a staff app sends, decoding never
// panics, and what it accepts is one of the known messages with its
// required field in shape.
func FuzzDecodeClientMessage(f *testing.F) {
	for _, seed := range []string{`{"type":"ack","delivery_id":"wo:unit:3/1700000000000-0"}`, `{"type":"auth","token":"x"}`,
		`{"type":"ping"}`, `{"type":"ack","delivery_id":"wo:unit:3/"}`, `{"type":"ack"}{}`, `[]`, ``, `{"type":"ping","extra":1}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeClientMessage(b)
		if err != nil {
			return
		}
		switch m.Type {
		case MsgAck:
			stream, entry, ok := SplitDeliveryID(m.DeliveryID)
			if !ok || !strings.HasPrefix(stream, "wo:") || DeliveryID(stream, entry) != m.DeliveryID {
				t.Fatalf("accepted a bad delivery ID %q", m.DeliveryID)
			}
		case MsgAuth:
			if m.Token == "" {
				t.Fatal("accepted auth without a token")
			}
		case MsgPing:
		default:
			t.Fatalf("accepted unknown type %q", m.Type)
		}
	})
}
