package api

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/web"
)

// consoleCSP lets the console load only its own files; styles may be inline
// because Element Plus and ECharts set style attributes, images and PDFs may
// be blob: URLs because attachments are fetched with the bearer token.
const consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; " +
	"img-src 'self' data: blob:; media-src 'self' blob: mediastream:; frame-src 'self' blob:; object-src 'none'; frame-ancestors 'none'"

// consoleFile serves the staff console. Its routes are the browser's
// (history mode), so any path that is not a built file gets index.html and
// the console's router decides; a missing asset under assets/ is a 404, so a
// stale cached page fails loudly instead of running HTML as script.
func consoleFile(c *fiber.Ctx) error { return appFile(c, web.Console(), consoleCSP) }

// h5CSP is the console's policy, and fonts may be data: URLs (Vant's icon
// font is inlined in its style sheet; nothing is fetched from a CDN).
const h5CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; connect-src 'self' ws: wss:; " +
	"img-src 'self' data: blob:; media-src 'self' blob: mediastream:; frame-src 'self' blob:; object-src 'none'; frame-ancestors 'none'"

// h5File serves the citizen and family mobile app at /h5/ the same way: its
// routes are the browser's, a missing asset is a 404. Its policy is the
// console's with inlined fonts (Vant sets style attributes; photos are
// previewed as blob: URLs before they are uploaded).
func h5File(c *fiber.Ctx) error { return appFile(c, web.H5(), h5CSP) }

// appFile serves one of the built single-page apps from files.
func appFile(c *fiber.Ctx, files fs.FS, csp string) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
	b, err := fs.ReadFile(files, name)
	if name == "" || err != nil {
		if strings.HasPrefix(name, "assets/") {
			return domain.Errorf(domain.KindNotFound, "route.not_found", "No such file.")
		}
		name = "index.html"
		if b, err = fs.ReadFile(files, name); err != nil {
			return domain.Errorf(domain.KindNotFound, "route.not_found", "No such file.")
		}
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderContentSecurityPolicy, csp)
	if strings.HasPrefix(name, "assets/") { // names carry a content hash
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	return c.Send(b)
}
