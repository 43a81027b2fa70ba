package mysql

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain/mediation"
)

type attachmentRow struct {
	ID          int64 `gorm:"primaryKey"`
	RequestID   int64
	OwnerID     int64
	ContentType string
	SizeBytes   int64
	Sha256      string `gorm:"column:sha256"`
	StorageKey  string
	FileName    string
	CreatedAt   time.Time
}

func (attachmentRow) TableName() string { return "attachments" }

var _ mediation.AttachmentStore = (*MediationStore)(nil)

func (r attachmentRow) toDomain() mediation.Attachment {
	return mediation.Attachment{ID: r.ID, RequestID: r.RequestID, OwnerID: r.OwnerID, ContentType: r.ContentType, Size: r.SizeBytes,
		SHA256: r.Sha256, StorageKey: r.StorageKey, FileName: r.FileName, CreatedAt: r.CreatedAt.UTC()}
}

// CreateAttachment stores attachment metadata; a.ID is set.
func (s *MediationStore) CreateAttachment(ctx context.Context, a *mediation.Attachment) error {
	row := attachmentRow{RequestID: a.RequestID, OwnerID: a.OwnerID, ContentType: a.ContentType, SizeBytes: a.Size, Sha256: a.SHA256,
		StorageKey: a.StorageKey, FileName: a.FileName, CreatedAt: a.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create attachment")
	}
	a.ID = row.ID
	return nil
}

// Attachment loads one attachment's metadata.
func (s *MediationStore) Attachment(ctx context.Context, id int64) (*mediation.Attachment, error) {
	var row attachmentRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find attachment %d", id))
	}
	a := row.toDomain()
	return &a, nil
}

// AttachmentsOf lists a request's attachments in upload order.
func (s *MediationStore) AttachmentsOf(ctx context.Context, requestID int64) ([]mediation.Attachment, error) {
	var rows []attachmentRow
	if err := s.db.Conn(ctx).Where("request_id = ?", requestID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list attachments")
	}
	out := make([]mediation.Attachment, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CountAttachments counts a request's attachments.
// CountAttachmentsLocked implements mediation.AttachmentStore: the request
// row is locked (MySQL; SQLite transactions hold the write lock from BEGIN)
// so that concurrent uploads to one request count one after another.
func (s *MediationStore) CountAttachmentsLocked(ctx context.Context, requestID int64) (int, error) {
	if s.db.Dialect == DialectMySQL {
		var id int64
		if err := s.db.Conn(ctx).Model(&requestRow{}).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", requestID).
			Pluck("id", &id).Error; err != nil {
			return 0, Translate(err, "lock request for attachments")
		}
	}
	return s.CountAttachments(ctx, requestID)
}

func (s *MediationStore) CountAttachments(ctx context.Context, requestID int64) (int, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&attachmentRow{}).Where("request_id = ?", requestID).Count(&n).Error
	return int(n), Translate(err, "count attachments")
}
