package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Config holds the rules of login that deployments may tune.
type Config struct {
	AccessTTL      time.Duration // ≤ 15 minutes
	RefreshTTL     time.Duration
	RefreshGrace   time.Duration // identical retry of a refresh within it gets the same pair
	OTPTTL         time.Duration
	OTPGap         time.Duration // one code per phone per gap
	OTPDailyCap    int           // codes per phone per day
	OTPIPDailyCap  int           // codes per client IP per day
	OTPMaxTries    int
	LoginFailLimit int           // wrong passwords per account before lock-out
	IPFailLimit    int           // wrong passwords per IP before lock-out
	LockoutWindow  time.Duration // how long failures count and lock-outs last
	// Secret keys the HMACs of codes and of derived refresh tokens.
	Secret []byte
}

// DefaultConfig is the production default.
func DefaultConfig() Config {
	return Config{AccessTTL: 15 * time.Minute, RefreshTTL: 30 * 24 * time.Hour, RefreshGrace: 10 * time.Second,
		OTPTTL: 5 * time.Minute, OTPGap: 60 * time.Second, OTPDailyCap: 10, OTPIPDailyCap: 100, OTPMaxTries: 5,
		LoginFailLimit: 5, IPFailLimit: 50, LockoutWindow: 15 * time.Minute}
}

// TokenPair is what a login or refresh answers.
type TokenPair struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    int // seconds
}

// Service holds identity and access rules.
type Service struct {
	Cfg         Config
	Tx          domain.TxRunner
	Users       UserStore
	Orgs        OrgStore
	Sessions    SessionStore
	OTP         OTPStore
	Limiter     Limiter
	Revocations Revocations
	Grace       GraceCache
	Tokens      Tokens
	Passwords   Passwords
	SMS         SMS
	MiniApp     MiniApp
	Audit       domain.Auditor
	Clock       domain.Clock
	// FoldUsername brings a typed username to its one canonical form (NFKC,
	// case folded, trimmed; infra/textnorm), used for storage, lookup and
	// the lock-out key alike, so no other spelling reaches the same account
	// under a fresh counter.
	FoldUsername func(string) string
	// dummyHash makes a login for an unknown user cost what a wrong password costs.
	dummyOnce sync.Once
	dummyHash string
}

func errBadCredentials() error {
	return domain.Errorf(domain.KindUnauthenticated, "auth.bad_credentials", "Wrong username or password.")
}

func errBadToken() error {
	return domain.Errorf(domain.KindUnauthenticated, "auth.invalid_token", "The token is invalid or expired; log in again.")
}

