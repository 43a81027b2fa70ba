// Package storage keeps files (attachments, recordings) behind the domain's
// FileStorage port. Local is the default: a directory under the data dir.
package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"syscall"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// Local stores files in a directory.
type Local struct {
	root string
}

var _ mediation.FileStorage = (*Local)(nil)

// NewLocal creates the directory if needed.
func NewLocal(root string) (*Local, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", root, err)
	}
	return &Local{root: root}, nil
}

// Keys are made by the server ("attachments/2026/11/42-ab12.jpg"); anything
// else — "..", absolute paths, odd characters — is refused outright.
var validKey = regexp.MustCompile(`^[a-z0-9_-]+(/[A-Za-z0-9_.-]+)*$`)

func (l *Local) path(key string) (string, error) {
	if !validKey.MatchString(key) || filepath.Clean(key) != key {
		return "", fmt.Errorf("storage: bad key %q", key)
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Put writes r to key atomically: into a temporary file that is synced and
// then renamed, so a crash never leaves half a file under the key. More than
// limit bytes is refused and nothing is kept.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, limit int64) (int64, string, error) {
	dst, err := l.path(key)
	if err != nil {
		return 0, "", err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return 0, "", fmt.Errorf("storage: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".upload-*")
	if err != nil {
		return 0, "", full(fmt.Errorf("storage: %w", err))
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(ctxReader{ctx, r}, limit+1))
	if err == nil && n > limit {
		err = domain.Invalid(domain.FieldError{Field: "file", Code: domain.FieldOutOfRange, Message: fmt.Sprintf("must be at most %d bytes", limit)})
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if _, ok := domain.AsError(err); ok {
			return 0, "", err
		}
		return 0, "", full(fmt.Errorf("storage: write %s: %w", key, err))
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return 0, "", fmt.Errorf("storage: %w", err)
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// full marks an out-of-space (or out-of-quota) failure as unavailable: the
// client may try again later (503), and nothing half-written is kept.
func full(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return domain.Wrap(err, domain.KindUnavailable, "storage.full", "File storage is full; try again later.")
	}
	return err
}

// Probe writes, syncs and removes a small file: the readiness check of the
// storage (a full or read-only disk fails it).
func (l *Local) Probe(_ context.Context) error {
	f, err := os.CreateTemp(l.root, ".probe-*")
	if err != nil {
		return full(fmt.Errorf("storage: probe: %w", err))
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, 4096))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return full(fmt.Errorf("storage: probe: %w", err))
	}
	return nil
}

// Open reads a stored file.
func (l *Local) Open(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, domain.Errorf(domain.KindNotFound, "file.not_found", "The file does not exist.")
	}
	return f, err
}

// Delete removes a stored file; a missing one is not an error.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// ctxReader stops a copy when the request is abandoned.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
