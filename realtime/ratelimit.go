package realtime

import "time"

// Signalling rate limits per socket. Messages: ICE candidates come in short
// bursts, nothing legitimate sends more than a few dozen a second. Actions
// that land on the case timeline (mute and unmute): a person clicks them a
// few times a minute; 1,000 mute frames in 11 ms once wrote 1,000 timeline
// rows. A message over a limit is a bad message: answered with
// message.rate_limited, and MaxBadMessages of them end the socket.
const (
	messageBurst     = 100
	messagesPerSec   = 50
	timelineBurst    = 10
	timelineEventSec = 1
)

// bucket is a token bucket, used by one socket's reader only.
type bucket struct {
	tokens, burst, perSec float64
	last                  time.Time
}

func newBucket(burst, perSec float64) bucket {
	return bucket{tokens: burst, burst: burst, perSec: perSec}
}

func (b *bucket) allow(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.perSec)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func errRateLimited() error {
	return badMessage("message.rate_limited", "too many messages; slow down")
}
