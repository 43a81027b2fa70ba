package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestFaultFileStorageFull mounts a 256 KiB tmpfs as the file storage and
// fills it: /readyz says storage, an attachment upload answers 503
// storage.full and keeps nothing, filings (database only) go on; once space
// is freed, readiness and uploads come back by themselves. Needs root to
// mount; skipped elsewhere.
func TestFaultFileStorageFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	files := filepath.Join(dir, "files")
	if err := os.MkdirAll(files, 0o750); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", files).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", files).Run() })
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DATA_DIR": dir}), nil)
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	station := stationID(t, a, "双凤桥派出所")
	req := fileAt(t, a, citizen, station, "磁盘写满时提交的纠纷")
	waitReadyState(t, base, 200, "", 5*time.Second)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 2048)...)

	ballast := filepath.Join(files, "ballast")
	_ = os.WriteFile(ballast, bytes.Repeat([]byte{1}, 400<<10), 0o600) // ENOSPC part-way: the disk is full
	waitReadyState(t, base, 503, "storage", 5*time.Second)
	if r := upload(t, a, citizen, req, "photo.png", png); r.status != 503 || r.str("code") != "storage.full" {
		t.Fatalf("an upload to a full disk: %d %s", r.status, r.raw)
	}
	fileAt(t, a, citizen, station, "磁盘满时数据库照常工作")

	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	waitReadyState(t, base, 200, "", 5*time.Second)
	if r := upload(t, a, citizen, req, "photo.png", png); r.status != 201 {
		t.Fatalf("an upload after space was freed: %d %s", r.status, r.raw)
	}
}
