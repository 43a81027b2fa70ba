package crypto_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/infra/crypto"
)

const seeds = "a:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,b:HxwdHhsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA="

func TestSignVerifyAndRotation(t *testing.T) {
	keys, err := crypto.ParseKeys(seeds)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := account.AccessClaims{UserID: 7, Roles: []string{"police"}, OrgID: 3, SessionID: "s", TokenID: "j", IssuedAt: now, ExpiresAt: now.Add(time.Minute)}
	old := crypto.NewTokens(keys[1:]) // signs with b
	tok, err := old.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	rotated := crypto.NewTokens(keys) // signs with a, still verifies b
	got, err := rotated.Verify(tok)
	if err != nil || got.UserID != 7 || got.OrgID != 3 || got.Roles[0] != "police" {
		t.Fatalf("a token of the previous key must verify after rotation: %+v %v", got, err)
	}
	onlyA := crypto.NewTokens(keys[:1])
	if _, err := onlyA.Verify(tok); err == nil {
		t.Fatal("a token of a retired key must not verify")
	}
	claims.ExpiresAt = now.Add(-time.Hour)
	expired, _ := rotated.Sign(claims)
	if _, err := rotated.Verify(expired); err == nil {
		t.Fatal("an expired token verified")
	}
}

func TestParseKeys(t *testing.T) {
	for _, bad := range []string{"", "nokid", "a:notbase64!", "a:AAEC", ":AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="} {
		if _, err := crypto.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
}

// FuzzVerify throws arbitrary strings, and mutations of a real token, at the
// verifier: it must never panic and never accept anything it did not sign.
func FuzzVerify(f *testing.F) {
	keys, _ := crypto.ParseKeys(seeds)
	tokens := crypto.NewTokens(keys)
	now := time.Now()
	good, _ := tokens.Sign(account.AccessClaims{UserID: 1, Roles: []string{"admin"}, SessionID: "s", TokenID: "j", IssuedAt: now, ExpiresAt: now.Add(time.Hour)})
	f.Add(good)
	f.Add("")
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")
	f.Add(strings.Replace(good, ".", "..", 1))
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := tokens.Verify(raw)
		if err == nil && raw != good {
			t.Fatalf("accepted a token it did not sign: %q → %+v", raw, c)
		}
	})
}
