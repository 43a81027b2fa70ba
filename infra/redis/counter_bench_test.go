package redis_test

import (
	"context"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/infra/redis"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// BenchmarkWarningCounterObserve counts events for the default counting rules
// through the real Redis, one pipelined round trip per event, as many
// concurrent callers as go-redis has connections. The mix is a district's: every filing
// counts for its person and its community; one in ten is a family dispute
// naming violence (its household too), one in twenty a loan consultation
// (its station too). Simulated time advances 864 s per event — about 100
// filings a day in a district of 997 communities and 100,003 people — so that
// windows fill and trim the way they do in service. Compare its events/s
// with `redis-benchmark -t incr -n 200000 -q` (unpipelined INCR, 50 clients)
// run on the same machine in the same session (docs/PERFORMANCE.md).
func BenchmarkWarningCounterObserve(b *testing.B) {
	client, prefix := redistest.New(b)
	c := redis.NewWarningCounter(client, prefix)
	var seq atomic.Int64
	start := time.Now().Add(-365 * 24 * time.Hour)
	b.SetParallelism(10) // × GOMAXPROCS 2 = 20 callers, the size of go-redis's pool here
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			id := seq.Add(1)
			member := strconv.FormatInt(id, 10)
			// A district's spread: people seldom repeat, communities and
			// stations see a steady trickle.
			person := strconv.FormatInt(id%100_003, 10)
			ops := []warning.CountOp{
				{Key: "r1:person:" + person, Member: member, Window: 30 * 24 * time.Hour, Threshold: 3},
				{Key: "r2:community:" + strconv.FormatInt(id%997, 10) + ":consumer", Member: member, Window: 7 * 24 * time.Hour, Threshold: 3},
			}
			if id%10 == 0 {
				ops = append(ops, warning.CountOp{Key: "r4:household:" + person, Member: member, Window: 60 * 24 * time.Hour, Threshold: 2})
			}
			if id%20 == 0 {
				ops = append(ops, warning.CountOp{Key: "r5:station:" + strconv.FormatInt(id%14, 10), Member: member, Window: 30 * 24 * time.Hour, Threshold: 5})
			}
			at := start.Add(time.Duration(id) * 864 * time.Second)
			if _, err := c.Observe(ctx, at, ops); err != nil {
				b.Fatal(err)
			}
		}
	})
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	if incr := redisBenchmarkINCR(b); incr > 0 {
		b.ReportMetric(incr, "redis-benchmark_INCR/s")
		b.ReportMetric(100*rate/incr, "%_of_INCR")
	}
}

// redisBenchmarkINCR runs redis-benchmark's unpipelined INCR (50 clients)
// against the same Redis, so that the ratio is measured in the same run.
func redisBenchmarkINCR(b *testing.B) float64 {
	u, err := url.Parse(redistest.URL())
	if err != nil {
		return 0
	}
	out, err := exec.Command("redis-benchmark", "-h", u.Hostname(), "-p", u.Port(), "-t", "incr", "-n", "100000", "-q").Output()
	if err != nil {
		b.Logf("redis-benchmark not run: %v", err)
		return 0
	}
	m := regexp.MustCompile(`INCR: ([0-9.]+) requests per second`).FindStringSubmatch(string(out))
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}
