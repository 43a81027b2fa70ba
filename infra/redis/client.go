package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/alicebob/miniredis/v2"
	goredis "github.com/redis/go-redis/v9"
)

// Open connects to the Redis at url (redis://[user:pass@]host:port/db) and
// checks that it answers. Timeouts are short on purpose: readiness must notice
// a dead Redis within a second, and no request should hang on one.
func Open(ctx context.Context, url string) (*goredis.Client, error) {
	return OpenPool(ctx, url, 0)
}

// OpenPool is Open with poolSize connections (0: go-redis's default). The
// staff stream holds one connection per connected app in a blocking read,
// so it gets a pool of its own sized for them.
func OpenPool(ctx context.Context, url string, poolSize int) (*goredis.Client, error) {
	opts, err := goredis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis: parse TIAOJIE_REDIS_URL: %w", err)
	}
	opts.DialTimeout = 500 * time.Millisecond
	opts.ReadTimeout = 2 * time.Second
	opts.WriteTimeout = 2 * time.Second
	opts.PoolTimeout = 2 * time.Second
	opts.MaxRetries = 1
	if poolSize > 0 {
		opts.PoolSize = poolSize
	}
	client := goredis.NewClient(opts)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("redis: ping %s: %w", opts.Addr, err)
	}
	return client, nil
}

// Embedded is an in-process Redis-protocol server on a loopback port, for the
// embedded default: the same go-redis code paths run against it as against a
// real Redis. It keeps nothing on disk, which is fine because Redis holds only
// what can be rebuilt from the database.
type Embedded struct {
	server   *miniredis.Miniredis
	password string
}

// StartEmbedded starts the server on 127.0.0.1 and a free port, behind a
// random password: any local process could otherwise connect and, say,
// delete a revocation to revive a logged-out token.
func StartEmbedded() (*Embedded, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("redis: embedded server password: %w", err)
	}
	s := miniredis.NewMiniRedis()
	password := hex.EncodeToString(b)
	s.RequireAuth(password)
	if err := s.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("redis: start embedded server: %w", err)
	}
	return &Embedded{server: s, password: password}, nil
}

// URL is the redis:// address of the embedded server, with its password:
// never log it (Addr is what logs show).
func (e *Embedded) URL() string { return "redis://:" + e.password + "@" + e.server.Addr() + "/0" }

// Addr is the server's host:port.
func (e *Embedded) Addr() string { return e.server.Addr() }

// Close stops the server.
func (e *Embedded) Close() { e.server.Close() }
