package warning

import (
	"sync"
	"time"
)

// lastRaised remembers when each (rule, subject) last fired, as seen by this
// instance, so that the events of a subject already warned about (a person
// filing again and again) are not each a locked database round trip only to
// learn the rule is still cooling down. It can only be older than the truth
// (another instance may have fired since), and then raise asks the database,
// so it never suppresses a warning that is due.
type lastRaised struct {
	mu sync.Mutex
	at map[raisedKey]time.Time
}

type raisedKey struct {
	rule    int64
	subject string
}

// maxRemembered bounds the memory: past it, entries older than any cool-down
// can be are dropped, and if that is not enough, all of them (it is only a
// shortcut).
const maxRemembered = 10000

func (l *lastRaised) cooling(r Rule, subject string, now time.Time) bool {
	if r.Cooldown <= 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	last, ok := l.at[raisedKey{r.ID, subject}]
	return ok && now.Sub(last) < r.Cooldown
}

func (l *lastRaised) remember(r Rule, subject string, at, now time.Time) {
	if r.Cooldown <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.at == nil {
		l.at = map[raisedKey]time.Time{}
	}
	if len(l.at) >= maxRemembered {
		for k, t := range l.at {
			if now.Sub(t) >= MaxCooldown {
				delete(l.at, k)
			}
		}
		if len(l.at) >= maxRemembered {
			clear(l.at)
		}
	}
	k := raisedKey{r.ID, subject}
	if prev, ok := l.at[k]; !ok || at.After(prev) {
		l.at[k] = at
	}
}
