package dutywork

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"strconv"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// AddPhoto keeps a photo of the caller's own education session: JPEG, PNG,
// WebP or HEIC by its bytes, at most MaxPhotos a session.
func (s *Service) AddPhoto(ctx context.Context, a domain.Actor, recordID int64, body io.Reader) (*Photo, error) {
	r, err := s.Store.Record(ctx, recordID)
	if err != nil || r.LawyerID != a.UserID {
		if err == nil || domain.IsKind(err, domain.KindNotFound) {
			err = domain.Errorf(domain.KindNotFound, "duty_work.not_found", "No such duty record.")
		}
		return nil, err
	}
	if r.Kind != Education {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "duty_work.photos_for_education", "Photos belong to legal education sessions.")
	}
	if n, err := s.Store.CountPhotos(ctx, recordID); err != nil {
		return nil, err
	} else if n >= MaxPhotos {
		return nil, domain.Errorf(domain.KindConflict, "duty_work.too_many_photos", "A session keeps at most %d photos.", MaxPhotos)
	}
	br := bufio.NewReaderSize(body, 512)
	head, _ := br.Peek(512)
	kind, err := mediation.SniffAttachment(head)
	if err != nil || kind == "application/pdf" {
		return nil, domain.Invalid(domain.FieldError{Field: "file", Code: domain.FieldUnsupported, Message: "must be a JPEG, PNG, WebP or HEIC photo"})
	}
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	key := "duty-work/" + strconv.FormatInt(recordID, 10) + "/" + hex.EncodeToString(rnd[:])
	size, sum, err := s.Files.Put(ctx, key, br, s.MaxPhoto)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	p := &Photo{RecordID: recordID, ContentType: kind, Size: size, SHA256: sum, StorageKey: key, CreatedAt: now}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreatePhoto(ctx, p); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "duty_work.photo", "duty_work", recordID, strconv.FormatInt(p.ID, 10)))
	})
	if err != nil {
		_ = s.Files.Delete(ctx, key)
		return nil, err
	}
	return p, nil
}

// OpenPhoto is a photo of a record the actor may read.
func (s *Service) OpenPhoto(ctx context.Context, a domain.Actor, recordID, photoID int64) (*Photo, io.ReadCloser, error) {
	if _, err := s.readable(ctx, a, recordID); err != nil {
		return nil, nil, err
	}
	p, err := s.Store.Photo(ctx, photoID)
	if err != nil || p.RecordID != recordID {
		if err == nil || domain.IsKind(err, domain.KindNotFound) {
			err = domain.Errorf(domain.KindNotFound, "duty_work.photo_not_found", "No such photo.")
		}
		return nil, nil, err
	}
	rc, err := s.Files.Open(ctx, p.StorageKey)
	if err != nil {
		return nil, nil, err
	}
	return p, rc, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "duty_work.photo_read", "duty_work", recordID, strconv.FormatInt(photoID, 10)))
}
