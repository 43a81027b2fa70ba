package mediation

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Attachment is a photo or PDF a citizen adds to a request.
type Attachment struct {
	ID          int64
	RequestID   int64
	OwnerID     int64
	ContentType string // sniffed from the bytes, never taken from the client
	Size        int64
	SHA256      string
	StorageKey  string
	FileName    string // as the client named it, for display only
	CreatedAt   time.Time
}

// DefaultMaxAttachmentBytes is the size limit of one attachment unless
// configured otherwise.
const DefaultMaxAttachmentBytes = 5 << 20

// SniffAttachment decides what a file is from its first bytes: JPEG, PNG,
// WebP, HEIC (iPhone photos) or PDF. Anything else — an executable renamed
// .jpg, an HTML page, a ZIP — is refused whatever its name or declared type.
func SniffAttachment(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return "image/webp", nil
	case len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")) && isHEICBrand(head[8:12]):
		return "image/heic", nil
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "application/pdf", nil
	}
	return "", domain.Invalid(domain.FieldError{Field: "file", Code: domain.FieldUnsupported,
		Message: "must be a JPEG, PNG, WebP or HEIC photo, or a PDF"})
}

func isHEICBrand(b []byte) bool {
	switch string(b) {
	case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
		return true
	}
	return false
}

// FileStorage keeps the bytes of attachments and recordings. Put writes
// atomically (a reader never sees half a file) and refuses more than limit
// bytes.
type FileStorage interface {
	Put(ctx context.Context, key string, r io.Reader, limit int64) (size int64, sha256 string, err error)
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// AttachmentStore keeps attachment metadata.
type AttachmentStore interface {
	CreateAttachment(ctx context.Context, a *Attachment) error
	Attachment(ctx context.Context, id int64) (*Attachment, error)
	AttachmentsOf(ctx context.Context, requestID int64) ([]Attachment, error)
	CountAttachments(ctx context.Context, requestID int64) (int, error)
	// CountAttachmentsLocked counts inside a transaction with the request
	// locked, so concurrent uploads cannot all pass the cap.
	CountAttachmentsLocked(ctx context.Context, requestID int64) (int, error)
}
