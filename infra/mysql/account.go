package mysql

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// AccountStore keeps organisations, users and their stations.
type AccountStore struct {
	db   *DB
	orgs cache[map[int64]account.Org] // the whole tree: hundreds of rows, read on every request
}

var (
	_ account.UserStore = (*AccountStore)(nil)
	_ account.OrgStore  = (*AccountStore)(nil)
)

// NewAccountStore returns the store over db.
func NewAccountStore(db *DB) *AccountStore { return &AccountStore{db: db} }

type orgRow struct {
	ID        int64 `gorm:"primaryKey"`
	ParentID  int64
	Kind      string
	Name      string
	Path      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (orgRow) TableName() string { return "organizations" }

func (r orgRow) toDomain() account.Org {
	return account.Org{ID: r.ID, ParentID: r.ParentID, Kind: account.OrgKind(r.Kind), Name: r.Name, Path: r.Path,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// CreateOrg inserts an organisation; its path is its parent's (o.Path on
// entry, "" for a root) followed by its own ID.
func (s *AccountStore) CreateOrg(ctx context.Context, o *account.Org) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		parentPath := o.Path
		if parentPath == "" {
			parentPath = "/"
		}
		row := orgRow{ParentID: o.ParentID, Kind: string(o.Kind), Name: o.Name, Path: "pending", CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return Translate(err, "create organisation")
		}
		o.ID, o.Path = row.ID, fmt.Sprintf("%s%d/", parentPath, row.ID)
		s.orgs.reset()
		return Translate(s.db.Conn(ctx).Model(&orgRow{}).Where("id = ?", row.ID).Update("path", o.Path).Error, "set organisation path")
	})
}

// Org loads one organisation (from the cached tree outside transactions).
func (s *AccountStore) Org(ctx context.Context, id int64) (*account.Org, error) {
	if !InTx(ctx) {
		all, err := s.orgs.get(func() (map[int64]account.Org, error) { return s.loadOrgs(ctx) })
		if err != nil {
			return nil, err
		}
		if o, ok := all[id]; ok {
			return &o, nil
		}
	}
	var row orgRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find organisation %d", id))
	}
	o := row.toDomain()
	return &o, nil
}

func (s *AccountStore) loadOrgs(ctx context.Context) (map[int64]account.Org, error) {
	var rows []orgRow
	if err := s.db.Conn(ctx).Find(&rows).Error; err != nil {
		return nil, Translate(err, "load organisations")
	}
	out := make(map[int64]account.Org, len(rows))
	for _, r := range rows {
		out[r.ID] = r.toDomain()
	}
	return out, nil
}

