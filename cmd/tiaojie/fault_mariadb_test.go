package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// TestFaultMariaDBRestart runs the server on a throwaway MariaDB (its own
// data directory and port; the machine's shared one is never touched),
// kills it with SIGKILL while citizens file and an officer's app
// acknowledges, and starts it again: /readyz says database and recovers,
// filing works again by itself, and every filing answered 201 survived the
// crash with exactly one order, delivered and acknowledged.
func TestFaultMariaDBRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own MariaDB")
	}
	install, err1 := exec.LookPath("mariadb-install-db")
	server, err2 := exec.LookPath("mariadbd")
	if err2 != nil {
		server, err2 = exec.LookPath("/usr/sbin/mariadbd")
	}
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mariadb-server is not installed (scripts/services.sh installs it)")
		}
		t.Skip("mariadb-install-db / mariadbd not found")
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	args := []string{"--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	if out, err := exec.Command(install, args...).CombinedOutput(); err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	port := freePort(t)
	dargs := []string{"--no-defaults", "--datadir=" + data, "--port=" + strconv.Itoa(port), "--bind-address=127.0.0.1",
		"--socket=" + filepath.Join(dir, "sock"), "--skip-log-bin", "--innodb-buffer-pool-size=64M"}
	if os.Geteuid() == 0 {
		dargs = append(dargs, "--user=root")
	}
	db := &proc{t: t, name: "mariadb", path: server, args: dargs, log: filepath.Join(dir, "mariadb.log")}
	db.start()
	waitTCP(t, port)
	admin, err := sql.Open("mysql", "root@tcp(127.0.0.1:"+strconv.Itoa(port)+")/")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the throwaway MariaDB", 20*time.Second, func() bool { return admin.Ping() == nil })
	if _, err := admin.Exec("CREATE DATABASE tj CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	_ = admin.Close()
	dsn := "root@tcp(127.0.0.1:" + strconv.Itoa(port) + ")/tj"

	_, prefix := redistest.New(t)
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_MYSQL_DSN": dsn, "TIAOJIE_REDIS_URL": redistest.URL(), "TIAOJIE_REDIS_PREFIX": prefix,
		"TIAOJIE_JWT_KEYS": testJWTKeys, "TIAOJIE_SECRET": testSecret, "TIAOJIE_DUTY_HOURS": "00:00-24:00",
		"TIAOJIE_ACK_TIMEOUT": "2s", "TIAOJIE_RECONCILE_AFTER": "3s", "TIAOJIE_DISPATCH_TICK": "200ms"}), logs)
	t.Cleanup(func() {
		if t.Failed() {
			s := logs.String()
			t.Log(s[max(0, len(s)-20000):])
		}
	})
	w := startFaultWorkload(t, a, base, 30*time.Millisecond)
	time.Sleep(time.Second)
	db.kill() // SIGKILL: InnoDB recovers committed transactions on start
	waitReadyState(t, base, 503, "database", 10*time.Second)
	db.start()
	waitReadyState(t, base, 200, "", 30*time.Second)
	w.fileAgain("MariaDB came back")
	w.finish(dsn)
}
