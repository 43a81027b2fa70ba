package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/incident"
)

// IncidentStore keeps incidents, their legal workers, compensation
// calculations and standards.
type IncidentStore struct{ db *DB }

var _ incident.Store = (*IncidentStore)(nil)

// NewIncidentStore returns the store over db.
func NewIncidentStore(db *DB) *IncidentStore { return &IncidentStore{db: db} }

type incidentRow struct {
	ID         int64 `gorm:"primaryKey"`
	StationID  int64
	OfficerID  int64
	CallNo     string
	CaseType   string
	Summary    string
	Place      string
	OccurredAt time.Time
	State      string
	Outcome    string
	RequestID  int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

func (incidentRow) TableName() string { return "incidents" }

func (r incidentRow) toDomain() incident.Incident {
	return incident.Incident{ID: r.ID, StationID: r.StationID, OfficerID: r.OfficerID, CallNo: r.CallNo, CaseType: incident.CaseType(r.CaseType),
		Summary: r.Summary, Place: r.Place, OccurredAt: r.OccurredAt.UTC(), State: incident.State(r.State), Outcome: r.Outcome, RequestID: r.RequestID,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

type incidentWorkerRow struct {
	ID         int64 `gorm:"primaryKey"`
	IncidentID int64
	UserID     int64
	OrgID      int64
	Name       string
	Role       string
	InvitedBy  int64
	InvitedAt  time.Time
	Opinion    string
	AssistedAt *time.Time
}

func (incidentWorkerRow) TableName() string { return "incident_workers" }

func (r incidentWorkerRow) toDomain() incident.Worker {
	return incident.Worker{UserID: r.UserID, OrgID: r.OrgID, Name: r.Name, Role: incident.WorkerRole(r.Role), InvitedBy: r.InvitedBy,
		InvitedAt: r.InvitedAt.UTC(), Opinion: r.Opinion, AssistedAt: utcPtr(r.AssistedAt)}
}

// CreateIncident implements incident.Store.
func (s *IncidentStore) CreateIncident(ctx context.Context, in *incident.Incident) error {
	row := incidentRow{StationID: in.StationID, OfficerID: in.OfficerID, CallNo: in.CallNo, CaseType: string(in.CaseType), Summary: in.Summary,
		Place: in.Place, OccurredAt: in.OccurredAt.UTC(), State: string(in.State), Outcome: in.Outcome, RequestID: in.RequestID,
		CreatedAt: in.CreatedAt.UTC(), UpdatedAt: in.UpdatedAt.UTC(), Version: in.Version}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create incident")
	}
	in.ID = row.ID
	return nil
}

// Incident implements incident.Store.
func (s *IncidentStore) Incident(ctx context.Context, id int64) (*incident.Incident, error) {
	var row incidentRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find incident %d", id))
	}
	in := row.toDomain()
	var workers []incidentWorkerRow
	if err := s.db.Conn(ctx).Where("incident_id = ?", id).Order("id").Find(&workers).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("workers of incident %d", id))
	}
	for _, w := range workers {
		in.Workers = append(in.Workers, w.toDomain())
	}
	return &in, nil
}

// UpdateIncident implements incident.Store.
func (s *IncidentStore) UpdateIncident(ctx context.Context, in *incident.Incident) (bool, error) {
	res := s.db.Conn(ctx).Model(&incidentRow{}).Where("id = ? AND version = ?", in.ID, in.Version).Updates(map[string]any{
		"state": string(in.State), "outcome": in.Outcome, "request_id": in.RequestID, "updated_at": in.UpdatedAt.UTC(), "version": in.Version + 1})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update incident %d", in.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	in.Version++
	return true, nil
}

