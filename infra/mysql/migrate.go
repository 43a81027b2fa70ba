package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Migration is one versioned schema file.
type Migration struct {
	Version  int
	Name     string
	SQL      string
	Checksum string
}

var migrationFileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// LoadMigrations reads NNNN_name.sql files from fsys in version order.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("migrations: read: %w", err)
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		m := migrationFileName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		v, _ := strconv.Atoi(m[1])
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations: version %d used by %s and %s", v, prev, e.Name())
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: read %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		out = append(out, Migration{Version: v, Name: m[2], SQL: string(body), Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// dialectTokens turns the portable migration text into each engine's DDL.
var dialectTokens = map[Dialect]*strings.Replacer{
	DialectMySQL: strings.NewReplacer(
		"{{pk}}", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY",
		"{{table}}", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
		"{{datetime}}", "DATETIME(6)",
		"{{longtext}}", "LONGTEXT",
		"{{varbinary}}", "VARBINARY", // byte-exact, trailing spaces too (utf8mb4_bin pads)
	),
	DialectSQLite: strings.NewReplacer(
		"{{pk}}", "INTEGER PRIMARY KEY AUTOINCREMENT",
		"{{table}}", "",
		"{{datetime}}", "DATETIME",
		"{{longtext}}", "TEXT",
		"{{varbinary}}", "VARCHAR", // SQLite compares text byte for byte
	),
}

// Statements renders a migration for a dialect and splits it into statements.
func (m Migration) Statements(d Dialect) []string {
	var b strings.Builder
	for _, line := range strings.Split(m.SQL, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	var out []string
	for _, s := range strings.Split(dialectTokens[d].Replace(b.String()), ";\n") {
		if s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";")); s != "" {
			out = append(out, s)
		}
	}
	return out
}

var createIndex = regexp.MustCompile(`(?is)^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(\w+)\s+ON\s+(\w+)`)
var addColumn = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)`)

// Migrate applies every migration not yet applied, in order. It is safe to run
// twice and from several instances at once (MySQL: a named lock), and it
// refuses to go on if an applied file was changed afterwards.
func Migrate(ctx context.Context, db *DB, fsys fs.FS, log *slog.Logger) (applied int, err error) {
	migrations, err := LoadMigrations(fsys)
	if err != nil {
		return 0, err
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close()
	if db.Dialect == DialectMySQL {
		var got sql.NullInt64
		// The lock is the database's: instances migrating one database wait
		// for each other, those of other databases on the server do not.
		// (Hashed: MySQL refuses lock names over 64 characters, and a
		// database name may have 64.)
		const lock = "CONCAT('tiaojie_migrate:', MD5(DATABASE()))"
		if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+lock+", 60)").Scan(&got); err != nil || got.Int64 != 1 {
			return 0, fmt.Errorf("migrate: take lock (another instance migrating?): %v", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK("+lock+")") //nolint:errcheck // the lock dies with the connection anyway
	}
	ledger := Migration{SQL: `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INT          NOT NULL PRIMARY KEY,
  name       VARCHAR(255) NOT NULL,
  checksum   VARCHAR(64)  NOT NULL,
  applied_at {{datetime}} NOT NULL
) {{table}}`}
	if _, err := conn.ExecContext(ctx, ledger.Statements(db.Dialect)[0]); err != nil {
		return 0, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	done, err := appliedMigrations(ctx, conn)
	if err != nil {
		return 0, err
	}
	known := map[int]bool{}
	for _, m := range migrations {
		known[m.Version] = true
		if sum, ok := done[m.Version]; ok {
			if sum != m.Checksum {
				return applied, fmt.Errorf("migrate: %04d_%s.sql was changed after it was applied; add a new migration instead", m.Version, m.Name)
			}
			continue
		}
		for _, stmt := range m.Statements(db.Dialect) {
			if skip, err := alreadyDone(ctx, conn, db.Dialect, stmt); err != nil {
				return applied, err
			} else if skip {
				continue
			}
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return applied, fmt.Errorf("migrate: %04d_%s.sql: %w", m.Version, m.Name, err)
			}
		}
		if _, err := conn.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
			m.Version, m.Name, m.Checksum, time.Now().UTC()); err != nil {
			return applied, fmt.Errorf("migrate: record %04d: %w", m.Version, err)
		}
		applied++
		log.Info("migration applied", "version", m.Version, "name", m.Name, "dialect", db.Dialect)
	}
	for v := range done {
		if !known[v] {
			log.Warn("database has a migration this binary does not know; is an older binary running against a newer schema?", "version", v)
		}
	}
	return applied, nil
}

func appliedMigrations(ctx context.Context, conn *sql.Conn) (map[int]string, error) {
	rows, err := conn.QueryContext(ctx, "SELECT version, checksum FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]string{}
	for rows.Next() {
		var v int
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			return nil, fmt.Errorf("migrate: scan schema_migrations: %w", err)
		}
		done[v] = sum
	}
	return done, rows.Err()
}

// alreadyDone reports whether a CREATE INDEX or ALTER TABLE … ADD COLUMN
// statement took effect before a crash cut its file short.
func alreadyDone(ctx context.Context, conn *sql.Conn, d Dialect, stmt string) (bool, error) {
	if m := addColumn.FindStringSubmatch(stmt); m != nil {
		return columnExists(ctx, conn, d, m[1], m[2])
	}
	return indexExists(ctx, conn, d, stmt)
}

// columnExists lets an ADD COLUMN be re-run: neither MySQL 8 nor SQLite has
// ADD COLUMN IF NOT EXISTS.
func columnExists(ctx context.Context, conn *sql.Conn, d Dialect, table, column string) (bool, error) {
	q := "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?"
	if d == DialectSQLite {
		q = "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name = ?"
	}
	var n int
	if err := conn.QueryRowContext(ctx, q, table, column).Scan(&n); err != nil {
		return false, fmt.Errorf("migrate: look up column %s.%s: %w", table, column, err)
	}
	return n > 0, nil
}

// indexExists lets a CREATE INDEX be re-run after a crash cut its file short:
// MySQL 8 has no CREATE INDEX IF NOT EXISTS.
func indexExists(ctx context.Context, conn *sql.Conn, d Dialect, stmt string) (bool, error) {
	m := createIndex.FindStringSubmatch(stmt)
	if m == nil {
		return false, nil
	}
	q := "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = ? AND table_name = ?"
	if d == DialectSQLite {
		q = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = ?"
	}
	var n int
	if err := conn.QueryRowContext(ctx, q, m[1], m[2]).Scan(&n); err != nil {
		return false, fmt.Errorf("migrate: look up index %s: %w", m[1], err)
	}
	return n > 0, nil
}
