// Package mysql keeps the domain's stores in a relational database through
// GORM: MySQL or MariaDB in production and, for the embedded default, a
// SQLite file with the very same schema (see migrations/). It also runs the
// migrations and translates driver errors into domain errors at the boundary.
package mysql