// AddWorker implements incident.Store.
func (s *IncidentStore) AddWorker(ctx context.Context, incidentID int64, w incident.Worker) error {
	row := incidentWorkerRow{IncidentID: incidentID, UserID: w.UserID, OrgID: w.OrgID, Name: w.Name, Role: string(w.Role), InvitedBy: w.InvitedBy,
		InvitedAt: w.InvitedAt.UTC(), Opinion: w.Opinion, AssistedAt: utcPtr(w.AssistedAt)}
	return Translate(s.db.Conn(ctx).Create(&row).Error, fmt.Sprintf("add worker to incident %d", incidentID))
}

// SaveWorkerPart implements incident.Store.
func (s *IncidentStore) SaveWorkerPart(ctx context.Context, incidentID int64, w incident.Worker) error {
	return Translate(s.db.Conn(ctx).Model(&incidentWorkerRow{}).Where("incident_id = ? AND user_id = ?", incidentID, w.UserID).
		Updates(map[string]any{"opinion": w.Opinion, "assisted_at": utcPtr(w.AssistedAt)}).Error, fmt.Sprintf("save worker part of incident %d", incidentID))
}

// Incidents implements incident.Store.
func (s *IncidentStore) Incidents(ctx context.Context, f incident.Filter) ([]incident.Incident, error) {
	q := s.db.Conn(ctx).Model(&incidentRow{})
	if f.StationIDs != nil {
		q = q.Where("station_id IN ?", f.StationIDs)
	}
	if f.WorkerID != 0 {
		q = q.Where("id IN (?)", s.db.Conn(ctx).Model(&incidentWorkerRow{}).Select("incident_id").Where("user_id = ?", f.WorkerID))
	}
	if f.State != "" {
		q = q.Where("state = ?", string(f.State))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []incidentRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list incidents")
	}
	out := make([]incident.Incident, len(rows))
	ids := make([]int64, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		out[i], ids[i], at[r.ID] = r.toDomain(), r.ID, i
	}
	if len(ids) > 0 {
		var workers []incidentWorkerRow
		if err := s.db.Conn(ctx).Where("incident_id IN ?", ids).Order("id").Find(&workers).Error; err != nil {
			return nil, Translate(err, "workers of incidents")
		}
		for _, w := range workers {
			out[at[w.IncidentID]].Workers = append(out[at[w.IncidentID]].Workers, w.toDomain())
		}
	}
	return out, nil
}

type calculationRow struct {
	ID           int64 `gorm:"primaryKey"`
	IncidentID   int64
	StandardID   int64
	Sample       bool
	InputJSON    string `gorm:"column:input_json"`
	ItemsJSON    string `gorm:"column:items_json"`
	TotalFen     int64
	LiabilityPct int
	PayableFen   int64
	Note         string
	CreatedBy    int64
	CreatedAt    time.Time
}

func (calculationRow) TableName() string { return "compensation_calculations" }

// AddCalculation implements incident.Store.
func (s *IncidentStore) AddCalculation(ctx context.Context, c *incident.Calculation) error {
	in, err := json.Marshal(c.Input)
	if err != nil {
		return err
	}
	items, err := json.Marshal(c.Result.Items)
	if err != nil {
		return err
	}
	row := calculationRow{IncidentID: c.IncidentID, StandardID: c.StandardID, Sample: c.Sample, InputJSON: string(in), ItemsJSON: string(items),
		TotalFen: c.Result.TotalFen, LiabilityPct: c.Result.LiabilityPct, PayableFen: c.Result.PayableFen, Note: c.Note, CreatedBy: c.CreatedBy,
		CreatedAt: c.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "add compensation calculation")
	}
	c.ID = row.ID
	return nil
}

