// Package migrations holds the versioned schema of Tiaojie as SQL files,
// embedded in the binary.
//
// Files are named NNNN_what.sql and applied in order by infra/mysql. One file
// may hold several statements, each of which must be safe to run again after
// a crash (CREATE TABLE IF NOT EXISTS; CREATE INDEX is skipped by the runner
// when the index exists), because MySQL commits DDL implicitly and a file can
// therefore be cut half way. Files are never edited once released and never
// drop or truncate anything (a test checks).
//
// The same text serves MySQL/MariaDB and SQLite; the runner replaces these
// tokens per dialect:
//
//	{{pk}}          auto-increment BIGINT primary key
//	{{table}}       table options (InnoDB, utf8mb4) — empty on SQLite
//	{{datetime}}    a UTC timestamp with microseconds
//	{{longtext}}    a large text column
//	{{varbinary}}   a string type compared byte for byte (no case, accent or trailing-space folding)
package migrations

import "embed"

//go:embed *.sql
var FS embed.FS
