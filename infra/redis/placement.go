package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// RoomPlacement records which server instance hosts each video room: a
// room's media live in one instance's memory, so every participant must
// reach that instance. The first instance to place a room owns it until the
// room's window ends. It is rebuildable: after a Redis loss the next join
// places the room again.
type RoomPlacement struct {
	c      *goredis.Client
	prefix string
}

// NewRoomPlacement returns the registry on c.
func NewRoomPlacement(c *goredis.Client, prefix string) *RoomPlacement {
	return &RoomPlacement{c: c, prefix: prefix}
}

// Place makes self the host of roomID unless another instance is already,
// until the given time; it returns the host's base URL.
func (p *RoomPlacement) Place(ctx context.Context, roomID, self string, until time.Time) (string, error) {
	ttl := time.Until(until)
	if ttl < time.Minute {
		ttl = time.Minute
	}
	key := p.prefix + "rtc:room:" + roomID
	ok, err := p.c.SetNX(ctx, key, self, ttl).Result()
	if err != nil {
		return "", fmt.Errorf("redis: place room %s: %w", roomID, err)
	}
	if ok {
		return self, nil
	}
	owner, err := p.c.Get(ctx, key).Result()
	if errors.Is(err, goredis.Nil) { // expired in between: try once more
		return p.Place(ctx, roomID, self, until)
	}
	if err != nil {
		return "", fmt.Errorf("redis: read room %s placement: %w", roomID, err)
	}
	return owner, nil
}

// Owner is the instance hosting roomID, if placed.
func (p *RoomPlacement) Owner(ctx context.Context, roomID string) (string, bool, error) {
	owner, err := p.c.Get(ctx, p.prefix+"rtc:room:"+roomID).Result()
	if errors.Is(err, goredis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("redis: read room %s placement: %w", roomID, err)
	}
	return owner, true, nil
}
