package mysql

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain/mediation"
)

// InvolvementStore keeps who led or assisted each case.
type InvolvementStore struct{ db *DB }

var _ mediation.Involvements = (*InvolvementStore)(nil)

// NewInvolvementStore returns the store over db.
func NewInvolvementStore(db *DB) *InvolvementStore { return &InvolvementStore{db: db} }

type involvementRow struct {
	ID        int64 `gorm:"primaryKey"`
	PersonID  int64
	RequestID int64
	Role      string
	At        time.Time
}

func (involvementRow) TableName() string { return "case_involvements" }

// RecordInvolvement implements mediation.Involvements; uq_case_involvements
// keeps the first record of a person's role in a case.
func (s *InvolvementStore) RecordInvolvement(ctx context.Context, is ...mediation.Involvement) error {
	rows := make([]involvementRow, len(is))
	for i, x := range is {
		rows[i] = involvementRow{PersonID: x.PersonID, RequestID: x.RequestID, Role: x.Role, At: x.At.UTC()}
	}
	return Translate(s.db.Conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error, "record case involvement")
}

// MattersWithParty implements mediation.Involvements: the person's rows by
// uq_case_involvements, the party by phone on idx_request_parties_phone
// and uq_users_phone.
func (s *InvolvementStore) MattersWithParty(ctx context.Context, personID int64, phone string) ([]mediation.Matter, error) {
	var rows []struct {
		RequestID, StationID int64
		Role, Kind, Category string
		At                   time.Time
	}
	err := s.db.Conn(ctx).Raw(`SELECT i.request_id, i.role, i.at, r.kind, r.category, r.station_id
		FROM case_involvements i JOIN requests r ON r.id = i.request_id
		WHERE i.person_id = ? AND (r.id IN (SELECT request_id FROM request_parties WHERE phone = ?)
			OR r.filer_id IN (SELECT id FROM users WHERE phone = ?))
		ORDER BY i.request_id DESC, i.role`, personID, phone, phone).Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "find matters with a party")
	}
	out := make([]mediation.Matter, len(rows))
	for i, r := range rows {
		out[i] = mediation.Matter{RequestID: r.RequestID, Role: r.Role, Kind: mediation.Kind(r.Kind), Category: r.Category,
			StationID: r.StationID, InvolvedAt: r.At.UTC()}
	}
	return out, nil
}
