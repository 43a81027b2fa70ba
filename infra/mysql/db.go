package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	gomysql "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database engine behind a DB.
type Dialect string

const (
	DialectMySQL  Dialect = "mysql"
	DialectSQLite Dialect = "sqlite"
)

// Config says which database to open. An empty DSN means the embedded SQLite
// file at SQLitePath.
type Config struct {
	DSN             string
	SQLitePath      string
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
}

// DB is an open database with its dialect.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect Dialect
}

// Open connects to the configured database and checks that it answers.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*DB, error) {
	gcfg := &gorm.Config{
		TranslateError: true,
		// Stores choose their transactions (WithTx); a hidden BEGIN/COMMIT
		// around every single INSERT would double the round trips.
		SkipDefaultTransaction: true,
		// Parameterised: personal data in query arguments must never reach a log line.
		Logger: logger.NewSlogLogger(log.With("component", "gorm"), logger.Config{
			SlowThreshold:             250 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true,
		}),
		NowFunc: func() time.Time { return time.Now().UTC() },
	}
	var (
		dialector gorm.Dialector
		dialect   Dialect
	)
	if cfg.DSN != "" {
		dsn, err := normaliseMySQLDSN(cfg.DSN)
		if err != nil {
			return nil, err
		}
		dialector, dialect = mysql.Open(dsn), DialectMySQL
	} else {
		if err := os.MkdirAll(filepath.Dir(cfg.SQLitePath), 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create data directory: %w", err)
		}
		if err := privateFiles(cfg.SQLitePath); err != nil {
			return nil, err
		}
		// WAL lets readers run beside the single writer; busy_timeout makes a
		// second writer wait instead of failing with SQLITE_BUSY.
		dsn := cfg.SQLitePath + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		dialector, dialect = sqlite.Open(dsn), DialectSQLite
	}
	gdb, err := gorm.Open(dialector, gcfg)
	if err != nil {
		return nil, fmt.Errorf("%s: open: %w", dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("%s: pool: %w", dialect, err)
	}
	configurePool(sqlDB, cfg, dialect)
	db := &DB{Gorm: gdb, SQL: sqlDB, Dialect: dialect}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.Ping(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return db, nil
}

// privateFiles makes the database file (and its WAL and shared-memory
// files, which SQLite creates with the database's mode) readable by the
// server's user only, like the keys: it holds every case and ID number.
func privateFiles(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("sqlite: create database file: %w", err)
	}
	_ = f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("sqlite: make %s private: %w", filepath.Base(p), err)
		}
	}
	return nil
}

func configurePool(sqlDB *sql.DB, cfg Config, dialect Dialect) {
	maxOpen, maxIdle, life := cfg.MaxOpenConns, cfg.MaxIdleConns, cfg.ConnMaxLifetime
	if maxOpen <= 0 {
		maxOpen = 32
	}
	if maxIdle <= 0 {
		maxIdle = maxOpen
	}
	if life <= 0 {
		life = 30 * time.Minute
	}
	if dialect == DialectSQLite {
		// One file, one writer: more connections only queue on the file lock.
		maxOpen, maxIdle = 4, 4
	}
	sqlDB.SetMaxOpenConns(maxOpen)
	sqlDB.SetMaxIdleConns(maxIdle)
	sqlDB.SetConnMaxLifetime(life)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
}

// normaliseMySQLDSN makes times UTC and text utf8mb4 whatever the operator
// wrote, because the stores rely on both.
func normaliseMySQLDSN(dsn string) (string, error) {
	c, err := gomysql.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("mysql: parse TIAOJIE_MYSQL_DSN: %w", err)
	}
	c.ParseTime = true
	c.Loc = time.UTC
	// Send each query with its arguments in one round trip instead of a
	// server-side prepare, execute and close (three): safe with utf8mb4.
	c.InterpolateParams = true
	if c.Params == nil {
		c.Params = map[string]string{}
	}
	c.Params["time_zone"] = "'+00:00'"
	if c.Collation == "" {
		c.Collation = "utf8mb4_unicode_ci"
	}
	if c.Timeout == 0 {
		c.Timeout = 5 * time.Second
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 30 * time.Second
	}
	return c.FormatDSN(), nil
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.SQL.PingContext(ctx); err != nil {
		return fmt.Errorf("%s: ping: %w", db.Dialect, err)
	}
	return nil
}

// Close closes the pool after in-flight queries finish.
func (db *DB) Close() error { return db.SQL.Close() }
