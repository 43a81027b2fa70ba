package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
	"unicode"
)

// Idempotency remembers what a create with an Idempotency-Key produced, so
// that a phone retrying on a bad network gets the first result back instead
// of filing twice.
type Idempotency struct {
	Scope        string // whose key: "user:42"
	Key          string
	RequestHash  string // what was asked, so the same key with another body is refused
	ResourceType string
	ResourceID   int64
	CreatedAt    time.Time
}

// IdempotencyStore keeps idempotency records. Save answers a conflict when the
// (scope, key) pair exists, which is how a race between two retries ends.
type IdempotencyStore interface {
	LookupIdempotency(ctx context.Context, scope, key string) (*Idempotency, bool, error)
	SaveIdempotency(ctx context.Context, recs ...*Idempotency) error
}

// MaxIdempotencyKeyLen is the longest key accepted (UUIDs are 36).
const MaxIdempotencyKeyLen = 128

// ValidIdempotencyKey checks a client-supplied key: printable ASCII, no
// spaces, at most MaxIdempotencyKeyLen. An empty key means "none".
func ValidIdempotencyKey(key string) error {
	if len(key) > MaxIdempotencyKeyLen || strings.IndexFunc(key, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' }) >= 0 {
		return Invalid(FieldError{Field: "Idempotency-Key", Code: FieldInvalid, Message: "must be at most 128 printable ASCII characters"})
	}
	return nil
}

// RequestHash fingerprints a decoded request so that retries compare by
// meaning, not by byte layout.
func RequestHash(v any) string {
	b, _ := json.Marshal(v) // domain values always marshal
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ErrIdempotencyKeyReused is the answer to a key replayed with another body.
func ErrIdempotencyKeyReused() *Error {
	return Errorf(KindInvalid, "idempotency.key_reused", "This Idempotency-Key was already used for a different request.")
}

// Idempotent runs create in one transaction unless key, in scope, already
// produced a resource: then it answers that resource's ID and created=false
// without creating anything. The same key with another request hash is
// refused; two retries racing end with the loser (whose record insert is a
// conflict, rolling back its whole create) answering the winner's result.
// An empty key always creates. The record is written in create's
// transaction, so it exists exactly when the resource does.
func Idempotent(ctx context.Context, tx TxRunner, store IdempotencyStore, clock Clock, scope, key, hash, resourceType string,
	create func(ctx context.Context) (int64, error)) (id int64, created bool, err error) {
	return IdempotentWrite(ctx, store, clock, scope, key, hash, resourceType, func(ctx context.Context, rec *Idempotency) (int64, error) {
		var id int64
		err := tx.WithTx(ctx, func(ctx context.Context) error {
			var err error
			if id, err = create(ctx); err != nil || rec == nil {
				return err
			}
			rec.ResourceID = id
			return store.SaveIdempotency(ctx, rec)
		})
		return id, err
	})
}

// IdempotentWrite is Idempotent for a create that commits the key's record
// itself, with the resource and in the same transaction: write receives the
// record to save (nil without a key; its ResourceID is write's to fill) and
// answers the new resource's ID.
func IdempotentWrite(ctx context.Context, store IdempotencyStore, clock Clock, scope, key, hash, resourceType string,
	write func(ctx context.Context, rec *Idempotency) (int64, error)) (id int64, created bool, err error) {
	var rec *Idempotency
	if key != "" {
		prev, found, err := store.LookupIdempotency(ctx, scope, key)
		if err != nil {
			return 0, false, err
		}
		if found {
			if prev.RequestHash != hash {
				return 0, false, ErrIdempotencyKeyReused()
			}
			return prev.ResourceID, false, nil
		}
		rec = &Idempotency{Scope: scope, Key: key, RequestHash: hash, ResourceType: resourceType, CreatedAt: clock.Now()}
	}
	id, err = write(ctx, rec)
	if err != nil && rec != nil && IsKind(err, KindConflict) {
		prev, found, lerr := store.LookupIdempotency(ctx, scope, key)
		if lerr == nil && found && prev.RequestHash == hash {
			return prev.ResourceID, false, nil
		}
	}
	if err != nil {
		return 0, false, err
	}
	return id, true, nil
}
