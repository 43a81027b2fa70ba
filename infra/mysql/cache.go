package mysql

import (
	"sync"
	"time"
)

// cacheTTL is how long slowly changing reference data (categories,
// organisations) is kept in memory: an edit shows on every instance within it.
const cacheTTL = 30 * time.Second

// cache keeps one value for cacheTTL. Errors are not kept.
type cache[T any] struct {
	mu      sync.Mutex
	value   T
	expires time.Time
}

func (c *cache[T]) get(load func() (T, error)) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Now().Before(c.expires) {
		return c.value, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.value, c.expires = v, time.Now().Add(cacheTTL)
	return v, nil
}

func (c *cache[T]) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expires = time.Time{}
}
