package mysql_test

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/migrations"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func TestMigrateTwiceChangesNothing(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		// The harness migrated once already; a second run must find nothing to do.
		n, err := mysql.Migrate(context.Background(), db, migrations.FS, quiet)
		if err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if n != 0 {
			t.Fatalf("second migrate applied %d migrations, want 0", n)
		}
		var count int64
		if err := db.Gorm.Table("schema_migrations").Count(&count).Error; err != nil {
			t.Fatal(err)
		}
		all, _ := mysql.LoadMigrations(migrations.FS)
		if int(count) != len(all) {
			t.Fatalf("schema_migrations has %d rows, want %d", count, len(all))
		}
	})
}

// The embedded default must be the same product: same tables, same columns,
// same indexes on SQLite as on MariaDB.
func TestSchemaIsTheSameOnMariaDBAndSQLite(t *testing.T) {
	maria := describeSchema(t, mysqltest.New(t))
	lite := describeSchema(t, mysqltest.NewSQLite(t))
	if strings.Join(maria, "\n") != strings.Join(lite, "\n") {
		t.Fatalf("schemas differ\nMariaDB:\n%s\n\nSQLite:\n%s", strings.Join(maria, "\n"), strings.Join(lite, "\n"))
	}
	if len(maria) == 0 {
		t.Fatal("no tables found: the comparison would prove nothing")
	}
}

// describeSchema lists "table.column nullable=…" and "table index name(cols)
// unique=…" lines from the engine's own catalogue.
func describeSchema(t *testing.T, db *mysql.DB) []string {
	t.Helper()
	var out []string
	yesNo := map[bool]string{true: "yes", false: "no"}
	if db.Dialect == mysql.DialectSQLite {
		var tables []string
		db.Gorm.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(&tables)
		for _, table := range tables {
			var cols []struct {
				Name    string
				NotNull int `gorm:"column:notnull"`
				PK      int `gorm:"column:pk"`
			}
			db.Gorm.Raw("SELECT name, \"notnull\", pk FROM pragma_table_info(?)", table).Scan(&cols)
			for _, c := range cols {
				out = append(out, table+"."+c.Name+" nullable="+yesNo[c.NotNull == 0 && c.PK == 0])
			}
			var idx []struct {
				Name   string
				Unique int
				Origin string
			}
			db.Gorm.Raw("SELECT name, \"unique\", origin FROM pragma_index_list(?)", table).Scan(&idx)
			for _, i := range idx {
				if i.Origin == "pk" {
					continue
				}
				var cols []string
				db.Gorm.Raw("SELECT name FROM pragma_index_info(?) ORDER BY seqno", i.Name).Scan(&cols)
				name := i.Name
				if i.Origin == "u" {
					name = "(inline unique)"
				}
				out = append(out, table+" index "+name+"("+strings.Join(cols, ",")+") unique="+yesNo[i.Unique == 1])
			}
		}
	} else {
		var cols []struct{ TableName, ColumnName, IsNullable string }
		db.Gorm.Raw("SELECT table_name AS table_name, column_name AS column_name, is_nullable AS is_nullable FROM information_schema.columns WHERE table_schema = DATABASE()").Scan(&cols)
		for _, c := range cols {
			out = append(out, c.TableName+"."+c.ColumnName+" nullable="+yesNo[c.IsNullable == "YES"])
		}
		var idx []struct {
			TableName, IndexName, Cols string
			NonUnique                  int
		}
		db.Gorm.Raw(`SELECT table_name AS table_name, index_name AS index_name, MIN(non_unique) AS non_unique,
			GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
			FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY'
			GROUP BY table_name, index_name`).Scan(&idx)
		for _, i := range idx {
			name := i.IndexName
			if i.NonUnique == 0 && name == strings.Split(i.Cols, ",")[0] {
				name = "(inline unique)" // MySQL names an inline UNIQUE after its first column
			}
			out = append(out, i.TableName+" index "+name+"("+i.Cols+") unique="+yesNo[i.NonUnique == 0])
		}
	}
	sort.Strings(out)
	return out
}

var destructive = regexp.MustCompile(`(?i)\b(DROP|TRUNCATE|DELETE\s+FROM|RENAME\s+TABLE|ALTER\s+TABLE\s+\w+\s+(DROP|RENAME|MODIFY|CHANGE))\b`)

