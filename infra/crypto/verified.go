package crypto

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
)

// verified remembers tokens whose signature and claims were checked, keyed
// by the SHA-256 of the whole token (signature included), until they
// expire: a phone sends the same token with every request for its lifetime,
// and an Ed25519 verification is the dearest step of each. Only what does
// not change while a token lives is skipped; its expiry is checked on every
// use, and revocation (the session denylist) is not this cache's business.
type verified struct {
	mu     sync.RWMutex
	claims map[[sha256.Size]byte]account.AccessClaims
}

// maxVerified bounds the memory: a full cache drops expired entries, and
// if that frees nothing, starts over.
const maxVerified = 50000

func (v *verified) get(raw string, now time.Time) (*account.AccessClaims, bool) {
	key := sha256.Sum256([]byte(raw))
	v.mu.RLock()
	c, ok := v.claims[key]
	v.mu.RUnlock()
	if !ok || !now.Before(c.ExpiresAt.Add(leeway)) {
		return nil, false
	}
	return &c, true
}

func (v *verified) put(raw string, c *account.AccessClaims, now time.Time) {
	key := sha256.Sum256([]byte(raw))
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.claims == nil {
		v.claims = map[[sha256.Size]byte]account.AccessClaims{}
	}
	if len(v.claims) >= maxVerified {
		for k, e := range v.claims {
			if !now.Before(e.ExpiresAt.Add(leeway)) {
				delete(v.claims, k)
			}
		}
		if len(v.claims) >= maxVerified {
			clear(v.claims)
		}
	}
	v.claims[key] = *c
}
