package mysql_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

func countMeta(t *testing.T, db *mysql.DB, ctx context.Context) int64 {
	t.Helper()
	var n int64
	if err := db.Conn(ctx).Table("app_meta").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func insertMeta(ctx context.Context, db *mysql.DB, key string) error {
	return db.Conn(ctx).Exec("INSERT INTO app_meta (meta_key, meta_value, updated_at) VALUES (?, 'v', CURRENT_TIMESTAMP)", key).Error
}

func TestWithTxCommitsOrRollsBackEverything(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		boom := domain.Errorf(domain.KindConflict, "case.version", "stale")
		err := db.WithTx(ctx, func(ctx context.Context) error {
			if err := insertMeta(ctx, db, "a"); err != nil {
				return err
			}
			// A nested call joins the outer transaction and sees its rows.
			if err := db.WithTx(ctx, func(ctx context.Context) error { return insertMeta(ctx, db, "b") }); err != nil {
				return err
			}
			if n := countMeta(t, db, ctx); n != 2 {
				t.Errorf("inside the transaction %d rows, want 2", n)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("the domain error must come back unchanged, got %v", err)
		}
		if n := countMeta(t, db, ctx); n != 0 {
			t.Fatalf("rolled back transaction left %d rows", n)
		}
		if err := db.WithTx(ctx, func(ctx context.Context) error { return insertMeta(ctx, db, "c") }); err != nil {
			t.Fatal(err)
		}
		if n := countMeta(t, db, ctx); n != 1 {
			t.Fatalf("committed transaction has %d rows, want 1", n)
		}
	})
}

func TestTranslateDuplicateKeyIsAConflict(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		if err := insertMeta(ctx, db, "k"); err != nil {
			t.Fatal(err)
		}
		err := mysql.Translate(insertMeta(ctx, db, "k"), "insert meta")
		if domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("duplicate key gave %v, want a conflict", err)
		}
	})
}
