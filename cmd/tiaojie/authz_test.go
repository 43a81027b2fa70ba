package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/infra/crypto"
)

// demoUser returns the demo account of a role.
func demoUser(t *testing.T, a *application, role string) *account.User {
	t.Helper()
	ctx := context.Background()
	if role == account.RoleCitizen {
		u, ok, err := a.svc.accounts.Users.UserByPhone(ctx, DemoCitizenPhone)
		if err != nil || !ok {
			t.Fatalf("demo citizen: %v", err)
		}
		return u
	}
	name := map[string]string{account.RoleLawyer: "lawyer1", account.RoleMediator: "mediator1", account.RolePolice: "police1",
		account.RoleDetentionStaff: "staff1", account.RolePartner: "partner1", account.RoleSupervisor: "supervisor1", account.RoleAdmin: "admin"}[role]
	u, ok, err := a.svc.accounts.Users.UserByUsername(ctx, name)
	if err != nil || !ok {
		t.Fatalf("demo %s: %v", role, err)
	}
	return u
}

// tokenFor signs a real access token for a demo user with the server's own
// key and a fresh session.
func tokenFor(t *testing.T, a *application, u *account.User) string {
	t.Helper()
	now := time.Now()
	tok, err := a.svc.accounts.Tokens.Sign(account.AccessClaims{UserID: u.ID, Roles: u.Roles, OrgID: u.OrgID,
		SessionID: "authz-" + strconv.FormatInt(sessionSeq.Add(1), 10), TokenID: "t", IssuedAt: now, ExpiresAt: now.Add(10 * time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

var (
	pathParam  = regexp.MustCompile(`:\w+`)
	sessionSeq atomic.Int64
)

type problemCode struct {
	Code string `json:"code"`
}

func call(t *testing.T, a *application, method, path, token string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, pathParam.ReplaceAllString(path, "1"), strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := checkedTest(t, a.http.App(), req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var p problemCode
	_ = json.Unmarshal(b, &p)
	return resp.StatusCode, p.Code
}

// Every route, every role: the guard lets exactly the declared roles through
// and answers the others 403 auth.role_forbidden.
func TestEveryRouteEnforcesItsPolicy(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	roleList := []string{account.RoleCitizen, account.RoleLawyer, account.RoleMediator, account.RolePolice, account.RoleDetentionStaff,
		account.RolePartner, account.RoleSupervisor, account.RoleAdmin}
	tokens := map[string]string{}
	users := map[string]*account.User{}
	for _, r := range roleList {
		users[r] = demoUser(t, a, r)
		tokens[r] = tokenFor(t, a, users[r])
	}
	policies := a.http.Policies()
	if len(policies) < 30 {
		t.Fatalf("only %d routes in the table", len(policies))
	}
	for _, p := range policies {
		if p.Public {
			continue
		}
		for _, role := range roleList {
			allowed := len(p.Roles) == 0
			for _, r := range p.Roles {
				allowed = allowed || r == role
			}
			t.Run(p.Method+" "+p.Path+" as "+role, func(t *testing.T) {
				tok := tokens[role]
				if p.Path == "/api/v1/auth/logout" {
					tok = tokenFor(t, a, users[role]) // logging out ends the token it uses
				}
				status, code := call(t, a, p.Method, p.Path, tok)
				denied := status == http.StatusForbidden && code == "auth.role_forbidden"
				if allowed && (denied || status == http.StatusUnauthorized) {
					t.Fatalf("%s may use this route but got %d %s", role, status, code)
				}
				if !allowed && !denied {
					t.Fatalf("%s may not use this route but got %d %s", role, status, code)
				}
			})
		}
	}
}

// Every protected route refuses every kind of bad token with 401.
func TestEveryRouteRefusesBadTokens(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	admin := demoUser(t, a, account.RoleAdmin)
	sign := func(key ed25519.PrivateKey, kid string, claims jwt.MapClaims, method jwt.SigningMethod) string {
		tok := jwt.NewWithClaims(method, claims)
		tok.Header["kid"], tok.Header["typ"] = kid, "at+jwt"
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	keys, _ := crypto.ParseKeys(testJWTKeys) // not the embedded app's key
	kid := jwtHeader(t, tokenFor(t, a, admin))["kid"].(string)
	now := time.Now()
	good := jwt.MapClaims{"iss": "tiaojie", "aud": []string{"tiaojie-api"}, "sub": strconv.FormatInt(admin.ID, 10), "roles": []string{"admin"},
		"sid": "s1", "iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix()}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for key, val := range good {
			c[key] = val
		}
		c[k] = v
		return c
	}
	claimsJSON, _ := json.Marshal(good)
	cases := map[string]string{
		"no token":                 "",
		"garbage":                  "not-a-jwt",
		"signed with another key":  sign(keys[0].Private, kid, good, jwt.SigningMethodEdDSA),
		"alg none":                 base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"at+jwt","kid":"`+kid+`"}`)) + "." + base64.RawURLEncoding.EncodeToString(claimsJSON) + ".",
		"expired":                  forge(t, a, with("exp", now.Add(-time.Hour).Unix())),
		"for another audience":     forge(t, a, with("aud", []string{"tiaojie-room"})),
		"from another issuer":      forge(t, a, with("iss", "someone-else")),
		"without an expiry":        forge(t, a, with("exp", nil)),
		"an access token, revoked": revoked(t, a, admin),
	}
	for _, p := range a.http.Policies() {
		if p.Public {
			continue
		}
		for name, tok := range cases {
			t.Run(p.Method+" "+p.Path+" with "+name, func(t *testing.T) {
				if status, code := call(t, a, p.Method, p.Path, tok); status != http.StatusUnauthorized {
					t.Fatalf("got %d %s, want 401", status, code)
				}
			})
		}
	}
}

// forge signs claims with the server's own key (only the claims are wrong).
func forge(t *testing.T, a *application, claims jwt.MapClaims) string {
	t.Helper()
	for k, v := range claims {
		if v == nil {
			delete(claims, k)
		}
	}
	keys, err := crypto.LoadOrCreateKeyFile(a.cfg.DataDir + "/jwt-keys")
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	tok.Header["kid"], tok.Header["typ"] = keys[0].ID, "at+jwt"
	s, err := tok.SignedString(keys[0].Private)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func revoked(t *testing.T, a *application, u *account.User) string {
	t.Helper()
	tok := tokenFor(t, a, u)
	if status, _ := call(t, a, "POST", "/api/v1/auth/logout", tok); status != http.StatusNoContent {
		t.Fatalf("logout: %d", status)
	}
	return tok
}

func jwtHeader(t *testing.T, tok string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	_ = json.Unmarshal(b, &h)
	return h
}