// RequestCode sends a 6-digit login code to phone, at most one per gap and a
// few per day per phone and per client IP.
func (s *Service) RequestCode(ctx context.Context, phone, ip string) (time.Duration, error) {
	phone, err := ParsePhone("phone", phone)
	if err != nil {
		return 0, err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return 0, err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	wait, err := s.OTP.Issue(ctx, phone, ip, s.codeHash(phone, code), s.Cfg.OTPTTL, s.Cfg.OTPGap, s.Cfg.OTPDailyCap, s.Cfg.OTPIPDailyCap)
	if err != nil {
		return 0, err
	}
	if wait > 0 {
		e := domain.Errorf(domain.KindRateLimited, "auth.code_too_soon", "A code was sent recently; wait before asking again.")
		e.RetryAfter = wait
		return 0, e
	}
	if err := s.SMS.SendCode(ctx, phone, code); err != nil {
		return 0, domain.Wrap(err, domain.KindUnavailable, "auth.sms_failed", "The SMS could not be sent; try again later.")
	}
	return s.Cfg.OTPGap, nil
}

func (s *Service) codeHash(phone, code string) string {
	m := hmac.New(sha256.New, s.Cfg.Secret)
	m.Write([]byte("otp:" + phone + ":" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// CitizenLogin checks a code and logs the citizen in, creating the account
// at the first login. A mini-program identity, when given, is linked.
func (s *Service) CitizenLogin(ctx context.Context, phone, code, ip, miniAppID string) (*TokenPair, *User, error) {
	phone, err := ParsePhone("phone", phone)
	if err != nil {
		return nil, nil, err
	}
	if len(code) != 6 {
		return nil, nil, domain.Invalid(domain.FieldError{Field: "code", Code: domain.FieldInvalid, Message: "is 6 digits"})
	}
	res, err := s.OTP.Verify(ctx, phone, s.codeHash(phone, code), s.Cfg.OTPMaxTries)
	if err != nil {
		return nil, nil, err
	}
	switch res {
	case OTPWrong:
		return nil, nil, domain.Errorf(domain.KindUnauthenticated, "auth.code_wrong", "The code is wrong.")
	case OTPMissing:
		return nil, nil, domain.Errorf(domain.KindUnauthenticated, "auth.code_expired", "The code has expired or was used; ask for a new one.")
	}
	var u *User
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		existing, found, err := s.Users.UserByPhone(ctx, phone)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if !found {
			u = &User{Phone: phone, Name: "", Roles: []string{RoleCitizen}, MiniAppID: miniAppID, CreatedAt: now, UpdatedAt: now}
			if err := s.Users.CreateUser(ctx, u); err != nil {
				return err
			}
			return s.Audit.Audit(ctx, domain.AuditEntry{At: now, ActorID: u.ID, ActorRole: RoleCitizen, Action: "account.create", ResourceType: "user", ResourceID: u.ID, IP: ip})
		}
		u = existing
		if miniAppID != "" && u.MiniAppID == "" {
			u.MiniAppID, u.UpdatedAt = miniAppID, now
			return s.Users.UpdateUser(ctx, u)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if u.Disabled {
		return nil, nil, domain.Errorf(domain.KindUnauthenticated, "auth.account_disabled", "This account is disabled.")
	}
	pair, err := s.startSession(ctx, u, ip)
	return pair, u, err
}

// MiniAppLogin exchanges a mini-program login code. A linked identity logs
// straight in; an unknown one must first prove its phone by SMS code
// (CitizenLogin with the returned link ticket, here the platform identity).
func (s *Service) MiniAppLogin(ctx context.Context, code, ip string) (*TokenPair, *User, string, error) {
	if code == "" || len(code) > 128 {
		return nil, nil, "", domain.Invalid(domain.FieldError{Field: "code", Code: domain.FieldInvalid, Message: "is the wx.login code"})
	}
	openID, err := s.MiniApp.Identify(ctx, code)
	if err != nil {
		return nil, nil, "", err
	}
	u, found, err := s.Users.UserByMiniApp(ctx, openID)
	if err != nil {
		return nil, nil, "", err
	}
	if !found {
		return nil, nil, s.linkTicket(openID), nil
	}
	if u.Disabled {
		return nil, nil, "", domain.Errorf(domain.KindUnauthenticated, "auth.account_disabled", "This account is disabled.")
	}
	pair, err := s.startSession(ctx, u, ip)
	return pair, u, "", err
}

// linkTicket binds a platform identity to a signature, so that a client can
// carry it to CitizenLogin without being able to forge someone else's.
func (s *Service) linkTicket(openID string) string {
	m := hmac.New(sha256.New, s.Cfg.Secret)
	m.Write([]byte("miniapp:" + openID))
	return base64.RawURLEncoding.EncodeToString([]byte(openID)) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// OpenLinkTicket returns the platform identity in a ticket this server made.
func (s *Service) OpenLinkTicket(ticket string) (string, error) {
	bad := domain.Invalid(domain.FieldError{Field: "link_ticket", Code: domain.FieldInvalid, Message: "is not a ticket this server gave out"})
	for i := 0; i < len(ticket); i++ {
		if ticket[i] == '.' {
			raw, err := base64.RawURLEncoding.DecodeString(ticket[:i])
			if err != nil || !hmac.Equal([]byte(s.linkTicket(string(raw))), []byte(ticket)) {
				return "", bad
			}
			return string(raw), nil
		}
	}
	return "", bad
}

// StaffLogin checks a username and password. Failures cost the same whether
// or not the account exists, and repeated failures lock the account and the
// client IP out for a while.
func (s *Service) StaffLogin(ctx context.Context, username, password, ip string) (*TokenPair, *User, error) {
	username = s.foldUsername(username)
	userKey, ipKey := "login:user:"+username, "login:ip:"+ip
	// The attempt counts as a failure until the password proves good: a
	// check-then-record limiter let 40 concurrent guesses all be verified.
	wait, err := s.Limiter.Reserve(ctx, map[string]int{userKey: s.Cfg.LoginFailLimit, ipKey: s.Cfg.IPFailLimit}, s.Cfg.LockoutWindow)
	if err != nil {
		return nil, nil, err
	}
	if wait > 0 {
		e := domain.Errorf(domain.KindRateLimited, "auth.locked_out", "Too many failed logins; try again later.")
		e.RetryAfter = wait
		return nil, nil, e
	}
	// A name no account can have is not looked up: an accent-insensitive
	// collation must not match it to one that exists.
	var u *User
	found := false
	if validUsername(username) {
		if u, found, err = s.Users.UserByUsername(ctx, username); err != nil {
			return nil, nil, err
		}
	}
	hash := s.dummy()
	if found {
		hash = u.PasswordHash
	}
	if !s.Passwords.Matches(hash, password) || !found || u.Disabled {
		return nil, nil, errBadCredentials() // the reserved attempt stays counted
	}
	if err := s.Limiter.Reset(ctx, userKey); err != nil {
		return nil, nil, err
	}
	if err := s.Limiter.Release(ctx, ipKey); err != nil {
		return nil, nil, err
	}
	pair, err := s.startSession(ctx, u, ip)
	return pair, u, err
}

func (s *Service) foldUsername(name string) string {
	if s.FoldUsername == nil {
		return strings.ToLower(strings.TrimSpace(name))
	}
	return s.FoldUsername(name)
}

func (s *Service) dummy() string {
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.Passwords.Hash("not-a-password-of-anyone") })
	return s.dummyHash
}

// startSession opens a new session (a new refresh-token family).
func (s *Service) startSession(ctx context.Context, u *User, ip string) (*TokenPair, error) {
	refresh, err := randomToken()
	if err != nil {
		return nil, err
	}
	sid, err := randomToken()
	if err != nil {
		return nil, err
	}
	sid = sid[:32]
	now := s.Clock.Now()
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Sessions.CreateRefresh(ctx, &RefreshToken{SessionID: sid, UserID: u.ID, Hash: tokenHash(refresh),
			ExpiresAt: now.Add(s.Cfg.RefreshTTL), CreatedAt: now}); err != nil {
			return err
		}
		u.LastLoginAt = &now
		if err := s.Users.UpdateUser(ctx, u); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditEntry{At: now, ActorID: u.ID, ActorRole: firstRole(u.Roles), Action: "auth.login",
			ResourceType: "user", ResourceID: u.ID, IP: ip})
	})
	if err != nil {
		return nil, err
	}
	return s.pair(u, sid, refresh)
}

func (s *Service) pair(u *User, sid, refresh string) (*TokenPair, error) {
	now := s.Clock.Now()
	jti, err := randomToken()
	if err != nil {
		return nil, err
	}
	access, err := s.Tokens.Sign(AccessClaims{UserID: u.ID, Roles: u.Roles, OrgID: u.OrgID, SessionID: sid, TokenID: jti[:22],
		IssuedAt: now, ExpiresAt: now.Add(s.Cfg.AccessTTL)})
	if err != nil {
		return nil, err
	}
	return &TokenPair{AccessToken: access, RefreshToken: refresh, ExpiresIn: int(s.Cfg.AccessTTL / time.Second)}, nil
}

// Refresh rotates a refresh token: the old one is spent and a new pair
// comes back. A phone that lost the answer and retries within the grace
// period gets the same pair; a spent token presented after that means it
// was stolen, and the whole session is revoked.
func (s *Service) Refresh(ctx context.Context, refresh string) (*TokenPair, error) {
	if refresh == "" || len(refresh) > 200 {
		return nil, errBadToken()
	}
	hash := tokenHash(refresh)
	rt, err := s.Sessions.RefreshByHash(ctx, hash)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, errBadToken()
	}
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	if rt.RevokedAt != nil || now.After(rt.ExpiresAt) {
		return nil, errBadToken()
	}
	u, err := s.Users.User(ctx, rt.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, errBadToken()
	}
	next := s.derive(refresh)
	if rt.UsedAt == nil {
		won := false
		err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
			var err error
			if won, err = s.Sessions.MarkUsed(ctx, rt.ID, now); err != nil || !won {
				return err
			}
			return s.Sessions.CreateRefresh(ctx, &RefreshToken{SessionID: rt.SessionID, UserID: rt.UserID, Hash: tokenHash(next),
				ParentID: rt.ID, ExpiresAt: now.Add(s.Cfg.RefreshTTL), CreatedAt: now})
		})
		if err != nil {
			return nil, err
		}
		if won {
			p, err := s.pair(u, rt.SessionID, next)
			if err != nil {
				return nil, err
			}
			if err := s.Grace.Put(ctx, hash, *p, s.Cfg.RefreshGrace); err != nil {
				return nil, err
			}
			return p, nil
		}
		used := now // lost a race with a simultaneous retry: that is within grace
		rt.UsedAt = &used
	}
	if now.Sub(*rt.UsedAt) <= s.Cfg.RefreshGrace {
		if p, ok, err := s.Grace.Get(ctx, hash); err == nil && ok {
			return p, nil
		}
		return s.pair(u, rt.SessionID, next) // the cache was lost: same refresh token, fresh access token
	}
	if err := s.revokeSessions(ctx, []string{rt.SessionID}, now); err != nil {
		return nil, err
	}
	_ = s.Audit.Audit(ctx, domain.AuditEntry{At: now, ActorID: u.ID, ActorRole: firstRole(u.Roles), Action: "auth.refresh_reuse",
		ResourceType: "user", ResourceID: u.ID, Detail: "session revoked"})
	return nil, domain.Errorf(domain.KindUnauthenticated, "auth.refresh_reused", "This login was used elsewhere and has been ended; log in again.")
}

