package api

import (
	"io/fs"
	"path"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/web"
)

// mediationPage serves the browser client: /app/mediation is its page and
// /app/mediation/{file} its script and style, from the binary.
func mediationPage(c *fiber.Ctx) error {
	return serveWebFile(c, "index.html")
}

func mediationAsset(c *fiber.Ctx) error {
	return serveWebFile(c, path.Base(c.Params("file")))
}

// webFileTypes are the client's file types, fixed here rather than taken from
// the host's mime.types (which says application/javascript on some systems):
// openapi.yaml lists exactly these.
var webFileTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
}

func serveWebFile(c *fiber.Ctx, name string) error {
	b, err := fs.ReadFile(web.Mediation(), name)
	if err != nil {
		return domain.Errorf(domain.KindNotFound, "route.not_found", "No such file.")
	}
	ct, ok := webFileTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; img-src 'self' data:; frame-ancestors 'none'")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(b)
}
