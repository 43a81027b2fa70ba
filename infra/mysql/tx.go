package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	gomysql "github.com/go-sql-driver/mysql"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
)

var _ domain.TxRunner = (*DB)(nil)

type txKey struct{}

// WithTx implements domain.TxRunner: the transaction travels in the context,
// and every store reaches the database through Conn(ctx), so stores of any
// area join it. A nested call joins the outer transaction.
func (db *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return db.withTx(ctx, nil, fn)
}

// withTx is WithTx with transaction options (an isolation level); a nested
// call joins the outer transaction whatever its options.
func (db *DB) withTx(ctx context.Context, opts *sql.TxOptions, fn func(ctx context.Context) error) error {
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		return fn(ctx)
	}
	hooks := &commitHooks{}
	ctx = context.WithValue(ctx, hooksKey{}, hooks)
	var txOpts []*sql.TxOptions
	if opts != nil {
		txOpts = append(txOpts, opts)
	}
	err := db.Gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	}, txOpts...)
	if err == nil {
		for _, h := range hooks.fns {
			h()
		}
	}
	if err != nil {
		// The domain error from fn passes through unchanged; anything else
		// (a failed commit included) is translated and named.
		if _, ok := domain.AsError(err); ok {
			return err
		}
		return Translate(err, "transaction")
	}
	return nil
}

type hooksKey struct{}

// commitHooks are what runs after a transaction commits. One transaction
// runs on one goroutine, so no lock.
type commitHooks struct{ fns []func() }

// AfterCommit runs fn once the transaction ctx carries has committed (never
// when it rolls back), or at once outside a transaction. The outbox uses it
// to wake the relay the moment its rows become visible.
func (db *DB) AfterCommit(ctx context.Context, fn func()) {
	if h, ok := ctx.Value(hooksKey{}).(*commitHooks); ok && InTx(ctx) {
		h.fns = append(h.fns, fn)
		return
	}
	fn()
}

// Conn is the handle every store query starts from: the transaction carried
// by ctx, or the pool.
func (db *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.Gorm.WithContext(ctx)
}

// InTx reports whether ctx carries a transaction (stores that must run
// inside one check it).
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// Translate turns a driver error into a domain error at the boundary, named
// with the operation ("mysql: claim work order 42: …"). Not-found and
// duplicate-key errors become domain kinds; deadlocks and lock waits become
// a conflict the client may retry; context ends become unavailable.
func Translate(err error, op string) error {
	if err == nil {
		return nil
	}
	if _, ok := domain.AsError(err); ok {
		return fmt.Errorf("mysql: %s: %w", op, err)
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return fmt.Errorf("mysql: %s: %w", op, domain.Wrap(err, domain.KindNotFound, "not_found", "Not found."))
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return fmt.Errorf("mysql: %s: %w", op, domain.Wrap(err, domain.KindConflict, "duplicate", "It already exists."))
	case isRetryable(err):
		return fmt.Errorf("mysql: %s: %w", op, domain.Wrap(err, domain.KindConflict, "retry", "A concurrent change got there first; try again."))
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fmt.Errorf("mysql: %s: %w", op, domain.Wrap(err, domain.KindUnavailable, "service.unavailable", "The database did not answer in time."))
	case isConnectionLost(err):
		return fmt.Errorf("mysql: %s: %w", op, domain.Wrap(err, domain.KindUnavailable, "service.unavailable", "The database is not reachable; try again shortly."))
	}
	return fmt.Errorf("mysql: %s: %w", op, err)
}

// isConnectionLost recognises a database that went away mid-conversation or
// cannot be reached: the client is told to come back (503), not that the
// server broke (500).
func isConnectionLost(err error) bool {
	var netErr net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, gomysql.ErrInvalidConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.As(err, &netErr)
}
