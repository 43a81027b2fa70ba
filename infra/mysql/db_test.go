package mysql_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/tiaojie/tiaojie/infra/mysql"
)

// The embedded database files are the server user's only (issue 16, low):
// the main file, its WAL and shared memory, also with a permissive umask and
// for a file an older version created 0644.
func TestSQLiteFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "tiaojie.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // as an older version left it
		t.Fatal(err)
	}
	db, err := mysql.Open(t.Context(), mysql.Config{SQLitePath: path}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Gorm.Exec("CREATE TABLE t (x INTEGER)").Error; err != nil { // makes SQLite write its WAL
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(p), mode)
		}
	}
}
