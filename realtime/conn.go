package realtime

// TextMessage is the WebSocket text frame type (RFC 6455 opcode 1), the
// only kind the protocol uses.
const TextMessage = 1

// Conn is a signalling socket as the SFU needs it. *websocket.Conn of
// gofiber/contrib/websocket (and of gorilla or fasthttp websocket) has
// exactly these methods; the adapter in api/ adds a write deadline and the
// read limit. One goroutine reads and one writes, never more.
type Conn interface {
	ReadMessage() (messageType int, p []byte, err error)
	WriteMessage(messageType int, data []byte) error
	Close() error
}
