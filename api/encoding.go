package api

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// refuseEncodedBodies answers 415 to any request whose body carries a
// Content-Encoding. Fiber's c.Body() and fasthttp's multipart reader inflate
// gzip, deflate and brotli bodies in memory before any size check — BodyLimit
// counts the compressed bytes, JSONLimit applies after inflation — so a few
// hundred bytes could make the process allocate gigabytes. No client of ours
// compresses requests, so refusing is cheaper and safer than a capped
// inflater. It runs first, before any route, so that every path (JSON,
// uploads, WebSocket upgrades, unknown routes) is covered. Every
// Content-Encoding header line is checked, not only the last.
func refuseEncodedBodies(c *fiber.Ctx) error {
	encoded := false
	c.Request().Header.VisitAll(func(key, value []byte) {
		if !strings.EqualFold(string(key), fiber.HeaderContentEncoding) {
			return
		}
		for _, coding := range strings.Split(string(value), ",") {
			if coding = strings.TrimSpace(coding); coding != "" && !strings.EqualFold(coding, "identity") {
				encoded = true
			}
		}
	})
	if encoded {
		// RFC 7694: say which codings are accepted.
		c.Set(fiber.HeaderAcceptEncoding, "identity")
		return &httpError{Status: http.StatusUnsupportedMediaType, Code: "request.unsupported_encoding"}
	}
	return c.Next()
}
