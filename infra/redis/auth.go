package redis

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/domain/account"
)

// AuthStore keeps the short-lived state of login in Redis: one-time codes
// (hashed), failure counters for lock-outs, the session denylist and the
// refresh grace cache. Everything here either expires within minutes or can
// be rebuilt from the database (the denylist), so Redis stays disposable.
type AuthStore struct {
	client *goredis.Client
	prefix string
}

var (
	_ account.OTPStore    = (*AuthStore)(nil)
	_ account.Limiter     = (*AuthStore)(nil)
	_ account.Revocations = (*AuthStore)(nil)
	_ account.GraceCache  = (*AuthStore)(nil)
)

// NewAuthStore returns the store; keys start with prefix+"auth:".
func NewAuthStore(client *goredis.Client, prefix string) *AuthStore {
	return &AuthStore{client: client, prefix: prefix + "auth:"}
}

// issueScript: KEYS code, gap, phone-day, ip-day; ARGV hash, ttl ms, gap ms,
// phone cap, ip cap, day ms. Returns the wait in ms (0 = issued).
var issueScript = goredis.NewScript(`
local gap = redis.call('PTTL', KEYS[2])
if gap > 0 then return gap end
local sentToday = tonumber(redis.call('GET', KEYS[3]) or '0')
if sentToday >= tonumber(ARGV[4]) then return redis.call('PTTL', KEYS[3]) end
local ipToday = tonumber(redis.call('GET', KEYS[4]) or '0')
if ipToday >= tonumber(ARGV[5]) then return redis.call('PTTL', KEYS[4]) end
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'tries', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[3]) end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[6]) end
if redis.call('INCR', KEYS[4]) == 1 then redis.call('PEXPIRE', KEYS[4], ARGV[6]) end
return 0
`)

// Issue implements account.OTPStore.
func (s *AuthStore) Issue(ctx context.Context, phone, ip, codeHash string, ttl, gap time.Duration, phoneCap, ipCap int) (time.Duration, error) {
	keys := []string{s.prefix + "otp:" + phone, s.prefix + "otp-gap:" + phone, s.prefix + "otp-day:" + phone, s.prefix + "otp-ip:" + ip}
	wait, err := issueScript.Run(ctx, s.client, keys, codeHash, ttl.Milliseconds(), gap.Milliseconds(), phoneCap, ipCap, (24 * time.Hour).Milliseconds()).Int64()
	if err != nil {
		return 0, unavailable("issue login code", err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

// verifyScript: KEYS code; ARGV hash, max tries. 1 accepted, 2 wrong, 3 missing.
var verifyScript = goredis.NewScript(`
local stored = redis.call('HGET', KEYS[1], 'hash')
if not stored then return 3 end
if stored == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if tries >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return 2
`)

// Verify implements account.OTPStore. The hashes compared are HMACs, so a
// byte-by-byte comparison in Lua leaks nothing about the code.
func (s *AuthStore) Verify(ctx context.Context, phone, codeHash string, maxTries int) (account.OTPResult, error) {
	r, err := verifyScript.Run(ctx, s.client, []string{s.prefix + "otp:" + phone}, codeHash, maxTries).Int64()
	if err != nil {
		return account.OTPMissing, unavailable("verify login code", err)
	}
	switch r {
	case 1:
		return account.OTPAccepted, nil
	case 2:
		return account.OTPWrong, nil
	}
	return account.OTPMissing, nil
}

// reserveScript: KEYS the counters; ARGV window ms, then each key's limit.
// Returns 0 when the attempt was counted on every key, else the blocked
// key's remaining ms. Check and count are one step, so concurrent attempts
// cannot all pass.
var reserveScript = goredis.NewScript(`
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('GET', key) or '0')
  if n >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 1000 then ttl = 1000 end
    return ttl
  end
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('PEXPIRE', key, ARGV[1])
end
return 0
`)

// Reserve implements account.Limiter.
func (s *AuthStore) Reserve(ctx context.Context, limits map[string]int, window time.Duration) (time.Duration, error) {
	keys := make([]string, 0, len(limits))
	args := []any{window.Milliseconds()}
	for key, limit := range limits {
		keys = append(keys, s.prefix+"fail:"+key)
		args = append(args, limit)
	}
	wait, err := reserveScript.Run(ctx, s.client, keys, args...).Int64()
	if err != nil {
		return 0, unavailable("reserve login attempt", err)
	}
	return time.Duration(wait) * time.Millisecond, nil
}

// releaseScript gives back one attempt, never below zero.
var releaseScript = goredis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
return 0
`)

// Release implements account.Limiter.
func (s *AuthStore) Release(ctx context.Context, key string) error {
	if err := releaseScript.Run(ctx, s.client, []string{s.prefix + "fail:" + key}).Err(); err != nil {
		return unavailable("release login attempt", err)
	}
	return nil
}

// Reset implements account.Limiter.
func (s *AuthStore) Reset(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.prefix+"fail:"+key).Err(); err != nil {
		return unavailable("reset failed logins", err)
	}
	return nil
}

// Revoke implements account.Revocations.
func (s *AuthStore) Revoke(ctx context.Context, sessionID string, ttl time.Duration) error {
	if err := s.client.Set(ctx, s.prefix+"revoked:"+sessionID, "1", ttl).Err(); err != nil {
		return unavailable("revoke session", err)
	}
	return nil
}

// IsRevoked implements account.Revocations in one round trip: the session's
// key and the marker that the denylist is intact.
func (s *AuthStore) IsRevoked(ctx context.Context, sessionID string) (bool, bool, error) {
	vals, err := s.client.MGet(ctx, s.prefix+"revoked:"+sessionID, s.prefix+"revocations-intact").Result()
	if err != nil {
		return false, false, unavailable("check session", err)
	}
	return vals[0] != nil, vals[1] != nil, nil
}

// MarkIntact implements account.Revocations.
func (s *AuthStore) MarkIntact(ctx context.Context) error {
	if err := s.client.Set(ctx, s.prefix+"revocations-intact", strconv.FormatInt(time.Now().Unix(), 10), 0).Err(); err != nil {
		return unavailable("mark denylist intact", err)
	}
	return nil
}

// Put implements account.GraceCache.
func (s *AuthStore) Put(ctx context.Context, key string, p account.TokenPair, ttl time.Duration) error {
	b, _ := json.Marshal(p)
	if err := s.client.Set(ctx, s.prefix+"grace:"+key, b, ttl).Err(); err != nil {
		return unavailable("cache rotated tokens", err)
	}
	return nil
}

// Get implements account.GraceCache.
func (s *AuthStore) Get(ctx context.Context, key string) (*account.TokenPair, bool, error) {
	b, err := s.client.Get(ctx, s.prefix+"grace:"+key).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, unavailable("read rotated tokens", err)
	}
	var p account.TokenPair
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, false, nil
	}
	return &p, true, nil
}
