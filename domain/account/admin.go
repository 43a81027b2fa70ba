package account

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// CreateOrg adds an organisation under parentID (0 for a root: a district,
// a law firm or a partner unit).
func (s *Service) CreateOrg(ctx context.Context, a domain.Actor, parentID int64, kind OrgKind, name string) (*Org, error) {
	name, err := validateOrgName(name)
	if err != nil {
		return nil, err
	}
	if !ValidOrgKind(kind) {
		return nil, domain.Invalid(domain.FieldError{Field: "kind", Code: domain.FieldUnsupported, Message: "is not an organisation kind"})
	}
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	o := &Org{ParentID: parentID, Kind: kind, Name: name, CreatedAt: now, UpdatedAt: now}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if parentID == 0 && !sc.all && !sharedUnit(o) {
			// A new district is a new tree: no district's admin owns it.
			return domain.Invalid(domain.FieldError{Field: "parent_id", Code: domain.FieldNotAllowed, Message: "only a law firm or partner unit stands beside the districts"})
		}
		if parentID != 0 {
			parent, err := s.Orgs.Org(ctx, parentID)
			if err != nil {
				return orgMissing(err, "parent_id")
			}
			if !sc.coversOrg(parent) {
				return errOrgOutOfScope("parent_id")
			}
			o.Path = parent.Path // the store appends the new ID
		}
		if err := s.Orgs.CreateOrg(ctx, o); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "org.create", "org", o.ID, string(kind)))
	})
	return o, err
}

// RenameOrg changes an organisation's name.
func (s *Service) RenameOrg(ctx context.Context, a domain.Actor, id int64, name string) (*Org, error) {
	name, err := validateOrgName(name)
	if err != nil {
		return nil, err
	}
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	var out *Org
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.Orgs.Org(ctx, id)
		if err != nil {
			return orgMissing(err, "")
		}
		if !sc.coversOrg(o) {
			return errOrgOutOfScope("")
		}
		o.Name, o.UpdatedAt = name, s.Clock.Now()
		if err := s.Orgs.UpdateOrg(ctx, o); err != nil {
			return err
		}
		out = o
		return s.Audit.Audit(ctx, domain.AuditOf(a, o.UpdatedAt, "org.rename", "org", id, ""))
	})
	return out, err
}

// MoveOrg puts an organisation (and its subtree) under another parent; it
// cannot move under itself.
func (s *Service) MoveOrg(ctx context.Context, a domain.Actor, id, newParentID int64) (*Org, error) {
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	var out *Org
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.Orgs.Org(ctx, id)
		if err != nil {
			return orgMissing(err, "")
		}
		// The admin's own organisation is the root of their scope: moving
		// it would hand the subtree to someone else.
		if !sc.coversOrg(o) || (!sc.all && o.Path == sc.path) {
			return errOrgOutOfScope("")
		}
		newPath := "/"
		if newParentID == 0 && !sc.all {
			return errOrgOutOfScope("parent_id")
		}
		if newParentID != 0 {
			parent, err := s.Orgs.Org(ctx, newParentID)
			if err != nil {
				return orgMissing(err, "parent_id")
			}
			if !sc.coversOrg(parent) {
				return errOrgOutOfScope("parent_id")
			}
			if o.Contains(*parent) {
				return domain.Invalid(domain.FieldError{Field: "parent_id", Code: domain.FieldNotAllowed, Message: "an organisation cannot move under itself"})
			}
			newPath = parent.Path
		}
		oldPath := o.Path
		o.ParentID, o.UpdatedAt = newParentID, s.Clock.Now()
		o.Path = newPath + strconv.FormatInt(o.ID, 10) + "/"
		if err := s.Orgs.UpdateOrg(ctx, o); err != nil {
			return err
		}
		if err := s.Orgs.MovePaths(ctx, oldPath, o.Path); err != nil {
			return err
		}
		out = o
		return s.Audit.Audit(ctx, domain.AuditOf(a, o.UpdatedAt, "org.move", "org", id, ""))
	})
	return out, err
}

// ListOrgs lists organisations of a kind ("" for all).
func (s *Service) ListOrgs(ctx context.Context, kind OrgKind) ([]Org, error) {
	if kind != "" && !ValidOrgKind(kind) {
		return nil, domain.Invalid(domain.FieldError{Field: "kind", Code: domain.FieldUnsupported, Message: "is not an organisation kind"})
	}
	return s.Orgs.Orgs(ctx, kind, "")
}

func orgMissing(err error, field string) error {
	if !domain.IsKind(err, domain.KindNotFound) {
		return err
	}
	if field != "" {
		return domain.Invalid(domain.FieldError{Field: field, Code: domain.FieldDoesNotExist, Message: "no such organisation"})
	}
	return domain.Errorf(domain.KindNotFound, "org.not_found", "No such organisation.")
}

