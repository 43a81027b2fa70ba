package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	station := stationID(t, a, "双凤桥派出所")
	consumer := &faultConsumer{t: t, url: "ws" + strings.TrimPrefix(base, "http") + "/api/v1/staff/stream", token: police,
		acked: map[int64]int{}, confirmed: map[int64]bool{}, inFlight: map[string]int64{}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go consumer.run(ctx)

	var mu sync.Mutex
	var committed []int64
	filing := make(chan struct{})
	go func() {
		defer close(filing)
		for i := 0; ctx.Err() == nil && i < 400; i++ {
			if id := doQuiet(a, citizen, station); id > 0 {
				mu.Lock()
				committed = append(committed, id)
				mu.Unlock()
			}
			time.Sleep(30 * time.Millisecond)
		}
	}()
	time.Sleep(time.Second)
	db.kill() // SIGKILL: InnoDB recovers committed transactions on start
	waitReadyState(t, base, 503, "database", 10*time.Second)
	db.start()
	waitReadyState(t, base, 200, "", 30*time.Second)
	waitFor(t, "filing to work again after MariaDB came back", 20*time.Second, func() bool { return doQuiet(a, citizen, station) > 0 })
	time.Sleep(time.Second)
	stop()
	<-filing

	check, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	mu.Lock()
	ids := append([]int64(nil), committed...)
	mu.Unlock()
	if len(ids) < 10 {
		t.Fatalf("only %d filings answered 201", len(ids))
	}
	for _, id := range ids {
		var n int
		if err := check.QueryRow("SELECT COUNT(*) FROM work_orders WHERE kind = 'screen_request' AND resource_id = ?", id).Scan(&n); err != nil || n != 1 {
			t.Fatalf("request %d (answered 201) after the crash: %d screening orders, %v", id, n, err)
		}
	}
	ctx2, stop2 := context.WithCancel(context.Background())
	defer stop2()
	go consumer.run(ctx2)
	waitFor(t, "every screening order acknowledged", 60*time.Second, func() bool {
		var left int
		_ = check.QueryRow("SELECT COUNT(*) FROM work_orders WHERE kind = 'screen_request' AND state = 'queued'").Scan(&left)
		return left == 0
	})
	consumer.mu.Lock()
	defer consumer.mu.Unlock()
	if consumer.duplicates > 0 {
		t.Fatalf("%d deliveries of orders whose acknowledgement was already confirmed", consumer.duplicates)
	}
	t.Logf("%d filings answered 201 across a SIGKILL of MariaDB, all kept with one order each, all acknowledged; %d deliveries, %d reconnects",
		len(ids), consumer.deliveries, consumer.reconnects)
}
