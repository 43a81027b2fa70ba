package realtime

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // checking the TURN REST convention
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tiaojie/tiaojie/domain"
)

func TestRoomTokens(t *testing.T) {
	now := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	clock := &now
	_, priv, _ := ed25519.GenerateKey(nil)
	tokens, err := NewRoomTokens(priv, "tiaojie", 10*time.Minute, domain.ClockFunc(func() time.Time { return *clock }))
	if err != nil {
		t.Fatal(err)
	}
	tok, g, err := tokens.Issue(RoomGrant{RoomID: "case-42", ParticipantID: "family-1", Role: RoleFamily, Name: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	if g.ExpiresAt.Sub(now) > MaxRoomTokenTTL {
		t.Fatalf("a room token must not live longer than %s, lives %s", MaxRoomTokenTTL, g.ExpiresAt.Sub(now))
	}
	got, err := tokens.VerifyRoomToken(context.Background(), tok)
	if err != nil || got.RoomID != "case-42" || got.ParticipantID != "family-1" || got.Role != RoleFamily || got.Name != "张三" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}

	sign := func(method jwt.SigningMethod, key any, mutate func(*roomClaims)) string {
		c := roomClaims{Room: "case-42", Role: RoleHost, RegisteredClaims: jwt.RegisteredClaims{Issuer: "tiaojie", Subject: "host-1",
			Audience: jwt.ClaimStrings{RoomTokenAudience}, IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute))}}
		if mutate != nil {
			mutate(&c)
		}
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	for _, tc := range []struct {
		name  string
		token string
		at    time.Time
	}{
		{"a token signed by another key", sign(jwt.SigningMethodEdDSA, otherKey, nil), now},
		{"HS256 keyed with the public key (algorithm confusion)", sign(jwt.SigningMethodHS256, []byte(pub), nil), now},
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, nil), now},
		{"an access token's audience", sign(jwt.SigningMethodEdDSA, priv, func(c *roomClaims) { c.Audience = jwt.ClaimStrings{"tiaojie-api"} }), now},
		{"another issuer", sign(jwt.SigningMethodEdDSA, priv, func(c *roomClaims) { c.Issuer = "evil" }), now},
		{"no expiry", sign(jwt.SigningMethodEdDSA, priv, func(c *roomClaims) { c.ExpiresAt = nil }), now},
		{"a lifetime over two minutes", sign(jwt.SigningMethodEdDSA, priv, func(c *roomClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(time.Hour)) }), now},
		{"an unknown role", sign(jwt.SigningMethodEdDSA, priv, func(c *roomClaims) { c.Role = "admin" }), now},
		{"a bad room id", sign(jwt.SigningMethodEdDSA, priv, func(c *roomClaims) { c.Room = "../x" }), now},
		{"an expired token", tok, now.Add(3 * time.Minute)},
		{"garbage", "a.b.c", now},
		{"a tampered payload", tok[:strings.Index(tok, ".")+2] + "x" + tok[strings.Index(tok, ".")+3:], now},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at := tc.at
			clock = &at
			defer func() { clock = &now }()
			_, err := tokens.VerifyRoomToken(context.Background(), tc.token)
			if !domain.IsKind(err, domain.KindUnauthenticated) {
				t.Fatalf("want unauthenticated, got %v", err)
			}
		})
	}
	if _, _, err := tokens.Issue(RoomGrant{RoomID: "case-42", ParticipantID: "user:1", Role: RoleHost}); err == nil {
		t.Fatal("an id with ':' must be refused (it would break TURN user names and storage keys)")
	}
}

func TestTURNCredentialsFollowTheRESTConvention(t *testing.T) {
	exp := time.Unix(1_800_000_000, 0)
	user, pass := TURNCredentials("s3cret", "family-1", exp)
	if user != "1800000000:family-1" {
		t.Fatalf("user name %q", user)
	}
	mac := hmac.New(sha1.New, []byte("s3cret"))
	mac.Write([]byte(user))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); pass != want {
		t.Fatalf("password %q, want %q", pass, want)
	}
	cfg := ICEConfig{STUNURLs: []string{"stun:stun.example.cn:3478"}, TURNURLs: []string{"turn:turn.example.cn:3478"}, Secret: "s3cret", TTL: time.Hour}
	servers := cfg.ICEServers("family-1", exp.Add(-time.Hour))
	if len(servers) != 2 || servers[1].Username != user || servers[1].Credential != pass {
		t.Fatalf("ICE servers: %+v", servers)
	}
	if got := (ICEConfig{TURNURLs: []string{"turn:x"}}).ICEServers("a", exp); len(got) != 0 {
		t.Fatalf("TURN without a secret must not be offered: %+v", got)
	}
}
