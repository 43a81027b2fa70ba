package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// AccountService is what the identity handlers need of the domain.
type AccountService interface {
	Authenticator
	RequestCode(ctx context.Context, phone, ip string) (time.Duration, error)
	CitizenLogin(ctx context.Context, phone, code, ip, miniAppID string) (*account.TokenPair, *account.User, error)
	MiniAppLogin(ctx context.Context, code, ip string) (*account.TokenPair, *account.User, string, error)
	OpenLinkTicket(ticket string) (string, error)
	StaffLogin(ctx context.Context, username, password, ip string) (*account.TokenPair, *account.User, error)
	Refresh(ctx context.Context, refresh string) (*account.TokenPair, error)
	Logout(ctx context.Context, a domain.Actor, sessionID string) error
	Me(ctx context.Context, a domain.Actor) (*account.User, error)
	Stations(ctx context.Context) ([]account.Org, error)
	StaffNames(ctx context.Context, ids []int64) ([]account.StaffName, error)
	People(ctx context.Context, a domain.Actor, f account.PeopleFilter) ([]account.Person, bool, error)
	PartnerUnits(ctx context.Context) ([]account.Org, error)
	CreateOrg(ctx context.Context, a domain.Actor, parentID int64, kind account.OrgKind, name string) (*account.Org, error)
	RenameOrg(ctx context.Context, a domain.Actor, id int64, name string) (*account.Org, error)
	MoveOrg(ctx context.Context, a domain.Actor, id, newParentID int64) (*account.Org, error)
	ListOrgs(ctx context.Context, kind account.OrgKind) ([]account.Org, error)
	CreateStaff(ctx context.Context, a domain.Actor, n account.NewStaff) (*account.User, error)
	ChangeUser(ctx context.Context, a domain.Actor, id int64, c account.UserChange) (*account.User, error)
	ListUsers(ctx context.Context, a domain.Actor, f account.UserFilter) ([]account.User, error)
	User(ctx context.Context, a domain.Actor, id int64) (*account.User, error)
}

type tokenPairDTO struct {
	AccessToken  string   `json:"access_token"`
	RefreshToken string   `json:"refresh_token"`
	ExpiresIn    int      `json:"expires_in"`
	TokenType    string   `json:"token_type"`
	User         *userDTO `json:"user,omitempty"`
}

func toTokenPairDTO(p *account.TokenPair, u *account.User, loc *time.Location) tokenPairDTO {
	d := tokenPairDTO{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, ExpiresIn: p.ExpiresIn, TokenType: "Bearer"}
	if u != nil {
		ud := toUserDTO(u, loc)
		d.User = &ud
	}
	return d
}

type userDTO struct {
	ID         int64      `json:"id"`
	Username   string     `json:"username,omitempty"`
	Name       string     `json:"name"`
	Phone      string     `json:"phone,omitempty"`
	Roles      []string   `json:"roles"`
	OrgID      *int64     `json:"org_id"`
	FirmID     *int64     `json:"firm_id"`
	StationIDs []int64    `json:"station_ids"`
	Disabled   bool       `json:"disabled"`
	CreatedAt  time.Time  `json:"created_at"`
	LastLogin  *time.Time `json:"last_login_at"`
}

// toUserDTO renders an account with its phone masked: no screen of ours
// needs a full number back.
func toUserDTO(u *account.User, loc *time.Location) userDTO {
	d := userDTO{ID: u.ID, Username: u.Username, Name: u.Name, Roles: u.Roles, OrgID: optID(u.OrgID), FirmID: optID(u.FirmID),
		StationIDs: u.StationIDs, Disabled: u.Disabled, CreatedAt: u.CreatedAt.In(loc)}
	if u.Phone != "" {
		d.Phone = domain.MaskPhone(u.Phone)
	}
	if d.StationIDs == nil {
		d.StationIDs = []int64{}
	}
	if d.Roles == nil {
		d.Roles = []string{}
	}
	if u.LastLoginAt != nil {
		t := u.LastLoginAt.In(loc)
		d.LastLogin = &t
	}
	return d
}

func (s *Server) requestCode(c *fiber.Ctx) error {
	var body struct {
		Phone string `json:"phone"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	next, err := s.accounts.RequestCode(c.UserContext(), body.Phone, s.clientIP(c))
	if err != nil {
		return err
	}
	return c.Status(http.StatusAccepted).JSON(fiber.Map{"sent": true, "retry_after": int(next / time.Second)})
}

func (s *Server) citizenLogin(c *fiber.Ctx) error {
	var body struct {
		Phone      string `json:"phone"`
		Code       string `json:"code"`
		LinkTicket string `json:"link_ticket"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	var miniApp string
	if body.LinkTicket != "" {
		var err error
		if miniApp, err = s.accounts.OpenLinkTicket(body.LinkTicket); err != nil {
			return err
		}
	}
	p, u, err := s.accounts.CitizenLogin(c.UserContext(), body.Phone, body.Code, s.clientIP(c), miniApp)
	if err != nil {
		return err
	}
	return c.JSON(toTokenPairDTO(p, u, s.loc))
}

func (s *Server) miniAppLogin(c *fiber.Ctx) error {
	var body struct {
		Code string `json:"code"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	p, u, ticket, err := s.accounts.MiniAppLogin(c.UserContext(), body.Code, s.clientIP(c))
	if err != nil {
		return err
	}
	if p == nil {
		return c.JSON(fiber.Map{"needs_phone": true, "link_ticket": ticket})
	}
	d := toTokenPairDTO(p, u, s.loc)
	return c.JSON(fiber.Map{"needs_phone": false, "access_token": d.AccessToken, "refresh_token": d.RefreshToken,
		"expires_in": d.ExpiresIn, "token_type": d.TokenType, "user": d.User})
}

func (s *Server) staffLogin(c *fiber.Ctx) error {
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	p, u, err := s.accounts.StaffLogin(c.UserContext(), body.Username, body.Password, s.clientIP(c))
	if err != nil {
		return err
	}
	return c.JSON(toTokenPairDTO(p, u, s.loc))
}

func (s *Server) refresh(c *fiber.Ctx) error {
	var body struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	p, err := s.accounts.Refresh(c.UserContext(), body.RefreshToken)
	if err != nil {
		return err
	}
	return c.JSON(toTokenPairDTO(p, nil, s.loc))
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.accounts.Logout(c.UserContext(), s.actor(c), sessionOf(c)); err != nil {
		return err
	}
	return c.SendStatus(http.StatusNoContent)
}

func (s *Server) me(c *fiber.Ctx) error {
	u, err := s.accounts.Me(c.UserContext(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(toUserDTO(u, s.loc))
}

type orgDTO struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
}

func toOrgDTOs(orgs []account.Org) []orgDTO {
	out := make([]orgDTO, len(orgs))
	for i, o := range orgs {
		out[i] = orgDTO{ID: o.ID, ParentID: optID(o.ParentID), Kind: string(o.Kind), Name: o.Name}
	}
	return out
}

func (s *Server) listStations(c *fiber.Ctx) error {
	orgs, err := s.accounts.Stations(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(toOrgDTOs(orgs))
}

// clientIP is the caller's address as a string of its own: behind a proxy
// Fiber answers a view of the request's header buffer, which the next request
// overwrites, and the address outlives the handler in sessions and audit rows.
