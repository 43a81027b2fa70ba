// Package crypto signs access tokens and hashes passwords.
package crypto

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tiaojie/tiaojie/domain/account"
)

const (
	issuer        = "tiaojie"
	apiAudience   = "tiaojie-api"
	accessTypHead = "at+jwt"
	leeway        = 30 * time.Second // for clocks a little apart
)

// Key is one Ed25519 signing key with its ID.
type Key struct {
	ID      string
	Private ed25519.PrivateKey
}

// ParseKeys reads "kid:base64(32-byte seed),kid2:…": the first key signs,
// every key verifies (so keys can rotate: add the new one first, keep the
// old one until its tokens have expired).
func ParseKeys(spec string) ([]Key, error) {
	var keys []Key
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kid, b64, ok := strings.Cut(part, ":")
		if !ok || kid == "" {
			return nil, errors.New(`a key is "kid:base64-seed"`)
		}
		seed, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			seed, err = base64.RawURLEncoding.DecodeString(b64)
		}
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("key %q: want base64 of a 32-byte Ed25519 seed", kid)
		}
		keys = append(keys, Key{ID: kid, Private: ed25519.NewKeyFromSeed(seed)})
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	return keys, nil
}

// LoadOrCreateKeyFile reads keys from path, creating it with one new key
// (mode 0600) when absent — for the embedded default, so tokens survive a
// restart without anyone configuring keys.
func LoadOrCreateKeyFile(path string) ([]Key, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		seed := make([]byte, ed25519.SeedSize)
		if _, err := randRead(seed); err != nil {
			return nil, err
		}
		spec := "k" + strconv.FormatInt(time.Now().Unix(), 36) + ":" + base64.StdEncoding.EncodeToString(seed) + "\n"
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(spec), 0o600); err != nil {
			return nil, err
		}
		b = []byte(spec)
	} else if err != nil {
		return nil, err
	}
	return ParseKeys(strings.ReplaceAll(strings.TrimSpace(string(b)), "\n", ","))
}

// Tokens signs and verifies access tokens with EdDSA only.
type Tokens struct {
	keys   []Key
	byID   map[string]ed25519.PublicKey
	parser *jwt.Parser
	seen   verified
}

var _ account.Tokens = (*Tokens)(nil)

// NewTokens uses keys[0] to sign and all keys to verify.
func NewTokens(keys []Key) *Tokens {
	t := &Tokens{keys: keys, byID: map[string]ed25519.PublicKey{}}
	for _, k := range keys {
		t.byID[k.ID] = k.Private.Public().(ed25519.PublicKey)
	}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}), // pinned: no "none", no HS256 with the public key
		jwt.WithIssuer(issuer), jwt.WithAudience(apiAudience),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(leeway), jwt.WithStrictDecoding(),
	)
	return t
}

type accessClaims struct {
	jwt.RegisteredClaims
	Roles []string `json:"roles"`
	Org   int64    `json:"org,omitempty"`
	SID   string   `json:"sid"`
}

// Sign implements account.Tokens.
func (t *Tokens) Sign(c account.AccessClaims) (string, error) {
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: issuer, Subject: strconv.FormatInt(c.UserID, 10), Audience: jwt.ClaimStrings{apiAudience},
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt), IssuedAt: jwt.NewNumericDate(c.IssuedAt), ID: c.TokenID,
		},
		Roles: c.Roles, Org: c.OrgID, SID: c.SessionID,
	})
	tok.Header["kid"] = t.keys[0].ID
	tok.Header["typ"] = accessTypHead
	return tok.SignedString(t.keys[0].Private)
}

// Verify implements account.Tokens: the signature by a known kid, EdDSA
// only, issuer, audience, expiry and type are all checked — once per token;
// later uses check only that it has not expired since.
func (t *Tokens) Verify(raw string) (*account.AccessClaims, error) {
	if len(raw) > 4096 {
		return nil, errors.New("token too long")
	}
	now := time.Now()
	if c, ok := t.seen.get(raw, now); ok {
		return c, nil
	}
	c, err := t.verify(raw)
	if err != nil {
		return nil, err
	}
	t.seen.put(raw, c, now)
	return c, nil
}

func (t *Tokens) verify(raw string) (*account.AccessClaims, error) {
	var c accessClaims
	tok, err := t.parser.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		if typ, _ := tok.Header["typ"].(string); typ != accessTypHead {
			return nil, errors.New("not an access token")
		}
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.byID[kid]
		if !ok {
			return nil, errors.New("unknown key")
		}
		return key, nil
	})
	if err != nil || !tok.Valid {
		return nil, fmt.Errorf("invalid token: %w", err)
	}
	uid, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil || uid <= 0 || c.SID == "" {
		return nil, errors.New("invalid subject")
	}
	return &account.AccessClaims{UserID: uid, Roles: c.Roles, OrgID: c.Org, SessionID: c.SID, TokenID: c.ID,
		IssuedAt: c.IssuedAt.Time, ExpiresAt: c.ExpiresAt.Time}, nil
}

// LoadOrCreateSecret reads a base64 secret of at least 32 bytes from path,
// creating one (mode 0600) when absent, for the embedded default.
func LoadOrCreateSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		secret := make([]byte, 32)
		if _, err := randRead(secret); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, err
		}
		return secret, os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(secret)+"\n"), 0o600)
	}
	if err != nil {
		return nil, err
	}
	return ParseSecret(strings.TrimSpace(string(b)))
}

// ParseSecret decodes a base64 secret of at least 32 bytes.
func ParseSecret(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) < 32 {
		return nil, errors.New("want base64 of at least 32 random bytes")
	}
	return b, nil
}
