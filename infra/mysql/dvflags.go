package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
)

// DVFlagStore keeps the staff's domestic-violence flags.
type DVFlagStore struct{ db *DB }

var _ warning.DVFlagStore = (*DVFlagStore)(nil)

// NewDVFlagStore returns the store over db.
func NewDVFlagStore(db *DB) *DVFlagStore { return &DVFlagStore{db: db} }

type dvFlagRow struct {
	ID         int64 `gorm:"primaryKey"`
	Kind       string
	SubjectKey string
	Name       string
	Address    string
	StationID  int64
	Note       string
	FlaggedBy  int64
	FlaggedAt  time.Time
	ClearedBy  int64
	ClearedAt  *time.Time
}

func (dvFlagRow) TableName() string { return "dv_flags" }

func (r dvFlagRow) toDomain() warning.DVFlag {
	return warning.DVFlag{ID: r.ID, Kind: warning.DVKind(r.Kind), Key: r.SubjectKey, Name: r.Name, Address: r.Address, StationID: r.StationID,
		Note: r.Note, FlaggedBy: r.FlaggedBy, FlaggedAt: r.FlaggedAt.UTC(), ClearedBy: r.ClearedBy, ClearedAt: utcPtr(r.ClearedAt)}
}

// CreateDVFlag implements warning.DVFlagStore.
func (s *DVFlagStore) CreateDVFlag(ctx context.Context, f *warning.DVFlag) error {
	row := dvFlagRow{Kind: string(f.Kind), SubjectKey: f.Key, Name: f.Name, Address: f.Address, StationID: f.StationID, Note: f.Note,
		FlaggedBy: f.FlaggedBy, FlaggedAt: f.FlaggedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create dv flag")
	}
	f.ID = row.ID
	return nil
}

// DVFlag implements warning.DVFlagStore.
func (s *DVFlagStore) DVFlag(ctx context.Context, id int64) (*warning.DVFlag, error) {
	var row dvFlagRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		err = Translate(err, fmt.Sprintf("find dv flag %d", id))
		if domain.IsKind(err, domain.KindNotFound) {
			return nil, domain.Errorf(domain.KindNotFound, "dv_flag.not_found", "No such flag.")
		}
		return nil, err
	}
	f := row.toDomain()
	return &f, nil
}

// ClearDVFlag implements warning.DVFlagStore.
func (s *DVFlagStore) ClearDVFlag(ctx context.Context, id, by int64, at time.Time) error {
	at = at.UTC()
	return Translate(s.db.Conn(ctx).Model(&dvFlagRow{}).Where("id = ? AND cleared_at IS NULL", id).
		Updates(map[string]any{"cleared_by": by, "cleared_at": at}).Error, fmt.Sprintf("clear dv flag %d", id))
}

// DVFlags implements warning.DVFlagStore.
func (s *DVFlagStore) DVFlags(ctx context.Context, stationIDs []int64, before int64, limit int) ([]warning.DVFlag, error) {
	q := s.db.Conn(ctx).Where("cleared_at IS NULL")
	if stationIDs != nil {
		q = q.Where("station_id IN ?", stationIDs)
	}
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	var rows []dvFlagRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list dv flags")
	}
	out := make([]warning.DVFlag, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// DVFlagged implements warning.DVFlagStore: exact matches on
// idx_dv_flags_subject (the filer's phone through uq_users_phone).
func (s *DVFlagStore) DVFlagged(ctx context.Context, filerID int64, phones []string, household string) (bool, error) {
	q := s.db.Conn(ctx).Model(&dvFlagRow{}).Select("id").Where("cleared_at IS NULL")
	cond := s.db.Conn(ctx).Where("kind = ? AND subject_key IN (SELECT phone FROM users WHERE id = ? AND phone IS NOT NULL)", warning.DVPerson, filerID)
	if len(phones) > 0 {
		cond = cond.Or("kind = ? AND subject_key IN ?", warning.DVPerson, phones)
	}
	if household != "" {
		cond = cond.Or("kind = ? AND subject_key = ?", warning.DVHousehold, household)
	}
	var ids []int64
	if err := q.Where(cond).Limit(1).Pluck("id", &ids).Error; err != nil {
		return false, Translate(err, "look up dv flags")
	}
	return len(ids) > 0, nil
}
