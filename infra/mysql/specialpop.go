package mysql

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain/specialpop"
)

// SpecialPopStore keeps fusion areas and the special population register.
type SpecialPopStore struct{ db *DB }

var _ specialpop.Store = (*SpecialPopStore)(nil)

// NewSpecialPopStore returns the store over db.
func NewSpecialPopStore(db *DB) *SpecialPopStore { return &SpecialPopStore{db: db} }

type fusionAreaRow struct {
	ID              int64 `gorm:"primaryKey"`
	Name            string
	DistrictID      int64
	StationID       int64
	JusticeOfficeID int64
	LegalServiceID  int64
	StationLiaison  int64
	JusticeLiaison  int64
	LegalLiaison    int64
	CreatedAt       time.Time
}

func (fusionAreaRow) TableName() string { return "fusion_areas" }

func (r fusionAreaRow) area() specialpop.Area {
	return specialpop.Area{ID: r.ID, Name: r.Name, DistrictID: r.DistrictID, StationID: r.StationID, JusticeOfficeID: r.JusticeOfficeID,
		LegalServiceID: r.LegalServiceID, StationLiaison: r.StationLiaison, JusticeLiaison: r.JusticeLiaison, LegalLiaison: r.LegalLiaison, CreatedAt: r.CreatedAt.UTC()}
}

// CreateArea implements specialpop.Store.
func (s *SpecialPopStore) CreateArea(ctx context.Context, a *specialpop.Area) error {
	row := fusionAreaRow{Name: a.Name, DistrictID: a.DistrictID, StationID: a.StationID, JusticeOfficeID: a.JusticeOfficeID, LegalServiceID: a.LegalServiceID,
		StationLiaison: a.StationLiaison, JusticeLiaison: a.JusticeLiaison, LegalLiaison: a.LegalLiaison, CreatedAt: a.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create fusion area")
	}
	a.ID = row.ID
	return nil
}

// Areas implements specialpop.Store.
func (s *SpecialPopStore) Areas(ctx context.Context) ([]specialpop.Area, error) {
	var rows []fusionAreaRow
	if err := s.db.Conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list fusion areas")
	}
	out := make([]specialpop.Area, len(rows))
	for i, r := range rows {
		out[i] = r.area()
	}
	return out, nil
}

type specialKindRow struct {
	Code      string `gorm:"primaryKey"`
	Name      string
	Builtin   bool
	CreatedAt time.Time
}

func (specialKindRow) TableName() string { return "special_kinds" }