// Orgs lists organisations of a kind ("" for all) under a path ("" for all).
func (s *AccountStore) Orgs(ctx context.Context, kind account.OrgKind, underPath string) ([]account.Org, error) {
	q := s.db.Conn(ctx).Order("path, id")
	if kind != "" {
		q = q.Where("kind = ?", string(kind))
	}
	if underPath != "" {
		q = q.Where("path LIKE ?", escapeLike(underPath)+"%")
	}
	var rows []orgRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, Translate(err, "list organisations")
	}
	out := make([]account.Org, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// UpdateOrg writes name, parent and path.
func (s *AccountStore) UpdateOrg(ctx context.Context, o *account.Org) error {
	s.orgs.reset()
	return Translate(s.db.Conn(ctx).Model(&orgRow{}).Where("id = ?", o.ID).
		Updates(map[string]any{"name": o.Name, "parent_id": o.ParentID, "path": o.Path, "updated_at": o.UpdatedAt.UTC()}).Error, "update organisation")
}

// MovePaths rewrites the paths of a moved subtree.
func (s *AccountStore) MovePaths(ctx context.Context, oldPrefix, newPrefix string) error {
	defer s.orgs.reset()
	var rows []orgRow
	if err := s.db.Conn(ctx).Where("path LIKE ?", escapeLike(oldPrefix)+"%").Find(&rows).Error; err != nil {
		return Translate(err, "find subtree")
	}
	for _, r := range rows {
		if err := s.db.Conn(ctx).Model(&orgRow{}).Where("id = ?", r.ID).Update("path", newPrefix+strings.TrimPrefix(r.Path, oldPrefix)).Error; err != nil {
			return Translate(err, "move subtree")
		}
	}
	return nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Username     *string
	UsernameKey  *string // the canonical username, compared byte for byte: what logins look up
	Phone        *string
	Name         string
	Roles        string
	OrgID        int64
	FirmID       int64
	PasswordHash string
	MiniappID    *string `gorm:"column:miniapp_id"`
	Disabled     bool
	AnonymisedAt *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

type userStationRow struct {
	UserID    int64 `gorm:"primaryKey"`
	StationID int64 `gorm:"primaryKey"`
}

func (userStationRow) TableName() string { return "user_stations" }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func fromUser(u *account.User) userRow {
	return userRow{ID: u.ID, Username: nullable(u.Username), UsernameKey: nullable(u.Username), Phone: nullable(u.Phone), Name: u.Name, Roles: strings.Join(u.Roles, ","),
		OrgID: u.OrgID, FirmID: u.FirmID, PasswordHash: u.PasswordHash, MiniappID: nullable(u.MiniAppID), Disabled: u.Disabled,
		LastLoginAt: utcPtr(u.LastLoginAt), CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

func (r userRow) toDomain(stations []int64) account.User {
	var roles []string
	if r.Roles != "" {
		roles = strings.Split(r.Roles, ",")
	}
	return account.User{ID: r.ID, Username: deref(r.Username), Phone: deref(r.Phone), Name: r.Name, Roles: roles, OrgID: r.OrgID,
		FirmID: r.FirmID, StationIDs: stations, PasswordHash: r.PasswordHash, MiniAppID: deref(r.MiniappID), Disabled: r.Disabled,
		LastLoginAt: utcPtr(r.LastLoginAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// CreateUser inserts an account with its stations; u.ID is set.
func (s *AccountStore) CreateUser(ctx context.Context, u *account.User) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		row := fromUser(u)
		row.ID = 0
		if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
			return Translate(err, "create user")
		}
		u.ID = row.ID
		return s.setStations(ctx, u)
	})
}

func (s *AccountStore) setStations(ctx context.Context, u *account.User) error {
	if err := s.db.Conn(ctx).Where("user_id = ?", u.ID).Delete(&userStationRow{}).Error; err != nil {
		return Translate(err, "clear user stations")
	}
	for _, st := range u.StationIDs {
		if err := s.db.Conn(ctx).Create(&userStationRow{UserID: u.ID, StationID: st}).Error; err != nil {
			return Translate(err, "add user station")
		}
	}
	return nil
}

func (s *AccountStore) load(ctx context.Context, q *gorm.DB, op string) (*account.User, bool, error) {
	var row userRow
	err := q.Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, Translate(err, op)
	}
	var stations []int64
	if err := s.db.Conn(ctx).Model(&userStationRow{}).Where("user_id = ?", row.ID).Order("station_id").Pluck("station_id", &stations).Error; err != nil {
		return nil, false, Translate(err, "user stations")
	}
	u := row.toDomain(stations)
	return &u, true, nil
}

// User loads one account.
func (s *AccountStore) User(ctx context.Context, id int64) (*account.User, error) {
	u, ok, err := s.load(ctx, s.db.Conn(ctx).Where("id = ?", id), "find user")
	if err == nil && !ok {
		return nil, domain.Errorf(domain.KindNotFound, "user.not_found", "No such account.")
	}
	return u, err
}

// UserByUsername finds a staff account by its canonical username.
func (s *AccountStore) UserByUsername(ctx context.Context, username string) (*account.User, bool, error) {
	return s.load(ctx, s.db.Conn(ctx).Where("username_key = ?", username), "find user by username")
}

// UserByPhone finds an account by phone.
func (s *AccountStore) UserByPhone(ctx context.Context, phone string) (*account.User, bool, error) {
	return s.load(ctx, s.db.Conn(ctx).Where("phone = ?", phone), "find user by phone")
}

// UserByMiniApp finds a citizen by mini-program identity.
func (s *AccountStore) UserByMiniApp(ctx context.Context, openID string) (*account.User, bool, error) {
	return s.load(ctx, s.db.Conn(ctx).Where("miniapp_id = ?", openID), "find user by mini-program identity")
}

// UpdateUser writes an account and its stations.
func (s *AccountStore) UpdateUser(ctx context.Context, u *account.User) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		row := fromUser(u)
		err := s.db.Conn(ctx).Model(&userRow{}).Where("id = ?", u.ID).Select("name", "phone", "roles", "org_id", "firm_id", "password_hash",
			"miniapp_id", "disabled", "last_login_at", "updated_at").Updates(&row).Error
		if err != nil {
			return Translate(err, "update user")
		}
		return s.setStations(ctx, u)
	})
}

// Users pages accounts, newest first.
func (s *AccountStore) Users(ctx context.Context, f account.UserFilter) ([]account.User, error) {
	q := s.db.Conn(ctx).Model(&userRow{})
	if f.OrgPath != "" {
		subtree := s.db.Conn(ctx).Model(&orgRow{}).Select("id").Where("path LIKE ?", escapeLike(f.OrgPath)+"%")
		scope := s.db.Conn(ctx).Where("org_id IN (?)", subtree)
		if len(f.OrServing) > 0 {
			scope = scope.Or("id IN (?)", s.db.Conn(ctx).Model(&userStationRow{}).Select("user_id").Where("station_id IN ?", f.OrServing))
		}
		if f.OrCitizens {
			scope = scope.Or("org_id = 0")
		}
		q = q.Where(scope)
	}
	if f.Role != "" {
		// roles is a comma list; match the whole word in any position.
		q = q.Where("(roles = ? OR roles LIKE ? OR roles LIKE ? OR roles LIKE ?)", f.Role, f.Role+",%", "%,"+f.Role, "%,"+f.Role+",%")
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var rows []userRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list users")
	}
	// The listed users' stations in one query, not one per user.
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var links []userStationRow
	if len(ids) > 0 {
		if err := s.db.Conn(ctx).Where("user_id IN ?", ids).Order("user_id, station_id").Find(&links).Error; err != nil {
			return nil, Translate(err, "user stations")
		}
	}
	stations := make(map[int64][]int64, len(rows))
	for _, l := range links {
		stations[l.UserID] = append(stations[l.UserID], l.StationID)
	}
	out := make([]account.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain(stations[r.ID])
	}
	return out, nil
}

// UsersAtStation lists the station's own staff and the lawyers and
// mediators who serve it.
func (s *AccountStore) UsersAtStation(ctx context.Context, stationID int64) ([]account.User, error) {
	var rows []userRow
	sub := s.db.Conn(ctx).Model(&userStationRow{}).Select("user_id").Where("station_id = ?", stationID)
	if err := s.db.Conn(ctx).Where("org_id = ? OR id IN (?)", stationID, sub).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list station users")
	}
	out := make([]account.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain([]int64{stationID})
	}
	return out, nil
}
