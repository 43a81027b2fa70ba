package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

func (s *Server) listOrgs(c *fiber.Ctx) error {
	orgs, err := s.accounts.ListOrgs(c.UserContext(), account.OrgKind(c.Query("kind")))
	if err != nil {
		return err
	}
	return c.JSON(toOrgDTOs(orgs))
}

func (s *Server) createOrg(c *fiber.Ctx) error {
	var body struct {
		ParentID int64  `json:"parent_id"`
		Kind     string `json:"kind"`
		Name     string `json:"name"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	o, err := s.accounts.CreateOrg(c.UserContext(), s.actor(c), body.ParentID, account.OrgKind(body.Kind), body.Name)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(toOrgDTOs([]account.Org{*o})[0])
}

// changeOrg renames and/or moves an organisation.
func (s *Server) changeOrg(c *fiber.Ctx) error {
	var body struct {
		Name     *string `json:"name"`
		ParentID *int64  `json:"parent_id"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	if body.Name == nil && body.ParentID == nil {
		return domain.Invalid(domain.FieldError{Field: "name", Code: domain.FieldRequired, Message: "give a new name or a new parent_id"})
	}
	var o *account.Org
	if body.Name != nil {
		if o, err = s.accounts.RenameOrg(c.UserContext(), s.actor(c), id, *body.Name); err != nil {
			return err
		}
	}
	if body.ParentID != nil {
		if o, err = s.accounts.MoveOrg(c.UserContext(), s.actor(c), id, *body.ParentID); err != nil {
			return err
		}
	}
	return c.JSON(toOrgDTOs([]account.Org{*o})[0])
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	users, err := s.accounts.ListUsers(c.UserContext(), s.actor(c), account.UserFilter{Role: c.Query("role"), Before: before, Limit: limit})
	if err != nil {
		return err
	}
	out := make([]userDTO, len(users))
	for i := range users {
		out[i] = toUserDTO(&users[i], s.loc)
	}
	return c.JSON(newPage(out, limit, func(u userDTO) int64 { return u.ID }))
}

func (s *Server) createUser(c *fiber.Ctx) error {
	var body struct {
		Username   string   `json:"username"`
		Name       string   `json:"name"`
		Password   string   `json:"password"`
		Roles      []string `json:"roles"`
		OrgID      int64    `json:"org_id"`
		FirmID     int64    `json:"firm_id"`
		StationIDs []int64  `json:"station_ids"`
		Phone      string   `json:"phone"`
	}
	if err := s.decodeJSON(c, &body); err != nil {
		return err
	}
	u, err := s.accounts.CreateStaff(c.UserContext(), s.actor(c), account.NewStaff{Username: body.Username, Name: body.Name,
		Password: body.Password, Roles: body.Roles, OrgID: body.OrgID, FirmID: body.FirmID, StationIDs: body.StationIDs, Phone: body.Phone})
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(toUserDTO(u, s.loc))
}

// changeUser disables or enables an account, changes its roles or resets
// its password.
func (s *Server) changeUser(c *fiber.Ctx) error {
	var body struct {
		Disabled *bool    `json:"disabled"`
		Roles    []string `json:"roles"`
		Password *string  `json:"password"`
	}
	id, err := s.pathIDAndBody(c, "id", &body)
	if err != nil {
		return err
	}
	u, err := s.accounts.ChangeUser(c.UserContext(), s.actor(c), id, account.UserChange{Disabled: body.Disabled, Roles: body.Roles, Password: body.Password})
	if err != nil {
		return err
	}
	return c.JSON(toUserDTO(u, s.loc))
}

// AuditQuery is one page of the audit log.
type AuditQuery struct {
	ActorID      int64
	ResourceType string
	ResourceID   int64
	From, To     time.Time
	Before       int64
	Limit        int
}

// AuditLine is one audit entry as stored.
type AuditLine struct {
	ID int64
	domain.AuditEntry
}

// AuditReader pages the audit log.
type AuditReader func(ctx context.Context, q AuditQuery) ([]AuditLine, error)

type auditDTO struct {
	ID           int64     `json:"id"`
	At           time.Time `json:"at"`
	ActorID      int64     `json:"actor_id"`
	ActorRole    string    `json:"actor_role"`
	Action       string    `json:"action"`
	ResourceType string    `json:"resource_type"`
	ResourceID   int64     `json:"resource_id"`
	Detail       string    `json:"detail"`
	IP           string    `json:"ip"`
	RequestID    string    `json:"request_id"`
}

func (s *Server) auditLog(c *fiber.Ctx) error {
	before, limit, err := pageQuery(c)
	if err != nil {
		return err
	}
	q := AuditQuery{ResourceType: c.Query("resource_type"), Before: before, Limit: limit}
	var p domain.Problems
	for name, dst := range map[string]*int64{"actor_id": &q.ActorID, "resource_id": &q.ResourceID} {
		if v := c.Query(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				p.Add(name, domain.FieldInvalid, "is not an ID")
			}
			*dst = n
		}
	}
	for name, dst := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		if v := c.Query(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				p.Add(name, domain.FieldInvalid, "is an RFC 3339 time")
			}
			*dst = t
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	lines, err := s.audit(c.UserContext(), q)
	if err != nil {
		return err
	}
	out := make([]auditDTO, len(lines))
	for i, l := range lines {
		out[i] = auditDTO{ID: l.ID, At: l.At.In(s.loc), ActorID: l.ActorID, ActorRole: l.ActorRole, Action: l.Action,
			ResourceType: l.ResourceType, ResourceID: l.ResourceID, Detail: l.Detail, IP: l.IP, RequestID: l.RequestID}
	}
	return c.JSON(newPage(out, limit, func(a auditDTO) int64 { return a.ID }))
}

// exportUser answers a data-subject access request: everything held about
// one person.
func (s *Server) exportUser(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a := s.actor(c)
	u, err := s.accounts.User(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	views, err := s.mediation.ExportFiler(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	lines, err := s.audit(c.UserContext(), AuditQuery{ActorID: id, Limit: 1000})
	if err != nil {
		return err
	}
	out := struct {
		User     userDTO            `json:"user"`
		Phone    string             `json:"phone"`
		Requests []requestDetailDTO `json:"requests"`
		Activity []auditDTO         `json:"activity"`
	}{User: toUserDTO(u, s.loc), Phone: u.Phone, Requests: []requestDetailDTO{}, Activity: []auditDTO{}}
	owner := domain.Actor{UserID: id}
	for i := range views {
		out.Requests = append(out.Requests, toRequestDetailDTO(&views[i], owner, s.loc))
	}
	for _, l := range lines {
		out.Activity = append(out.Activity, auditDTO{ID: l.ID, At: l.At.In(s.loc), ActorID: l.ActorID, ActorRole: l.ActorRole, Action: l.Action,
			ResourceType: l.ResourceType, ResourceID: l.ResourceID, Detail: l.Detail, IP: l.IP, RequestID: l.RequestID})
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="person-`+strconv.FormatInt(id, 10)+`.json"`)
	return c.JSON(out)
}