// Migrations only ever add: old binaries and data keep working.
func TestMigrationsAreNeverDestructive(t *testing.T) {
	all, err := mysql.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no migrations found")
	}
	for i, m := range all {
		// Versions are unique and ordered (LoadMigrations checks); areas own
		// ranges (identity 0002–0049, dispatch 0050–0099, mediation 0100–0149),
		// so gaps are expected.
		if i == 0 && m.Version != 1 {
			t.Errorf("the first migration has version %d, want 1", m.Version)
		}
		if loc := destructive.FindString(m.SQL); loc != "" {
			t.Errorf("%04d_%s.sql contains %q: migrations must never destroy data", m.Version, m.Name, loc)
		}
	}
}

func TestChangedMigrationIsRefused(t *testing.T) {
	db := mysqltest.NewSQLite(t)
	ctx := context.Background()
	v1 := fstest.MapFS{"0001_a.sql": {Data: []byte("CREATE TABLE IF NOT EXISTS a (id {{pk}}) {{table}};")}}
	if _, err := mysql.Migrate(ctx, db, v1, quiet); err == nil {
		t.Fatal("the real 0001 was applied with another text; migrate must refuse")
	} else if !strings.Contains(err.Error(), "changed after it was applied") {
		t.Fatalf("wrong error: %v", err)
	}
}

// MySQL commits each DDL statement on its own, so a crash can leave a file
// half applied; running it again must finish the job.
func TestHalfAppliedMigrationCompletesOnRerun(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		files := fstest.MapFS{}
		for _, name := range []string{"0001_app_meta.sql"} {
			b, _ := migrations.FS.ReadFile(name)
			files[name] = &fstest.MapFile{Data: b}
		}
		files["0002_thing.sql"] = &fstest.MapFile{Data: []byte(
			"CREATE TABLE IF NOT EXISTS thing (\n  id {{pk}},\n  name VARCHAR(40) NOT NULL\n) {{table}};\nCREATE INDEX idx_thing_name ON thing (name);\n")}
		// Simulate the crash: the statements ran, the ledger row did not.
		for _, stmt := range (mysql.Migration{SQL: string(files["0002_thing.sql"].Data)}).Statements(db.Dialect) {
			if err := db.Gorm.Exec(stmt).Error; err != nil {
				t.Fatal(err)
			}
		}
		n, err := mysql.Migrate(ctx, db, files, quiet)
		if err != nil {
			t.Fatalf("rerun after a cut file: %v", err)
		}
		if n != 1 {
			t.Fatalf("applied %d, want 1", n)
		}
	})
}

func TestStatementsRenderPerDialect(t *testing.T) {
	m := mysql.Migration{SQL: "-- comment; with a semicolon\nCREATE TABLE IF NOT EXISTS x (id {{pk}}, at {{datetime}}) {{table}};\nCREATE INDEX i ON x (at);\n"}
	tests := []struct {
		dialect mysql.Dialect
		want    []string
	}{
		{mysql.DialectMySQL, []string{
			"CREATE TABLE IF NOT EXISTS x (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, at DATETIME(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
			"CREATE INDEX i ON x (at)",
		}},
		{mysql.DialectSQLite, []string{
			"CREATE TABLE IF NOT EXISTS x (id INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME)",
			"CREATE INDEX i ON x (at)",
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.dialect), func(t *testing.T) {
			got := m.Statements(tt.dialect)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Two instances starting on one new MariaDB database at once: the
// database's migration lock lets one apply everything and the other find
// nothing left, neither failing.
func TestConcurrentMigrationsOfOneDatabase(t *testing.T) {
	dsn := mysqltest.NewDSN(t)
	ctx := context.Background()
	dbs := make([]*mysql.DB, 2)
	for i := range dbs {
		db, err := mysql.Open(ctx, mysql.Config{DSN: dsn, MaxOpenConns: 4}, quiet)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		dbs[i] = db
	}
	applied := make([]int, len(dbs))
	errs := make([]error, len(dbs))
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = mysql.Migrate(ctx, db, migrations.FS, quiet)
		}()
	}
	wg.Wait()
	all, _ := mysql.LoadMigrations(migrations.FS)
	if errs[0] != nil || errs[1] != nil || applied[0]+applied[1] != len(all) {
		t.Fatalf("applied %v (errors %v), want %d in all and no error", applied, errs, len(all))
	}
}