// Kinds implements specialpop.Store.
func (s *SpecialPopStore) Kinds(ctx context.Context) ([]specialpop.Kind, error) {
	var rows []specialKindRow
	if err := s.db.Conn(ctx).Order("builtin DESC, created_at, code").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list special kinds")
	}
	out := make([]specialpop.Kind, len(rows))
	for i, r := range rows {
		out[i] = specialpop.Kind{Code: r.Code, Name: r.Name, Builtin: r.Builtin, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// CreateKind implements specialpop.Store.
func (s *SpecialPopStore) CreateKind(ctx context.Context, k *specialpop.Kind) error {
	row := specialKindRow{Code: k.Code, Name: k.Name, CreatedAt: k.CreatedAt.UTC()}
	return Translate(s.db.Conn(ctx).Create(&row).Error, "create special kind")
}

type specialPersonRow struct {
	ID             int64 `gorm:"primaryKey"`
	AreaID         int64
	Kind           string
	Name           string
	IDNumberMasked string `gorm:"column:id_number_masked"`
	IDNumberHash   string `gorm:"column:id_number_hash"`
	Address        string
	RiskLevel      string
	OfficerID      int64
	SocialWorkerID int64
	LegalStewardID int64
	VisitEveryDays int
	LastContactAt  *time.Time
	NextContactDue time.Time
	OverdueSince   *time.Time
	State          string
	Note           string
	CreatedBy      int64
	CreatedAt      time.Time
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
	Version        int
}

func (specialPersonRow) TableName() string { return "special_people" }

func toSpecialPersonRow(p *specialpop.Person) specialPersonRow {
	return specialPersonRow{ID: p.ID, AreaID: p.AreaID, Kind: p.Kind, Name: p.Name, IDNumberMasked: p.IDNumberMasked, IDNumberHash: p.IDNumberHash,
		Address: p.Address, RiskLevel: p.RiskLevel, OfficerID: p.OfficerID, SocialWorkerID: p.SocialWorkerID, LegalStewardID: p.LegalStewardID,
		VisitEveryDays: p.VisitEveryDays, LastContactAt: utcPtr(p.LastContactAt), NextContactDue: p.NextContactDue.UTC(), OverdueSince: utcPtr(p.OverdueSince),
		State: string(p.State), Note: p.Note, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(), Version: p.Version}
}

func (r *specialPersonRow) person() specialpop.Person {
	return specialpop.Person{ID: r.ID, AreaID: r.AreaID, Kind: r.Kind, Name: r.Name, IDNumberMasked: r.IDNumberMasked, IDNumberHash: r.IDNumberHash,
		Address: r.Address, RiskLevel: r.RiskLevel, OfficerID: r.OfficerID, SocialWorkerID: r.SocialWorkerID, LegalStewardID: r.LegalStewardID,
		VisitEveryDays: r.VisitEveryDays, LastContactAt: utcPtr(r.LastContactAt), NextContactDue: r.NextContactDue.UTC(), OverdueSince: utcPtr(r.OverdueSince),
		State: specialpop.State(r.State), Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// CreatePerson implements specialpop.Store.
func (s *SpecialPopStore) CreatePerson(ctx context.Context, p *specialpop.Person) error {
	row := toSpecialPersonRow(p)
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "register special person")
	}
	p.ID = row.ID
	return nil
}

// Person implements specialpop.Store.
func (s *SpecialPopStore) Person(ctx context.Context, id int64) (*specialpop.Person, error) {
	var row specialPersonRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read special person %d", id))
	}
	p := row.person()
	return &p, nil
}

// ActiveByIDHash implements specialpop.Store.
func (s *SpecialPopStore) ActiveByIDHash(ctx context.Context, hash string) (*specialpop.Person, bool, error) {
	var rows []specialPersonRow
	if err := s.db.Conn(ctx).Where("id_number_hash = ? AND state IN ?", hash, []string{string(specialpop.Managed), string(specialpop.LostContact)}).
		Limit(1).Find(&rows).Error; err != nil {
		return nil, false, Translate(err, "find special person by ID number")
	}
	if len(rows) == 0 {
		return nil, false, nil
	}
	p := rows[0].person()
	return &p, true, nil
}

// UpdatePerson implements specialpop.Store: a versioned write.
func (s *SpecialPopStore) UpdatePerson(ctx context.Context, p *specialpop.Person) (bool, error) {
	row := toSpecialPersonRow(p)
	row.Version = p.Version + 1
	res := s.db.Conn(ctx).Model(&specialPersonRow{}).Where("id = ? AND version = ?", p.ID, p.Version).
		Select("*").Omit("id", "created_at").Updates(&row)
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update special person %d", p.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	p.Version++
	return true, nil
}

// People implements specialpop.Store.
func (s *SpecialPopStore) People(ctx context.Context, f specialpop.Filter) ([]specialpop.Person, error) {
	q := s.db.Conn(ctx).Where("area_id IN ?", f.AreaIDs)
	if f.State != "" {
		q = q.Where("state = ?", string(f.State))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	var rows []specialPersonRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list special people")
	}
	out := make([]specialpop.Person, len(rows))
	for i := range rows {
		out[i] = rows[i].person()
	}
	return out, nil
}

// MissedContacts implements specialpop.Store.
func (s *SpecialPopStore) MissedContacts(ctx context.Context, now time.Time, limit int) ([]specialpop.Person, error) {
	var rows []specialPersonRow
	if err := s.db.Conn(ctx).Where("state = ? AND next_contact_due < ? AND overdue_since IS NULL", string(specialpop.Managed), now.UTC()).
		Order("next_contact_due, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "find missed contact plans")
	}
	out := make([]specialpop.Person, len(rows))
	for i := range rows {
		out[i] = rows[i].person()
	}
	return out, nil
}

type specialRecordRow struct {
	ID        int64 `gorm:"primaryKey"`
	PersonID  int64
	AreaID    int64
	Type      string
	At        time.Time
	ActorID   int64
	Method    string
	Note      string
	FromState string
	ToState   string
	FromArea  int64
	ToArea    int64
}

func (specialRecordRow) TableName() string { return "special_person_records" }

func (r specialRecordRow) record() specialpop.Record {
	return specialpop.Record{ID: r.ID, PersonID: r.PersonID, AreaID: r.AreaID, Type: r.Type, At: r.At.UTC(), ActorID: r.ActorID, Method: r.Method,
		Note: r.Note, FromState: specialpop.State(r.FromState), ToState: specialpop.State(r.ToState), FromArea: r.FromArea, ToArea: r.ToArea}
}

// AddRecord implements specialpop.Store.
func (s *SpecialPopStore) AddRecord(ctx context.Context, r *specialpop.Record) error {
	row := specialRecordRow{PersonID: r.PersonID, AreaID: r.AreaID, Type: r.Type, At: r.At.UTC(), ActorID: r.ActorID, Method: r.Method, Note: r.Note,
		FromState: string(r.FromState), ToState: string(r.ToState), FromArea: r.FromArea, ToArea: r.ToArea}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, fmt.Sprintf("add record of special person %d", r.PersonID))
	}
	r.ID = row.ID
	return nil
}

