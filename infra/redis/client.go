package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
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
//
// miniredis' clock stands still unless told to move, so without help no key
// would ever expire: one SMS code per phone per server run, lock-outs for
// ever. A ticker moves its TTLs by the real time that passed. (miniredis'
// ClockTTL would do the same on every command, but sorts every key to do it;
// a tick every embeddedTick bounds that cost and the expiry error alike.)
type Embedded struct {
	server   *miniredis.Miniredis
	password string
	stop     chan struct{}
	done     chan struct{}
	once     sync.Once
}

// embeddedTick is how late a key may expire in embedded mode.
const embeddedTick = 100 * time.Millisecond

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
	e := &Embedded{server: s, password: password, stop: make(chan struct{}), done: make(chan struct{})}
	go e.runClock(embeddedTick)
	return e, nil
}

// runClock moves the server's TTLs forward by the time elapsed on the
// monotonic clock, until Close.
func (e *Embedded) runClock(every time.Duration) {
	defer close(e.done)
	t := time.NewTicker(every)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-e.stop:
			return
		case now := <-t.C:
			e.server.FastForward(now.Sub(last))
			last = now
		}
	}
}

// URL is the redis:// address of the embedded server, with its password:
// never log it (Addr is what logs show).
func (e *Embedded) URL() string { return "redis://:" + e.password + "@" + e.server.Addr() + "/0" }

// Addr is the server's host:port.
func (e *Embedded) Addr() string { return e.server.Addr() }

// Close stops the clock and the server.
func (e *Embedded) Close() {
	e.once.Do(func() {
		close(e.stop)
		<-e.done
		e.server.Close()
	})
}
