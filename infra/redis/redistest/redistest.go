// Package redistest gives integration tests the real Redis with a key prefix
// of their own, removed when the test ends.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/infra/redis"
)

// URL is the Redis the integration tests use: TIAOJIE_TEST_REDIS_URL or
// 127.0.0.1:6379 database 0.
func URL() string {
	if u := os.Getenv("TIAOJIE_TEST_REDIS_URL"); u != "" {
		return u
	}
	return "redis://127.0.0.1:6379/0"
}

// New connects to the test Redis and returns the client and a fresh key
// prefix ("tjt:<random>:"); every key under it is deleted at cleanup.
func New(t testing.TB) (*goredis.Client, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs Redis (run without -short)")
	}
	client, err := redis.Open(context.Background(), URL())
	if err != nil {
		t.Fatalf("redistest: %v (is Redis running? `make services` starts it)", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	prefix := "tjt:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		iter := client.Scan(ctx, 0, prefix+"*", 500).Iterator()
		for iter.Next(ctx) {
			client.Del(ctx, iter.Val())
		}
		_ = client.Close()
	})
	return client, prefix
}
