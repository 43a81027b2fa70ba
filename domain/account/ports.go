package account

import (
	"context"
	"time"
)

// UserFilter narrows a list of accounts.
type UserFilter struct {
	OrgPath string // accounts of organisations under this path
	// OrServing and OrCitizens widen OrgPath: also accounts serving one of
	// these stations, also citizens.
	OrServing  []int64
	OrCitizens bool
	Role       string
	Before     int64
	Limit      int
}

// UserStore keeps accounts.
type UserStore interface {
	CreateUser(ctx context.Context, u *User) error // a taken username, phone or mini-program ID is a conflict
	User(ctx context.Context, id int64) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, bool, error)
	UserByPhone(ctx context.Context, phone string) (*User, bool, error)
	UserByMiniApp(ctx context.Context, openID string) (*User, bool, error)
	UpdateUser(ctx context.Context, u *User) error
	Users(ctx context.Context, f UserFilter) ([]User, error)
	UsersAtStation(ctx context.Context, stationID int64) ([]User, error) // police of the station, lawyers and mediators serving it
}

// OrgStore keeps the organisation tree.
type OrgStore interface {
	CreateOrg(ctx context.Context, o *Org) error // sets ID and Path
	Org(ctx context.Context, id int64) (*Org, error)
	Orgs(ctx context.Context, kind OrgKind, underPath string) ([]Org, error)
	UpdateOrg(ctx context.Context, o *Org) error
	// MovePaths rewrites the paths of a subtree from oldPrefix to newPrefix.
	MovePaths(ctx context.Context, oldPrefix, newPrefix string) error
}

// RefreshToken is one refresh token of a session (stored by hash).
type RefreshToken struct {
	ID        int64
	SessionID string
	UserID    int64
	Hash      string
	ParentID  int64
	UsedAt    *time.Time
	RevokedAt *time.Time
	ExpiresAt time.Time
	CreatedAt time.Time
}

// Revocation is a revoked session, for rebuilding the Redis denylist.
type Revocation struct {
	SessionID string
	At        time.Time
}

// SessionStore keeps refresh tokens; the database is the truth about which
// sessions are revoked.
type SessionStore interface {
	CreateRefresh(ctx context.Context, t *RefreshToken) error
	RefreshByHash(ctx context.Context, hash string) (*RefreshToken, error)
	// MarkUsed sets used_at when it is still empty; false means another
	// request used the token first.
	MarkUsed(ctx context.Context, id int64, at time.Time) (bool, error)
	RevokeSession(ctx context.Context, sessionID string, at time.Time) error
	RevokeUser(ctx context.Context, userID int64, at time.Time) ([]string, error)
	RevokedSince(ctx context.Context, since time.Time) ([]Revocation, error)
}

// OTPResult is the answer of a code check.
type OTPResult int

const (
	OTPAccepted OTPResult = iota
	OTPWrong              // wrong code, tries left
	OTPMissing            // none issued, expired, used, or locked after too many tries
)

// OTPStore keeps one-time codes (hashed) and their send limits in Redis.
type OTPStore interface {
	// Issue stores a code hash for phone unless one was sent within gap or
	// the phone or the IP reached its daily cap; then it says how long to wait.
	Issue(ctx context.Context, phone, ip, codeHash string, ttl, gap time.Duration, phoneDailyCap, ipDailyCap int) (wait time.Duration, err error)
	// Verify checks a code hash atomically: a right code is consumed, a
	// wrong one spends a try, and the last wrong try destroys the code.
	Verify(ctx context.Context, phone, codeHash string, maxTries int) (OTPResult, error)
}

// Limiter counts login attempts for lock-outs. An attempt is reserved
// before the password is checked, atomically over all its keys, so that
// concurrent attempts cannot all pass a check made before any of them failed.
type Limiter interface {
	// Reserve counts one attempt against every key, unless one of them has
	// reached its limit: then it counts none and says how long that key
	// stays blocked. Each count lives window after its last attempt.
	Reserve(ctx context.Context, limits map[string]int, window time.Duration) (time.Duration, error)
	// Release gives back one reserved attempt that turned out good.
	Release(ctx context.Context, key string) error
	Reset(ctx context.Context, key string) error
}

// Revocations is the denylist of sessions in Redis, checked on every request.
type Revocations interface {
	Revoke(ctx context.Context, sessionID string, ttl time.Duration) error
	// IsRevoked also says whether the denylist is intact; after a Redis loss
	// it is not, and the service rebuilds it from the database first.
	IsRevoked(ctx context.Context, sessionID string) (revoked, intact bool, err error)
	MarkIntact(ctx context.Context) error
}

// GraceCache remembers a rotated pair for the grace period, so that a phone
// retrying a refresh whose answer it lost gets the same pair.
type GraceCache interface {
	Put(ctx context.Context, key string, p TokenPair, ttl time.Duration) error
	Get(ctx context.Context, key string) (*TokenPair, bool, error)
}

// AccessClaims are what an access token says.
type AccessClaims struct {
	UserID    int64
	Roles     []string
	OrgID     int64
	SessionID string
	TokenID   string
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Tokens signs and verifies access tokens.
type Tokens interface {
	Sign(c AccessClaims) (string, error)
	Verify(token string) (*AccessClaims, error) // any failure is unauthenticated
}

// Passwords hashes staff passwords.
type Passwords interface {
	Hash(password string) (string, error)
	Matches(hash, password string) bool
}

// SMS sends login codes.
type SMS interface {
	SendCode(ctx context.Context, phone, code string) error
}

// MiniApp exchanges a mini-program login code for the user's platform
// identity (code-to-session).
type MiniApp interface {
	Identify(ctx context.Context, code string) (openID string, err error)
}
