package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
)

// actorLocal is where the authentication guard leaves the verified caller.
const actorLocal ctxKey = 100

// setActor is called by the guard once the caller's token is verified.
func setActor(c *fiber.Ctx, a domain.Actor) {
	c.Locals(actorLocal, a)
}

// actor returns the verified caller of a guarded route, with the request's
// origin filled in for the audit log. Unguarded routes get the zero actor.
func (s *Server) actor(c *fiber.Ctx) domain.Actor {
	a, _ := c.Locals(actorLocal).(domain.Actor)
	a.IP = s.clientIP(c)
	a.RequestID = requestID(c)
	return a
}
