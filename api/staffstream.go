package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/push"
)

// StreamSubprotocol is the WebSocket subprotocol of the staff stream. An app
// may carry its access token as a second offered subprotocol,
// "bearer.<token>", instead of in its first message — never in the query
// string, which lands in access logs.
const StreamSubprotocol = "tiaojie.v1"

// staffStream upgrades to the staff app's work-order stream.
func (s *Server) staffStream() fiber.Handler {
	if s.staffHub == nil {
		return func(*fiber.Ctx) error {
			return domain.Errorf(domain.KindUnavailable, "stream.unavailable", "The work-order stream is not available on this server.")
		}
	}
	ws := websocket.New(func(conn *websocket.Conn) {
		conn.SetReadLimit(push.MaxClientMessage)
		token, _ := conn.Locals("token").(string)
		_ = s.staffHub.Serve(s.lifetime, wsConn{conn}, token)
	}, websocket.Config{HandshakeTimeout: 10 * time.Second, Subprotocols: []string{StreamSubprotocol}, ReadBufferSize: 4 << 10, WriteBufferSize: 16 << 10})
	return func(c *fiber.Ctx) error {
		if !websocket.IsWebSocketUpgrade(c) {
			return &httpError{Status: http.StatusUpgradeRequired, Code: "request.websocket_required"}
		}
		for _, p := range strings.Split(c.Get(fiber.HeaderSecWebSocketProtocol), ",") {
			if tok, ok := strings.CutPrefix(strings.TrimSpace(p), "bearer."); ok {
				c.Locals("token", strings.Clone(tok))
			}
		}
		return ws(c)
	}
}
