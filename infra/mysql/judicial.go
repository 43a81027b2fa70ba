package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

var _ mediation.ConfirmationStore = (*MediationStore)(nil)

type confirmationRow struct {
	RequestID    int64 `gorm:"primaryKey;autoIncrement:false"`
	CourtID      int64
	RequestedBy  int64
	RequestedAt  time.Time
	Note         string
	Result       string
	DecidedOn    string
	DocumentNo   string
	AttachmentID int64
	DecidedBy    int64
	DecidedAt    *time.Time
	Version      int
}

func (confirmationRow) TableName() string { return "judicial_confirmations" }

// Confirmation implements mediation.ConfirmationStore.
func (s *MediationStore) Confirmation(ctx context.Context, requestID int64) (*mediation.Confirmation, error) {
	var row confirmationRow
	if err := s.db.Conn(ctx).Take(&row, "request_id = ?", requestID).Error; err != nil {
		err = Translate(err, fmt.Sprintf("find judicial confirmation of request %d", requestID))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "judicial.not_requested", "This agreement was not sent for judicial confirmation.")
		}
		return nil, err
	}
	return &mediation.Confirmation{RequestID: row.RequestID, CourtID: row.CourtID, RequestedBy: row.RequestedBy, RequestedAt: row.RequestedAt.UTC(),
		Note: row.Note, Result: mediation.JudicialResult(row.Result), DecidedOn: row.DecidedOn, DocumentNo: row.DocumentNo,
		AttachmentID: row.AttachmentID, DecidedBy: row.DecidedBy, DecidedAt: utcPtr(row.DecidedAt), Version: row.Version}, nil
}

// SaveConfirmation implements mediation.ConfirmationStore: version 1
// inserts, a later one updates optimistically. The record's agreement
// shows the confirmation's state too, without touching the record's
// review or version.
func (s *MediationStore) SaveConfirmation(ctx context.Context, c *mediation.Confirmation) error {
	row := confirmationRow{RequestID: c.RequestID, CourtID: c.CourtID, RequestedBy: c.RequestedBy, RequestedAt: c.RequestedAt.UTC(), Note: c.Note,
		Result: string(c.Result), DecidedOn: c.DecidedOn, DocumentNo: c.DocumentNo, AttachmentID: c.AttachmentID, DecidedBy: c.DecidedBy,
		DecidedAt: utcPtr(c.DecidedAt), Version: c.Version}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		db := s.db.Conn(ctx)
		if c.Version == 1 {
			if err := db.Create(&row).Error; err != nil {
				err = Translate(err, "create judicial confirmation")
				if domain.IsKind(err, domain.KindConflict) {
					return domain.Errorf(domain.KindConflict, "judicial.already_requested", "This agreement was already sent for judicial confirmation.")
				}
				return err
			}
		} else {
			res := db.Model(&confirmationRow{}).Where("request_id = ? AND version = ?", c.RequestID, c.Version-1).
				Select("result", "decided_on", "document_no", "attachment_id", "decided_by", "decided_at", "version").Updates(&row)
			if res.Error != nil {
				return Translate(res.Error, "update judicial confirmation")
			}
			if res.RowsAffected == 0 {
				return domain.Errorf(domain.KindConflict, "judicial.changed", "The confirmation was changed by someone else; reload it and try again.")
			}
		}
		return Translate(db.Model(&recordRow{}).Where("request_id = ? AND has_agreement = ?", c.RequestID, true).
			Update("judicial", string(c.Result)).Error, "mark the agreement's judicial confirmation")
	})
}
