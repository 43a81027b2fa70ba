package realtime

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // the TURN REST API convention (coturn use-auth-secret) is HMAC-SHA1
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tiaojie/tiaojie/domain"
)

// Role is what a participant may do in a room.
type Role string

const (
	RoleHost             Role = "host"              // lawyer, mediator or staff: admits, mutes, removes, ends
	RoleDetaineeTerminal Role = "detainee_terminal" // the detention centre's device; waits in the lobby
	RoleFamily           Role = "family"            // waits in the lobby
	RoleObserver         Role = "observer"          // a supervisor: sees and hears, does not publish
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleHost, RoleDetaineeTerminal, RoleFamily, RoleObserver:
		return true
	}
	return false
}

// waitsInLobby: family and the detainee terminal get no media either way
// until a host admits them, whoever arrives first.
func (r Role) waitsInLobby() bool { return r == RoleFamily || r == RoleDetaineeTerminal }

func (r Role) canPublish() bool { return r != RoleObserver }

// listed: an observer watches unseen — never in the others' participant
// lists, nor announced when joining or leaving.
func (r Role) listed() bool { return r != RoleObserver }

// RoomGrant is the verified content of a room token: who may join which
// room in which role, and until when the token may be used to join.
type RoomGrant struct {
	RoomID        string
	ParticipantID string
	Role          Role
	Name          string // display name, shown to the others
	ExpiresAt     time.Time
	TokenID       string
}

// TokenVerifier turns a room token into a grant, or refuses it.
type TokenVerifier interface {
	VerifyRoomToken(ctx context.Context, token string) (RoomGrant, error)
}

// RoomTokenAudience is the "aud" of every room token, so that no other
// token of the system (an access token signed with the same key, say) is
// accepted as one.
const RoomTokenAudience = "tiaojie-room"

// MaxRoomTokenTTL is the longest a room token may be valid before its first
// use.
const MaxRoomTokenTTL = 2 * time.Minute

// RoomTokens signs and verifies room tokens: EdDSA (Ed25519) JWTs, the
// algorithm pinned, audience "tiaojie-room", at most two minutes long.
type RoomTokens struct {
	priv   ed25519.PrivateKey
	pub    ed25519.PublicKey
	issuer string
	ttl    time.Duration
	clock  domain.Clock
}

var _ TokenVerifier = (*RoomTokens)(nil)

// NewRoomTokens builds a signer/verifier. ttl is capped at MaxRoomTokenTTL.
func NewRoomTokens(priv ed25519.PrivateKey, issuer string, ttl time.Duration, clock domain.Clock) (*RoomTokens, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, errors.New("realtime: room token key must be an Ed25519 private key")
	}
	if ttl <= 0 || ttl > MaxRoomTokenTTL {
		ttl = MaxRoomTokenTTL
	}
	if clock == nil {
		clock = domain.ClockFunc(time.Now)
	}
	return &RoomTokens{priv: priv, pub: priv.Public().(ed25519.PublicKey), issuer: issuer, ttl: ttl, clock: clock}, nil
}

type roomClaims struct {
	Room string `json:"room"`
	Role Role   `json:"role"`
	Name string `json:"name,omitempty"`
	jwt.RegisteredClaims
}

