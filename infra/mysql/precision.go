package mysql

import "time"

// storedPrecision is the finest time the schema keeps: DATETIME(6) on
// MySQL/MariaDB. A store that answers with the value it was given must give
// it at this precision, or the first answer (nanoseconds) differs from every
// later read (microseconds). Truncated here rather than by the server, which
// rounds on MySQL 8 and truncates on MariaDB.
const storedPrecision = time.Microsecond

// storedTime is t as the database keeps it.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(storedPrecision) }