// Records implements specialpop.Store.
func (s *SpecialPopStore) Records(ctx context.Context, personID int64) ([]specialpop.Record, error) {
	var rows []specialRecordRow
	if err := s.db.Conn(ctx).Where("person_id = ?", personID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("read records of special person %d", personID))
	}
	return specialRecords(rows), nil
}

func specialRecords(rows []specialRecordRow) []specialpop.Record {
	out := make([]specialpop.Record, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out
}

// RecordsBetween implements specialpop.Store. A transfer counts for both
// areas.
func (s *SpecialPopStore) RecordsBetween(ctx context.Context, areaIDs []int64, from, to time.Time) ([]specialpop.Record, error) {
	if len(areaIDs) == 0 {
		return nil, nil
	}
	var rows []specialRecordRow
	if err := s.db.Conn(ctx).Where("(area_id IN ? OR to_area IN ?) AND at >= ? AND at < ?", areaIDs, areaIDs, from.UTC(), to.UTC()).
		Order("at, id").Limit(1000).Find(&rows).Error; err != nil {
		return nil, Translate(err, "read special population changes")
	}
	return specialRecords(rows), nil
}

// Counts implements specialpop.Store.
func (s *SpecialPopStore) Counts(ctx context.Context, areaIDs []int64) ([]specialpop.Count, error) {
	var rows []struct {
		Kind  string
		State string
		N     int
	}
	if err := s.db.Conn(ctx).Model(&specialPersonRow{}).Select("kind, state, COUNT(*) AS n").Where("area_id IN ?", areaIDs).
		Group("kind, state").Order("kind, state").Scan(&rows).Error; err != nil {
		return nil, Translate(err, "count special people")
	}
	out := make([]specialpop.Count, len(rows))
	for i, r := range rows {
		out[i] = specialpop.Count{Kind: r.Kind, State: specialpop.State(r.State), N: r.N}
	}
	return out, nil
}

// PlanCompliance implements specialpop.Store.
func (s *SpecialPopStore) PlanCompliance(ctx context.Context, areaIDs []int64, now time.Time) (int, int, error) {
	var row struct {
		Managed int
		OnPlan  int
	}
	err := s.db.Conn(ctx).Model(&specialPersonRow{}).
		Select("COUNT(*) AS managed, COALESCE(SUM(CASE WHEN next_contact_due >= ? THEN 1 ELSE 0 END), 0) AS on_plan", now.UTC()).
		Where("area_id IN ? AND state = ?", areaIDs, string(specialpop.Managed)).Scan(&row).Error
	if err != nil {
		return 0, 0, Translate(err, "count contact plan compliance")
	}
	return row.Managed, row.OnPlan, nil
}