// Issue signs a token for g (RoomID, ParticipantID, Role, Name); the expiry
// and token ID are set here.
func (t *RoomTokens) Issue(g RoomGrant) (string, RoomGrant, error) {
	if !validID(g.RoomID) || !validID(g.ParticipantID) || !g.Role.Valid() {
		return "", RoomGrant{}, domain.Errorf(domain.KindInvalid, "room.token_invalid_grant", "A room token needs a room, a participant and a role.")
	}
	now := t.clock.Now()
	var id [12]byte
	if _, err := rand.Read(id[:]); err != nil {
		return "", RoomGrant{}, fmt.Errorf("realtime: token id: %w", err)
	}
	g.TokenID = hex.EncodeToString(id[:])
	g.ExpiresAt = now.Add(t.ttl).Truncate(time.Second)
	claims := roomClaims{Room: g.RoomID, Role: g.Role, Name: g.Name, RegisteredClaims: jwt.RegisteredClaims{
		Issuer:    t.issuer,
		Subject:   g.ParticipantID,
		Audience:  jwt.ClaimStrings{RoomTokenAudience},
		ExpiresAt: jwt.NewNumericDate(g.ExpiresAt),
		NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
		IssuedAt:  jwt.NewNumericDate(now),
		ID:        g.TokenID,
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims).SignedString(t.priv)
	if err != nil {
		return "", RoomGrant{}, fmt.Errorf("realtime: sign room token: %w", err)
	}
	return s, g, nil
}

// VerifyRoomToken checks signature, algorithm (EdDSA only), audience,
// issuer, expiry and lifetime, and returns the grant.
func (t *RoomTokens) VerifyRoomToken(_ context.Context, token string) (RoomGrant, error) {
	bad := domain.Errorf(domain.KindUnauthenticated, "room.token_invalid", "The room token is invalid or expired; ask for a new one.")
	if len(token) > maxTokenBytes {
		return RoomGrant{}, bad
	}
	var c roomClaims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.pub, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithAudience(RoomTokenAudience),
		jwt.WithIssuer(t.issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second),
		jwt.WithTimeFunc(t.clock.Now),
	)
	if err != nil {
		bad.Err = err
		return RoomGrant{}, bad
	}
	if c.IssuedAt == nil || c.ExpiresAt.Sub(c.IssuedAt.Time) > MaxRoomTokenTTL ||
		!validID(c.Room) || !validID(c.Subject) || !c.Role.Valid() || len(c.Name) > 64 {
		return RoomGrant{}, bad
	}
	return RoomGrant{RoomID: c.Room, ParticipantID: c.Subject, Role: c.Role, Name: c.Name,
		ExpiresAt: c.ExpiresAt.Time, TokenID: c.ID}, nil
}

// ICEServer is one entry of the list a client passes to RTCPeerConnection;
// it marshals to the browser's RTCIceServer shape.
type ICEServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// ICEConfig is the STUN/TURN configuration handed to clients.
type ICEConfig struct {
	STUNURLs []string      // e.g. stun:stun.example.cn:3478
	TURNURLs []string      // e.g. turn:turn.example.cn:3478?transport=udp, turns:turn.example.cn:443?transport=tcp
	Secret   string        // the TURN server's shared secret (coturn static-auth-secret)
	TTL      time.Duration // lifetime of generated credentials; default 10 minutes
}

// TURNCredentials follows the TURN REST API convention
// (draft-uberti-behave-turn-rest, coturn's use-auth-secret): the user name is
// "<unix expiry>:<participant>" and the password base64(HMAC-SHA1(secret,
// user name)). The TURN server recomputes it from the shared secret and
// refuses it after the expiry.
func TURNCredentials(secret, participant string, expires time.Time) (username, password string) {
	username = strconv.FormatInt(expires.Unix(), 10) + ":" + participant
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(username))
	return username, base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ICEServers is the list a participant gets with a room token.
func (c ICEConfig) ICEServers(participant string, now time.Time) []ICEServer {
	out := []ICEServer{} // none configured is an empty list, never null: clients iterate it
	if len(c.STUNURLs) > 0 {
		out = append(out, ICEServer{URLs: append([]string(nil), c.STUNURLs...)})
	}
	if len(c.TURNURLs) > 0 && c.Secret != "" {
		ttl := c.TTL
		if ttl <= 0 {
			ttl = 10 * time.Minute
		}
		u, p := TURNCredentials(c.Secret, participant, now.Add(ttl))
		out = append(out, ICEServer{URLs: append([]string(nil), c.TURNURLs...), Username: u, Credential: p})
	}
	return out
}
