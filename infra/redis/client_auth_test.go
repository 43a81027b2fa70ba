package redis_test

import (
	"strings"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/infra/redis"
)

// The embedded Redis-protocol server answers only with its password (issue
// 16, low): another local process cannot delete a revocation.
func TestEmbeddedRedisNeedsItsPassword(t *testing.T) {
	e, err := redis.StartEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	stranger := goredis.NewClient(&goredis.Options{Addr: e.Addr()})
	defer stranger.Close()
	if err := stranger.Del(t.Context(), "auth:revoked:x").Err(); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Fatalf("a client without the password: %v, want NOAUTH", err)
	}
	c, err := redis.Open(t.Context(), e.URL())
	if err != nil {
		t.Fatalf("the server's own URL: %v", err)
	}
	defer c.Close()
	if err := c.Set(t.Context(), "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
}
