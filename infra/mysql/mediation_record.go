package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

type recordRow struct {
	ID             int64 `gorm:"primaryKey"`
	RequestID      int64
	AuthorID       int64
	Outcome        string
	RiskScore      int
	RiskNotes      string
	HasAgreement   bool
	AgreementTerms string
	AmountFen      int64
	Judicial       string
	ReviewStage    string
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (recordRow) TableName() string { return "mediation_records" }

type sessionRow struct {
	ID        int64 `gorm:"primaryKey"`
	RecordID  int64
	HeldAt    time.Time
	Place     string
	RoomID    string
	Attendees string // JSON array of names
	Summary   string
}

func (sessionRow) TableName() string { return "record_sessions" }

type reviewRow struct {
	ID         int64 `gorm:"primaryKey"`
	RecordID   int64
	ReviewerID int64
	Stage      string
	Approved   bool
	Comment    string
	At         time.Time
}

func (reviewRow) TableName() string { return "record_reviews" }

// RecordOfRequest loads the record of a request with its sessions and reviews.
func (s *MediationStore) RecordOfRequest(ctx context.Context, requestID int64) (*mediation.Record, error) {
	var row recordRow
	if err := s.db.Conn(ctx).Where("request_id = ?", requestID).Take(&row).Error; err != nil {
		err = Translate(err, fmt.Sprintf("find record of request %d", requestID))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "record.not_found", "This case has no mediation record yet.")
		}
		return nil, err
	}
	r := &mediation.Record{
		ID: row.ID, CaseID: row.RequestID, AuthorID: row.AuthorID, Outcome: mediation.Outcome(row.Outcome),
		RiskScore: row.RiskScore, RiskNotes: row.RiskNotes, Review: mediation.ReviewStage(row.ReviewStage),
		Version: row.Version, CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(),
	}
	if row.HasAgreement {
		r.Agreement = &mediation.Agreement{Terms: row.AgreementTerms, AmountFen: row.AmountFen, JudicialConfirmation: mediation.JudicialResult(row.Judicial)}
	}
	var sessions []sessionRow
	if err := s.db.Conn(ctx).Where("record_id = ?", row.ID).Order("held_at, id").Find(&sessions).Error; err != nil {
		return nil, Translate(err, "list record sessions")
	}
	for _, sr := range sessions {
		sess := mediation.Session{HeldAt: sr.HeldAt.UTC(), Place: sr.Place, RoomID: sr.RoomID, Summary: sr.Summary}
		_ = json.Unmarshal([]byte(sr.Attendees), &sess.Attendees)
		r.Sessions = append(r.Sessions, sess)
	}
	var reviews []reviewRow
	if err := s.db.Conn(ctx).Where("record_id = ?", row.ID).Order("id").Find(&reviews).Error; err != nil {
		return nil, Translate(err, "list record reviews")
	}
	for _, rv := range reviews {
		r.Comments = append(r.Comments, mediation.ReviewComment{ReviewerID: rv.ReviewerID, Stage: mediation.ReviewStage(rv.Stage),
			Approved: rv.Approved, Text: rv.Comment, At: rv.At.UTC()})
	}
	return r, nil
}

// SaveRecord creates a record (ID 0) or updates it when the stored version is
// r.Version-1, replacing its sessions.
func (s *MediationStore) SaveRecord(ctx context.Context, r *mediation.Record) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		row := recordRow{
			ID: r.ID, RequestID: r.CaseID, AuthorID: r.AuthorID, Outcome: string(r.Outcome), RiskScore: r.RiskScore,
			RiskNotes: r.RiskNotes, ReviewStage: string(r.Review), Version: r.Version,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		}
		if a := r.Agreement; a != nil {
			row.HasAgreement, row.AgreementTerms, row.AmountFen, row.Judicial = true, a.Terms, a.AmountFen, string(a.JudicialConfirmation)
		}
		db := s.db.Conn(ctx)
		if r.ID == 0 {
			if err := db.Create(&row).Error; err != nil {
				err = Translate(err, "create record")
				if domain.IsKind(err, domain.KindConflict) {
					return domain.Errorf(domain.KindConflict, "record.exists", "This case already has a record.")
				}
				return err
			}
			r.ID = row.ID
		} else {
			res := db.Model(&recordRow{}).Where("id = ? AND version = ?", r.ID, r.Version-1).
				Select("outcome", "risk_score", "risk_notes", "has_agreement", "agreement_terms", "amount_fen", "judicial",
					"review_stage", "version", "updated_at").Updates(&row)
			if res.Error != nil {
				return Translate(res.Error, "update record")
			}
			if res.RowsAffected == 0 {
				return domain.Errorf(domain.KindConflict, "record.changed", "The record was changed by someone else; reload it and try again.")
			}
			if err := db.Where("record_id = ?", r.ID).Delete(&sessionRow{}).Error; err != nil {
				return Translate(err, "replace record sessions")
			}
		}
		if len(r.Sessions) == 0 {
			return nil
		}
		rows := make([]sessionRow, len(r.Sessions))
		for i, sess := range r.Sessions {
			attendees, _ := json.Marshal(sess.Attendees)
			rows[i] = sessionRow{RecordID: r.ID, HeldAt: sess.HeldAt.UTC(), Place: sess.Place, RoomID: sess.RoomID,
				Attendees: string(attendees), Summary: sess.Summary}
		}
		return Translate(db.Create(&rows).Error, "create record sessions")
	})
}

// AppendReview records one approval or return.
func (s *MediationStore) AppendReview(ctx context.Context, recordID int64, c mediation.ReviewComment) error {
	row := reviewRow{RecordID: recordID, ReviewerID: c.ReviewerID, Stage: string(c.Stage), Approved: c.Approved, Comment: c.Text, At: c.At.UTC()}
	return Translate(s.db.Conn(ctx).Create(&row).Error, "append record review")
}