// CreateStaff creates a staff account in an existing organisation.
func (s *Service) CreateStaff(ctx context.Context, a domain.Actor, n NewStaff) (*User, error) {
	n.Username = s.foldUsername(n.Username)
	if err := n.validate(); err != nil {
		return nil, err
	}
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if ok, err := s.coversAccount(ctx, sc, n.OrgID, nil); err != nil {
		return nil, err
	} else if !ok {
		return nil, errOrgOutOfScope("org_id")
	}
	if !sc.coversStations(n.StationIDs) {
		return nil, domain.Invalid(domain.FieldError{Field: "station_ids", Code: domain.FieldDoesNotExist, Message: "no such station in your organisation"})
	}
	hash, err := s.Passwords.Hash(n.Password)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	u := &User{Username: n.Username, Name: n.Name, Phone: n.Phone, Roles: n.Roles, OrgID: n.OrgID, FirmID: n.FirmID,
		StationIDs: n.StationIDs, PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.Orgs.Org(ctx, n.OrgID); err != nil {
			return orgMissing(err, "org_id")
		}
		if err := s.Users.CreateUser(ctx, u); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return domain.Invalid(domain.FieldError{Field: "username", Code: domain.FieldNotAllowed, Message: "is taken"})
			}
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "user.create", "user", u.ID, strings.Join(u.Roles, ",")))
	})
	return u, err
}

// UserChange is what an admin may change of a staff account; nil leaves a
// field as it is.
type UserChange struct {
	Disabled *bool
	Roles    []string
	Password *string
}

// ChangeUser applies an admin's change. Disabling an account, changing its
// roles or resetting its password ends its sessions at once.
func (s *Service) ChangeUser(ctx context.Context, a domain.Actor, id int64, c UserChange) (*User, error) {
	if c.Roles != nil {
		if err := validateStaffRoles(c.Roles); err != nil {
			return nil, domain.Invalid(domain.FieldError{Field: "roles", Code: domain.FieldUnsupported, Message: err.Error()})
		}
	}
	if c.Password != nil {
		if err := validatePassword(*c.Password); err != nil {
			return nil, err
		}
	}
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	var out *User
	var revoke []string
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		u, err := s.checkUser(ctx, sc, id)
		if err != nil {
			return err
		}
		if u.Has(RoleCitizen) && c.Roles != nil {
			return domain.Errorf(domain.KindFailedPrecondition, "user.citizen_roles", "A citizen account has no staff roles.")
		}
		if slices.Contains(c.Roles, RoleFirmHead) && u.FirmID == 0 {
			return domain.Errorf(domain.KindFailedPrecondition, "user.no_firm", "Only a lawyer of a law firm can head it.")
		}
		now := s.Clock.Now()
		var actions []string
		if c.Disabled != nil && *c.Disabled != u.Disabled {
			u.Disabled = *c.Disabled
			actions = append(actions, map[bool]string{true: "disable", false: "enable"}[u.Disabled])
		}
		if c.Roles != nil {
			u.Roles = c.Roles
			actions = append(actions, "roles")
		}
		if c.Password != nil {
			if u.PasswordHash, err = s.Passwords.Hash(*c.Password); err != nil {
				return err
			}
			actions = append(actions, "password")
		}
		u.UpdatedAt = now
		if err := s.Users.UpdateUser(ctx, u); err != nil {
			return err
		}
		if len(actions) > 0 && !(len(actions) == 1 && actions[0] == "enable") {
			if revoke, err = s.Sessions.RevokeUser(ctx, id, now); err != nil {
				return err
			}
		}
		out = u
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "user.change", "user", id, strings.Join(actions, ",")))
	})
	if err != nil {
		return nil, err
	}
	for _, sid := range revoke {
		if err := s.Revocations.Revoke(ctx, sid, s.Cfg.AccessTTL); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ListUsers pages the accounts of the admin's scope: their subtree, the
// shared units' staff serving its stations, and citizens.
func (s *Service) ListUsers(ctx context.Context, a domain.Actor, f UserFilter) ([]User, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	if !sc.all {
		if sc.path == "" {
			return nil, nil
		}
		if f.OrgPath == "" || !strings.HasPrefix(f.OrgPath, sc.path) {
			f.OrgPath = sc.path
		}
		f.OrServing, f.OrCitizens = sc.stations, true
	}
	return s.Users.Users(ctx, f)
}

// Me returns the caller's own account; reading it is audited like any read
// of personal data.
func (s *Service) Me(ctx context.Context, a domain.Actor) (*User, error) {
	u, err := s.Users.User(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	return u, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "user.read", "user", u.ID, "self"))
}

// User returns one account to an admin; the read is audited.
func (s *Service) User(ctx context.Context, a domain.Actor, id int64) (*User, error) {
	sc, err := s.adminScope(ctx, a)
	if err != nil {
		return nil, err
	}
	u, err := s.checkUser(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	return u, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "user.read", "user", id, ""))
}