// derive makes the successor of a refresh token: unpredictable without the
// secret, and the same for the same token, so a retry after a lost answer
// gets the same successor.
func (s *Service) derive(refresh string) string {
	m := hmac.New(sha256.New, s.Cfg.Secret)
	m.Write([]byte("refresh:" + refresh))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Logout ends the caller's session at once, access token included.
func (s *Service) Logout(ctx context.Context, a domain.Actor, sessionID string) error {
	now := s.Clock.Now()
	if err := s.revokeSessions(ctx, []string{sessionID}, now); err != nil {
		return err
	}
	return s.Audit.Audit(ctx, domain.AuditOf(a, now, "auth.logout", "user", a.UserID, ""))
}

func (s *Service) revokeSessions(ctx context.Context, sids []string, now time.Time) error {
	for _, sid := range sids {
		if err := s.Sessions.RevokeSession(ctx, sid, now); err != nil {
			return err
		}
		if err := s.Revocations.Revoke(ctx, sid, s.Cfg.AccessTTL); err != nil {
			return err
		}
	}
	return nil
}

// Authenticate verifies an access token and that its session is still
// alive, and returns the caller. The denylist lives in Redis; after a Redis
// loss it is rebuilt from the database before anyone is let in.
func (s *Service) Authenticate(ctx context.Context, token string) (domain.Actor, string, error) {
	c, err := s.Tokens.Verify(token)
	if err != nil {
		return domain.Actor{}, "", errBadToken()
	}
	revoked, intact, err := s.Revocations.IsRevoked(ctx, c.SessionID)
	if err != nil {
		return domain.Actor{}, "", err
	}
	if !intact {
		if err := s.rebuildRevocations(ctx); err != nil {
			return domain.Actor{}, "", err
		}
		if revoked, _, err = s.Revocations.IsRevoked(ctx, c.SessionID); err != nil {
			return domain.Actor{}, "", err
		}
	}
	if revoked {
		return domain.Actor{}, "", domain.Errorf(domain.KindUnauthenticated, "auth.session_ended", "This login has ended; log in again.")
	}
	return domain.Actor{UserID: c.UserID, Roles: c.Roles, OrgID: c.OrgID}, c.SessionID, nil
}

func (s *Service) rebuildRevocations(ctx context.Context) error {
	now := s.Clock.Now()
	revs, err := s.Sessions.RevokedSince(ctx, now.Add(-s.Cfg.AccessTTL))
	if err != nil {
		return err
	}
	for _, r := range revs {
		if left := s.Cfg.AccessTTL - now.Sub(r.At); left > 0 {
			if err := s.Revocations.Revoke(ctx, r.SessionID, left); err != nil {
				return err
			}
		}
	}
	return s.Revocations.MarkIntact(ctx)
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func tokenHash(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

func firstRole(roles []string) string {
	if len(roles) == 0 {
		return ""
	}
	return roles[0]
}
