package mysql

import (
	"errors"
	"strings"

	gomysql "github.com/go-sql-driver/mysql"
)

// isRetryable reports deadlocks and lock-wait timeouts (MySQL 1213, 1205) and
// SQLite's busy/locked states: a transaction that lost to another and may be
// tried again.
func isRetryable(err error) bool {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1213 || me.Number == 1205
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}
