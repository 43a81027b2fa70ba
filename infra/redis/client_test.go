package redis

import (
	"context"
	"testing"
	"time"
)

// The embedded server's clock moves with real time: a key set with a TTL is
// gone once its time has passed. The test polls rather than asserting how long
// expiry took; without the server's clock moving, the key outlives the poll.
func TestEmbeddedServerExpiresKeysInRealTime(t *testing.T) {
	e, err := StartEmbedded()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	c, err := Open(ctx, e.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Set(ctx, "short", "1", time.Second).Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, "forever", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Exists(ctx, "short").Result(); n != 1 {
		t.Fatal("the key with a one-second TTL is gone at once")
	}
	if !eventually(10*time.Second, func() bool { n, _ := c.Exists(ctx, "short").Result(); return n == 0 }) {
		ttl, _ := c.PTTL(ctx, "short").Result()
		t.Fatalf("a key with a one-second TTL still exists after ten seconds (PTTL %s): the embedded server's clock stands still", ttl)
	}
	if n, _ := c.Exists(ctx, "forever").Result(); n != 1 {
		t.Fatal("a key without a TTL expired")
	}
	e.Close()
	e.Close() // a second Close is harmless (the application closes on both error and stop paths)
}

func eventually(limit time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if ok() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return ok()
}
