package api

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/tiaojie/tiaojie/domain"
)

// Authenticator verifies an access token and returns the caller and their
// session.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (domain.Actor, string, error)
}

// access is the policy a route declares: public, any signed-in caller, or
// one of some roles. Object-level rules (a citizen sees only their own
// request) are the domain's; this is the first gate.
type access struct {
	public bool
	roles  []string
}

func public() access               { return access{public: true} }
func signedIn() access             { return access{} }
func roles(names ...string) access { return access{roles: names} }
func (a access) allows(r []string) bool {
	if len(a.roles) == 0 {
		return true
	}
	for _, want := range a.roles {
		for _, have := range r {
			if have == want {
				return true
			}
		}
	}
	return false
}

// route is one entry of the route table: every endpoint declares its policy
// here, and TestEveryRouteEnforcesItsPolicy walks the table.
type route struct {
	method, path string
	access       access
	handler      fiber.Handler
}

const sessionLocal ctxKey = 101

// guard authenticates the bearer token (never a query parameter) and checks
// the route's roles.
func (s *Server) guard(a access) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if a.public {
			return c.Next()
		}
		token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		if !ok || token == "" {
			return domain.Errorf(domain.KindUnauthenticated, "auth.token_missing", "Log in first: send Authorization: Bearer <access token>.")
		}
		actor, sid, err := s.auth.Authenticate(c.UserContext(), token)
		if err != nil {
			return err
		}
		if !a.allows(actor.Roles) {
			return domain.Errorf(domain.KindForbidden, "auth.role_forbidden", "Your role may not do this.")
		}
		setActor(c, actor)
		c.Locals(sessionLocal, utils.CopyString(sid))
		return c.Next()
	}
}

func sessionOf(c *fiber.Ctx) string {
	sid, _ := c.Locals(sessionLocal).(string)
	return sid
}

// Policy is a route's declared access, for tests that walk the router.
type Policy struct {
	Method, Path string
	Public       bool
	Roles        []string // empty and not public: any signed-in caller
}

// Policies lists every route of the table with its access policy.
func (s *Server) Policies() []Policy {
	out := make([]Policy, len(s.table))
	for i, r := range s.table {
		out[i] = Policy{Method: r.method, Path: r.path, Public: r.access.public, Roles: r.access.roles}
	}
	return out
}
