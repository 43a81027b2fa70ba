package storage_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/infra/storage"
)

func TestLocalPutOpenDelete(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n, sum, err := s.Put(ctx, "attachments/2026/11/1-a.pdf", strings.NewReader("%PDF-1.7 hello"), 100)
	if err != nil || n != 14 || len(sum) != 64 {
		t.Fatalf("put: %d %s %v", n, sum, err)
	}
	rc, err := s.Open(ctx, "attachments/2026/11/1-a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "%PDF-1.7 hello" {
		t.Fatalf("read back %q", b)
	}
	if err := s.Delete(ctx, "attachments/2026/11/1-a.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "attachments/2026/11/1-a.pdf"); domain.ErrorKind(err) != domain.KindNotFound {
		t.Fatalf("after delete: %v", err)
	}
}

func TestLocalRefusesTooLargeAndKeepsNothing(t *testing.T) {
	dir := t.TempDir()
	s, _ := storage.NewLocal(dir)
	_, _, err := s.Put(context.Background(), "attachments/big", strings.NewReader(strings.Repeat("x", 101)), 100)
	if domain.ErrorKind(err) != domain.KindInvalid {
		t.Fatalf("101 bytes over a 100 limit: %v", err)
	}
	var left []string
	filepath.Walk(dir, func(p string, info os.FileInfo, _ error) error {
		if !info.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Fatalf("a refused upload left files behind: %v", left)
	}
}

func TestLocalRefusesBadKeys(t *testing.T) {
	s, _ := storage.NewLocal(t.TempDir())
	for _, key := range []string{"../etc/passwd", "/abs", "a/../../b", "a//b", "UPPER/x", ""} {
		if _, _, err := s.Put(context.Background(), key, strings.NewReader("x"), 10); err == nil {
			t.Errorf("key %q accepted", key)
		}
	}
}
