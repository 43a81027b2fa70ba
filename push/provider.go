package push

import (
	"context"
	"errors"
	"time"
)

// Message is one notice for one person, in the shape every channel is given.
// ID is unique per notice and stays the same across retries, so a receiver
// can drop a repeat: delivery is at least once.
type Message struct {
	ID        string            `json:"id"`
	UserID    int64             `json:"user_id"`
	Kind      string            `json:"kind"`
	Title     string            `json:"title"`
	Body      string            `json:"body"`
	Data      map[string]string `json:"data,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

// Provider is one outside channel (a webhook gateway, a mini-program
// subscription message, an SMS fallback). Send returns nil when the channel
// accepted the message, a Permanent error when trying again cannot help, and
// any other error when a later attempt may succeed.
type Provider interface {
	Name() string
	Send(ctx context.Context, m Message) error
}

type permanentError struct{ err error }

func (e *permanentError) Error() string { return "permanent: " + e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that no retry can fix (the gateway rejected the
// message itself), so the dispatcher dead-letters the delivery at once
// instead of spending its remaining attempts. Permanent(nil) is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err: err}
}

// IsPermanent reports whether err, or any error it wraps, was marked Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
