// Package mysqltest gives integration tests a freshly migrated database of
// their own: on the real MariaDB/MySQL (created and dropped by the harness)
// and on the embedded SQLite, so that one store test runs on both.
package mysqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/migrations"
)

// ServerDSN is the MariaDB the integration tests use: TIAOJIE_TEST_MYSQL_DSN,
// or root without a password on 127.0.0.1:3306 (the project machines' set-up).
func ServerDSN() string {
	if dsn := os.Getenv("TIAOJIE_TEST_MYSQL_DSN"); dsn != "" {
		return dsn
	}
	return "root@tcp(127.0.0.1:3306)/"
}

// New creates a database named tjt_<random> on the test server, migrates it
// and drops it when the test ends. It fails (never skips) when the server is
// down, unless the tests run with -short.
func New(t testing.TB) *mysql.DB {
	t.Helper()
	return open(t, mysql.Config{DSN: NewDSN(t), MaxOpenConns: 16})
}

// NewDSN creates an empty database on the test server, dropped when the test
// ends, and returns its DSN (for tests that start the whole server on it).
func NewDSN(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs MariaDB (run without -short)")
	}
	cfg, err := gomysql.ParseDSN(ServerDSN())
	if err != nil {
		t.Fatalf("mysqltest: TIAOJIE_TEST_MYSQL_DSN: %v", err)
	}
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("mysqltest: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	name := "tjt_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("mysqltest: create database on %s (is MariaDB running? `make services` starts it): %v", cfg.Addr, err)
	}
	t.Cleanup(func() { dropDatabase(t, cfg, name) })
	cfg.DBName = name
	return cfg.FormatDSN()
}

// NewSQLite creates a migrated SQLite database in the test's temp directory.
func NewSQLite(t testing.TB) *mysql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiaojie.db")
	SeedSQLite(t, path)
	return open(t, mysql.Config{SQLitePath: path})
}

// SeedSQLite writes a migrated, empty SQLite database at path, as the
// migrations leave it on a first start (the server's or open's own
// migration run then finds nothing to do).
func SeedSQLite(t testing.TB, path string) {
	t.Helper()
	b, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("mysqltest: migrate the SQLite template: %v", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatalf("mysqltest: %v", err)
	}
}

// sqliteTemplate is a SQLite database migrated once per test process, as
// bytes: migrating costs ~0.3 s of CPU (1.3 s under the race detector, the
// SQLite engine being Go translated from C) and a test process creates
// hundreds; a copy of the file is the same database. Its first run is a
// migration from nothing, so the migrations still run in every process.
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "tiaojie-sqlite-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "tiaojie.db")
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := mysql.Open(ctx, mysql.Config{SQLitePath: path}, log)
	if err != nil {
		return nil, err
	}
	_, err = mysql.Migrate(ctx, db, migrations.FS, log)
	if err == nil {
		// Everything into the main file: the copy takes no WAL along.
		_, err = db.SQL.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
})

// Each runs fn once on MariaDB and once on SQLite, as subtests.
func Each(t *testing.T, fn func(t *testing.T, db *mysql.DB)) {
	t.Helper()
	t.Run("mariadb", func(t *testing.T) { fn(t, New(t)) })
	t.Run("sqlite", func(t *testing.T) { fn(t, NewSQLite(t)) })
}

func open(t testing.TB, cfg mysql.Config) *mysql.DB {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()
	db, err := mysql.Open(ctx, cfg, log)
	if err != nil {
		t.Fatalf("mysqltest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := mysql.Migrate(ctx, db, migrations.FS, log); err != nil {
		t.Fatalf("mysqltest: migrate: %v", err)
	}
	return db
}

func dropDatabase(t testing.TB, cfg *gomysql.Config, name string) {
	c := cfg.Clone()
	c.DBName = ""
	admin, err := sql.Open("mysql", c.FormatDSN())
	if err != nil {
		t.Errorf("mysqltest: drop %s: %v", name, err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if !strings.HasPrefix(name, "tjt_") {
		t.Fatalf("mysqltest: refusing to drop %q: not a test database", name)
	}
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		t.Errorf("mysqltest: drop %s: %v", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
