package api

import (
	"io/fs"
	"mime"
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

func serveWebFile(c *fiber.Ctx, name string) error {
	b, err := fs.ReadFile(web.Mediation(), name)
	if err != nil {
		return domain.Errorf(domain.KindNotFound, "route.not_found", "No such file.")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; img-src 'self' data:; frame-ancestors 'none'")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(b)
}