// Calculations implements incident.Store.
func (s *IncidentStore) Calculations(ctx context.Context, incidentID int64) ([]incident.Calculation, error) {
	var rows []calculationRow
	if err := s.db.Conn(ctx).Where("incident_id = ?", incidentID).Order("id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list compensation calculations")
	}
	out := make([]incident.Calculation, len(rows))
	for i, r := range rows {
		c := incident.Calculation{ID: r.ID, IncidentID: r.IncidentID, StandardID: r.StandardID, Sample: r.Sample, Note: r.Note, CreatedBy: r.CreatedBy,
			CreatedAt: r.CreatedAt.UTC(), Result: incident.Result{TotalFen: r.TotalFen, LiabilityPct: r.LiabilityPct, PayableFen: r.PayableFen}}
		if err := json.Unmarshal([]byte(r.InputJSON), &c.Input); err != nil {
			return nil, fmt.Errorf("mysql: calculation %d input: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(r.ItemsJSON), &c.Result.Items); err != nil {
			return nil, fmt.Errorf("mysql: calculation %d items: %w", r.ID, err)
		}
		out[i] = c
	}
	return out, nil
}

type standardRow struct {
	ID                    int64 `gorm:"primaryKey"`
	Province              string
	ProvinceName          string
	Year                  int
	DisposableIncomeFen   int64
	AverageWageFen        int64
	NursingPerDayFen      int64
	HospitalFoodPerDayFen int64
	NutritionPerDayFen    int64
	Sample                bool
	Note                  string
	UpdatedBy             int64
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Version               int
}

func (standardRow) TableName() string { return "compensation_standards" }

func (r standardRow) toDomain() incident.Standard {
	return incident.Standard{ID: r.ID, Province: r.Province, ProvinceName: r.ProvinceName, Year: r.Year, DisposableIncomeFen: r.DisposableIncomeFen,
		AverageWageFen: r.AverageWageFen, NursingPerDayFen: r.NursingPerDayFen, HospitalFoodPerDayFen: r.HospitalFoodPerDayFen,
		NutritionPerDayFen: r.NutritionPerDayFen, Sample: r.Sample, Note: r.Note, UpdatedBy: r.UpdatedBy, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func standardRowOf(s *incident.Standard) standardRow {
	return standardRow{ID: s.ID, Province: s.Province, ProvinceName: s.ProvinceName, Year: s.Year, DisposableIncomeFen: s.DisposableIncomeFen,
		AverageWageFen: s.AverageWageFen, NursingPerDayFen: s.NursingPerDayFen, HospitalFoodPerDayFen: s.HospitalFoodPerDayFen,
		NutritionPerDayFen: s.NutritionPerDayFen, Sample: s.Sample, Note: s.Note, UpdatedBy: s.UpdatedBy, CreatedAt: s.CreatedAt.UTC(),
		UpdatedAt: s.UpdatedAt.UTC(), Version: s.Version}
}

func standardNotFound(err error) error {
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Errorf(domain.KindNotFound, "compensation.standard_not_found", "No such compensation standard.")
	}
	return err
}

// Standards implements incident.Store.
func (s *IncidentStore) Standards(ctx context.Context) ([]incident.Standard, error) {
	var rows []standardRow
	if err := s.db.Conn(ctx).Order("province, year DESC").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list compensation standards")
	}
	out := make([]incident.Standard, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Standard implements incident.Store.
func (s *IncidentStore) Standard(ctx context.Context, id int64) (*incident.Standard, error) {
	var row standardRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, standardNotFound(Translate(err, fmt.Sprintf("find compensation standard %d", id)))
	}
	st := row.toDomain()
	return &st, nil
}

// StandardFor implements incident.Store.
func (s *IncidentStore) StandardFor(ctx context.Context, province string, year int) (*incident.Standard, error) {
	var row standardRow
	if err := s.db.Conn(ctx).Where("province = ? AND year = ?", province, year).Take(&row).Error; err != nil {
		return nil, standardNotFound(Translate(err, "find compensation standard"))
	}
	st := row.toDomain()
	return &st, nil
}

// CreateStandard implements incident.Store.
func (s *IncidentStore) CreateStandard(ctx context.Context, st *incident.Standard) error {
	row := standardRowOf(st)
	row.ID = 0
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create compensation standard")
	}
	st.ID = row.ID
	return nil
}

