package crypto

import (
	"strconv"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
)

func TestVerifiedTokensAreRememberedUntilTheyExpire(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	c := &account.AccessClaims{UserID: 7, Roles: []string{"citizen"}, SessionID: "s", ExpiresAt: now.Add(time.Minute)}
	var v verified
	v.put("header.payload.signature", c, now)
	cases := []struct {
		name string
		raw  string
		at   time.Time
		hit  bool
	}{
		{"the same token", "header.payload.signature", now.Add(30 * time.Second), true},
		{"within the leeway after expiry", "header.payload.signature", now.Add(time.Minute + leeway - time.Second), true},
		{"past expiry and leeway", "header.payload.signature", now.Add(time.Minute + leeway), false},
		{"another signature on the same claims", "header.payload.signaturf", now, false},
		{"a prefix of the token", "header.payload.", now, false},
	}
	for _, tc := range cases {
		got, ok := v.get(tc.raw, tc.at)
		if ok != tc.hit || ok && got.UserID != 7 {
			t.Errorf("%s: hit %v (%+v), want %v", tc.name, ok, got, tc.hit)
		}
	}
}

func TestVerifiedTokensStayBounded(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	var v verified
	for i := 0; i < maxVerified; i++ {
		v.put(strconv.Itoa(i)+"-expired", &account.AccessClaims{ExpiresAt: now.Add(-time.Hour)}, now.Add(-2*time.Hour))
	}
	v.put("fresh", &account.AccessClaims{UserID: 1, ExpiresAt: now.Add(time.Hour)}, now)
	if len(v.claims) != 1 {
		t.Fatalf("%d entries after a full cache of expired ones took a new token, want 1", len(v.claims))
	}
	if _, ok := v.get("fresh", now); !ok {
		t.Fatal("the new token was not kept")
	}
}
