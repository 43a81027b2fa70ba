package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain/dutywork"
)

// DutyWorkStore keeps the stationed lawyers' consultations, education
// sessions and help with police matters.
type DutyWorkStore struct{ db *DB }

var (
	_ dutywork.Store     = (*DutyWorkStore)(nil)
	_ dutywork.WorkStore = (*DutyWorkStore)(nil)
)

// NewDutyWorkStore returns the store over db.
func NewDutyWorkStore(db *DB) *DutyWorkStore { return &DutyWorkStore{db: db} }

type dutyWorkRow struct {
	ID        int64 `gorm:"primaryKey"`
	Kind      string
	LawyerID  int64
	FirmID    int64
	StationID int64
	At        time.Time
	Minutes   int
	Topic     string
	Person    string
	Summary   string
	Place     string
	Audience  string
	Attendees int
	OfficerID int64
	CreatedAt time.Time
}

func (dutyWorkRow) TableName() string { return "duty_work" }

func (r dutyWorkRow) toDomain() dutywork.Record {
	return dutywork.Record{ID: r.ID, Kind: dutywork.Kind(r.Kind), LawyerID: r.LawyerID, FirmID: r.FirmID, StationID: r.StationID, At: r.At.UTC(),
		Minutes: r.Minutes, Topic: r.Topic, Person: r.Person, Summary: r.Summary, Place: r.Place, Audience: r.Audience, Attendees: r.Attendees,
		OfficerID: r.OfficerID, CreatedAt: r.CreatedAt.UTC()}
}

type dutyWorkPhotoRow struct {
	ID          int64 `gorm:"primaryKey"`
	RecordID    int64
	ContentType string
	SizeBytes   int64
	Sha256      string
	StorageKey  string
	CreatedAt   time.Time
}

func (dutyWorkPhotoRow) TableName() string { return "duty_work_photos" }

func (r dutyWorkPhotoRow) toDomain() dutywork.Photo {
	return dutywork.Photo{ID: r.ID, RecordID: r.RecordID, ContentType: r.ContentType, Size: r.SizeBytes, SHA256: r.Sha256, StorageKey: r.StorageKey,
		CreatedAt: r.CreatedAt.UTC()}
}

// CreateRecord implements dutywork.Store.
func (s *DutyWorkStore) CreateRecord(ctx context.Context, r *dutywork.Record) error {
	row := dutyWorkRow{Kind: string(r.Kind), LawyerID: r.LawyerID, FirmID: r.FirmID, StationID: r.StationID, At: r.At.UTC(), Minutes: r.Minutes,
		Topic: r.Topic, Person: r.Person, Summary: r.Summary, Place: r.Place, Audience: r.Audience, Attendees: r.Attendees, OfficerID: r.OfficerID,
		CreatedAt: r.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create duty work")
	}
	r.ID = row.ID
	return nil
}

// Record implements dutywork.Store.
func (s *DutyWorkStore) Record(ctx context.Context, id int64) (*dutywork.Record, error) {
	var row dutyWorkRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find duty work %d", id))
	}
	var photos []dutyWorkPhotoRow
	if err := s.db.Conn(ctx).Where("record_id = ?", id).Order("id").Find(&photos).Error; err != nil {
		return nil, Translate(err, "list duty work photos")
	}
	r := row.toDomain()
	for _, p := range photos {
		r.Photos = append(r.Photos, p.toDomain())
	}
	return &r, nil
}

// Records implements dutywork.Store (without photos).
func (s *DutyWorkStore) Records(ctx context.Context, f dutywork.Filter) ([]dutywork.Record, error) {
	q := s.db.Conn(ctx).Model(&dutyWorkRow{})
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.Stations != nil {
		q = q.Where("station_id IN ?", f.Stations)
	}
	if f.LawyerID != 0 {
		q = q.Where("lawyer_id = ?", f.LawyerID)
	}
	if f.FirmID != 0 {
		q = q.Where("firm_id = ?", f.FirmID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []dutyWorkRow
	if err := q.Order("id DESC").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list duty work")
	}
	out := make([]dutywork.Record, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CreatePhoto implements dutywork.Store.
func (s *DutyWorkStore) CreatePhoto(ctx context.Context, p *dutywork.Photo) error {
	row := dutyWorkPhotoRow{RecordID: p.RecordID, ContentType: p.ContentType, SizeBytes: p.Size, Sha256: p.SHA256, StorageKey: p.StorageKey,
		CreatedAt: p.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create duty work photo")
	}
	p.ID = row.ID
	return nil
}

// Photo implements dutywork.Store.
func (s *DutyWorkStore) Photo(ctx context.Context, id int64) (*dutywork.Photo, error) {
	var row dutyWorkPhotoRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find duty work photo %d", id))
	}
	p := row.toDomain()
	return &p, nil
}

// CountPhotos implements dutywork.Store.
func (s *DutyWorkStore) CountPhotos(ctx context.Context, recordID int64) (int, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&dutyWorkPhotoRow{}).Where("record_id = ?", recordID).Count(&n).Error
	return int(n), Translate(err, "count duty work photos")
}

// Work implements dutywork.WorkStore.
func (s *DutyWorkStore) Work(ctx context.Context, stations []int64, from, to time.Time) ([]dutywork.Record, error) {
	q := s.db.Conn(ctx).Model(&dutyWorkRow{}).Select("id, kind, lawyer_id, firm_id, station_id, at, minutes, attendees, officer_id").
		Where("at >= ? AND at < ?", from.UTC(), to.UTC())
	if stations != nil {
		if len(stations) == 0 {
			return nil, nil
		}
		q = q.Where("station_id IN ?", stations)
	}
	var rows []dutyWorkRow
	if err := q.Order("at, id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "count duty work")
	}
	out := make([]dutywork.Record, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// MediationRecords implements dutywork.WorkStore.
func (s *DutyWorkStore) MediationRecords(ctx context.Context, from, to time.Time) (map[int64]int, error) {
	var rows []struct {
		AuthorID int64
		N        int
	}
	err := s.db.Conn(ctx).Raw("SELECT author_id, COUNT(*) AS n FROM mediation_records WHERE created_at >= ? AND created_at < ? GROUP BY author_id",
		from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "count mediation records")
	}
	out := map[int64]int{}
	for _, r := range rows {
		out[r.AuthorID] = r.N
	}
	return out, nil
}