// UpdateStandard implements incident.Store.
func (s *IncidentStore) UpdateStandard(ctx context.Context, st *incident.Standard) (bool, error) {
	res := s.db.Conn(ctx).Model(&standardRow{}).Where("id = ? AND version = ?", st.ID, st.Version).Updates(map[string]any{
		"province": st.Province, "province_name": st.ProvinceName, "year": st.Year, "disposable_income_fen": st.DisposableIncomeFen,
		"average_wage_fen": st.AverageWageFen, "nursing_per_day_fen": st.NursingPerDayFen, "hospital_food_per_day_fen": st.HospitalFoodPerDayFen,
		"nutrition_per_day_fen": st.NutritionPerDayFen, "sample": st.Sample, "note": st.Note, "updated_by": st.UpdatedBy,
		"updated_at": st.UpdatedAt.UTC(), "version": st.Version + 1})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update compensation standard %d", st.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	st.Version++
	return true, nil
}

// DeleteStandard implements incident.Store.
func (s *IncidentStore) DeleteStandard(ctx context.Context, id int64) error {
	return Translate(s.db.Conn(ctx).Delete(&standardRow{}, id).Error, fmt.Sprintf("delete compensation standard %d", id))
}

// SeedStandards adds the standards whose province and year are missing.
func (s *IncidentStore) SeedStandards(ctx context.Context, standards []incident.Standard, now time.Time) error {
	for _, st := range standards {
		var n int64
		if err := s.db.Conn(ctx).Model(&standardRow{}).Where("province = ? AND year = ?", st.Province, st.Year).Count(&n).Error; err != nil {
			return Translate(err, "count compensation standards")
		}
		if n > 0 {
			continue
		}
		st.CreatedAt, st.UpdatedAt, st.Version = now, now, 1
		if err := s.CreateStandard(ctx, &st); err != nil && !domain.IsKind(err, domain.KindConflict) {
			return err
		}
	}
	return nil
}

// Counts implements incident.Store.
func (s *IncidentStore) Counts(ctx context.Context, stationIDs []int64, from, to time.Time) (incident.Counts, error) {
	var c incident.Counts
	base := func() *gorm.DB {
		q := s.db.Conn(ctx).Model(&incidentRow{}).Where("created_at >= ? AND created_at < ?", from.UTC(), to.UTC())
		if stationIDs != nil {
			q = q.Where("station_id IN ?", stationIDs)
		}
		return q
	}
	if err := base().Count(&c.Incidents).Error; err != nil {
		return c, Translate(err, "count incidents")
	}
	if err := base().Where("id IN (?)", s.db.Conn(ctx).Model(&incidentWorkerRow{}).Select("incident_id")).Count(&c.WithLegalWorker).Error; err != nil {
		return c, Translate(err, "count incidents with legal workers")
	}
	if err := base().Where("state = ?", string(incident.Resolved)).Count(&c.Resolved).Error; err != nil {
		return c, Translate(err, "count resolved incidents")
	}
	if err := base().Where("state = ?", string(incident.Referred)).Count(&c.Referred).Error; err != nil {
		return c, Translate(err, "count referred incidents")
	}
	var sums struct {
		N   int64
		Fen int64
	}
	q := s.db.Conn(ctx).Model(&calculationRow{}).Select("COUNT(*) AS n, COALESCE(SUM(payable_fen), 0) AS fen").
		Where("created_at >= ? AND created_at < ?", from.UTC(), to.UTC())
	if stationIDs != nil {
		q = q.Where("incident_id IN (?)", s.db.Conn(ctx).Model(&incidentRow{}).Select("id").Where("station_id IN ?", stationIDs))
	}
	if err := q.Scan(&sums).Error; err != nil {
		return c, Translate(err, "count compensation calculations")
	}
	c.Calculations, c.CalculatedFen = sums.N, sums.Fen
	return c, nil
}
