package mediation

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

var extensionOf = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic", "application/pdf": ".pdf",
}

// AddAttachment stores a photo or PDF for a request. Its type is sniffed from
// the bytes; a disguised or oversized file is refused and nothing is kept.
// The filer and the people working the case may add attachments.
func (s *Service) AddAttachment(ctx context.Context, a domain.Actor, requestID int64, fileName string, body io.Reader) (*Attachment, error) {
	r, err := s.Requests.Request(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if err := s.mayRead(ctx, a, r); err != nil {
		return nil, err
	}
	if r.Status.Terminal() {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "attachment.request_finished", "A finished request takes no more attachments.")
	}
	n, err := s.Attachments.CountAttachments(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if n >= MaxAttachments {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "attachment.too_many", "This request has the most attachments allowed.")
	}
	br := bufio.NewReaderSize(body, 512)
	head, _ := br.Peek(512)
	contentType, err := SniffAttachment(head)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	key := fmt.Sprintf("attachments/%s/%d-%d%s", now.UTC().Format("2006/01"), requestID, now.UnixNano(), extensionOf[contentType])
	limit := s.MaxAttachmentBytes
	if limit <= 0 {
		limit = DefaultMaxAttachmentBytes
	}
	size, sum, err := s.Files.Put(ctx, key, br, limit)
	if err != nil {
		return nil, err
	}
	att := &Attachment{RequestID: requestID, OwnerID: a.UserID, ContentType: contentType, Size: size, SHA256: sum,
		StorageKey: key, FileName: cleanFileName(fileName), CreatedAt: now}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		// The count above spares a needless upload; this one holds: 30
		// concurrent uploads once all passed it.
		n, err := s.Attachments.CountAttachmentsLocked(ctx, requestID)
		if err != nil {
			return err
		}
		if n >= MaxAttachments {
			return domain.Errorf(domain.KindFailedPrecondition, "attachment.too_many", "This request has the most attachments allowed.")
		}
		if err := s.Attachments.CreateAttachment(ctx, att); err != nil {
			return err
		}
		if err := s.Requests.AppendEvent(ctx, &Event{RequestID: requestID, At: now, ActorID: a.UserID, ActorRole: a.PrimaryRole(),
			Type: "attachment_added", FromStatus: r.Status, ToStatus: r.Status, Note: att.FileName}); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "attachment.add", "request", requestID, contentType))
	})
	if err != nil {
		_ = s.Files.Delete(context.WithoutCancel(ctx), key) // keep no orphan bytes
		return nil, err
	}
	return att, nil
}

// OpenAttachment returns an attachment's bytes to someone who may see its
// request; to anyone else it does not exist.
func (s *Service) OpenAttachment(ctx context.Context, a domain.Actor, requestID, attachmentID int64) (*Attachment, io.ReadCloser, error) {
	r, err := s.Requests.Request(ctx, requestID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.mayView(ctx, a, r); err != nil {
		return nil, nil, err
	}
	att, err := s.Attachments.Attachment(ctx, attachmentID)
	if err != nil || att.RequestID != requestID {
		return nil, nil, domain.Errorf(domain.KindNotFound, "attachment.not_found", "No such attachment.")
	}
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "attachment.read", "request", requestID, "")); err != nil {
		return nil, nil, err
	}
	rc, err := s.Files.Open(ctx, att.StorageKey)
	if err != nil {
		return nil, nil, err
	}
	return att, rc, nil
}

// cleanFileName keeps a display name only: no directories, no control
// characters, at most 100 characters.
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	for utf8.RuneCountInString(name) > 100 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "." || name == "/" {
		return ""
	}
	return name
}
