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

// DVMatches implements warning.DVFlagStore in one round trip: exact
// matches on idx_dv_flags_subject (the filers' phones through their
// primary key), a row per standing flag that names a subject.
func (s *DVFlagStore) DVMatches(ctx context.Context, filerIDs []int64, phones, households []string) (warning.DVMatch, error) {
	m := warning.DVMatch{Filers: map[int64]bool{}, Phones: map[string]bool{}, Households: map[string]bool{}}
	if len(filerIDs) == 0 && len(phones) == 0 && len(households) == 0 {
		return m, nil
	}
	// An empty IN () is not SQL; no key or account is "" or 0.
	orNone := func(keys []string) []string { return append(keys[:len(keys):len(keys)], "") }
	var rows []struct {
		Filer int64
		Kind  string
		Key   string
	}
	err := s.db.Conn(ctx).Raw(`SELECT u.id AS filer, f.kind AS kind, f.subject_key AS `+"`key`"+`
  FROM users u JOIN dv_flags f ON f.kind = ? AND f.subject_key = u.phone AND f.cleared_at IS NULL
 WHERE u.id IN ?
UNION ALL
SELECT 0, f.kind, f.subject_key FROM dv_flags f
 WHERE f.cleared_at IS NULL AND ((f.kind = ? AND f.subject_key IN ?) OR (f.kind = ? AND f.subject_key IN ?))`,
		warning.DVPerson, append(filerIDs[:len(filerIDs):len(filerIDs)], 0),
		warning.DVPerson, orNone(phones), warning.DVHousehold, orNone(households)).Scan(&rows).Error
	if err != nil {
		return m, Translate(err, "look up dv flags")
	}
	for _, r := range rows {
		switch {
		case r.Filer != 0:
			m.Filers[r.Filer] = true
		case r.Kind == string(warning.DVPerson):
			m.Phones[r.Key] = true
		default:
			m.Households[r.Key] = true
		}
	}
	return m, nil
}
