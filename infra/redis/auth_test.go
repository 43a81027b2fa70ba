package redis_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/infra/redis"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// Concurrent attempts each reserve before they are judged: of 100 at once
// against a limit of 5, exactly 5 pass, and a blocked attempt counts on no
// key (the IP's count is not raised by attempts the user key refused).
func TestReserveAdmitsExactlyTheLimitUnderConcurrency(t *testing.T) {
	client, prefix := redistest.New(t)
	store := redis.NewAuthStore(client, prefix)
	ctx := t.Context()
	var passed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := store.Reserve(ctx, map[string]int{"user:a": 5, "ip:1": 50}, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				passed.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := passed.Load(); n != 5 {
		t.Fatalf("%d of 100 concurrent attempts passed a limit of 5", n)
	}
	if wait, _ := store.Reserve(ctx, map[string]int{"ip:1": 6}, time.Minute); wait != 0 {
		t.Fatal("attempts refused by the user key were counted against the IP")
	}
	if wait, _ := store.Reserve(ctx, map[string]int{"ip:1": 6}, time.Minute); wait == 0 {
		t.Fatal("the sixth attempt from the IP passed a limit of 6")
	}
	if err := store.Release(ctx, "ip:1"); err != nil {
		t.Fatal(err)
	}
	if wait, _ := store.Reserve(ctx, map[string]int{"ip:1": 6}, time.Minute); wait != 0 {
		t.Fatal("a released attempt still counts")
	}
	if err := store.Release(ctx, "never:seen"); err != nil {
		t.Fatal(err)
	}
	if wait, _ := store.Reserve(ctx, map[string]int{"never:seen": 1}, time.Minute); wait != 0 {
		t.Fatal("releasing an unknown key made a negative count or a block")
	}
}

// The code limits hold under concurrency too: of 50 simultaneous requests
// for one phone one code is issued (the gap), and of 50 simultaneous wrong
// guesses at most maxTries are judged before the code is destroyed, so the
// right code cannot slip in among them.
func TestCodeLimitsHoldUnderConcurrency(t *testing.T) {
	client, prefix := redistest.New(t)
	store := redis.NewAuthStore(client, prefix)
	ctx := t.Context()
	var issued, wrong atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := store.Issue(ctx, "13800000000", "10.0.0.1", "right", time.Minute, time.Minute, 10, 100)
			if err == nil && wait == 0 {
				issued.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := issued.Load(); n != 1 {
		t.Fatalf("%d codes issued to 50 simultaneous requests, want 1", n)
	}
	const maxTries = 5
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := store.Verify(ctx, "13800000000", "wrong", maxTries)
			if err == nil && r == account.OTPWrong {
				wrong.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := wrong.Load(); n != maxTries {
		t.Fatalf("%d wrong guesses judged, want %d before the code is destroyed", n, maxTries)
	}
	if r, _ := store.Verify(ctx, "13800000000", "right", maxTries); r == account.OTPAccepted {
		t.Fatal("the right code still works after the tries ran out")
	}
}
