package mysql

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tiaojie/tiaojie/domain/pairing"
)

// PairingStore keeps station pairings, visits and findings.
type PairingStore struct{ db *DB }

var _ pairing.Store = (*PairingStore)(nil)

// NewPairingStore returns the store over db.
func NewPairingStore(db *DB) *PairingStore { return &PairingStore{db: db} }

type pairingRow struct {
	ID        int64 `gorm:"primaryKey"`
	CadreID   int64
	CadreName string
	Level     string
	StationID int64
	Slot      int64
	CreatedBy int64
	CreatedAt time.Time
	EndedAt   *time.Time
}

func (pairingRow) TableName() string { return "station_pairings" }

func (r pairingRow) toDomain() pairing.Pairing {
	return pairing.Pairing{ID: r.ID, CadreID: r.CadreID, CadreName: r.CadreName, Level: pairing.Level(r.Level), StationID: r.StationID,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), EndedAt: utcPtr(r.EndedAt)}
}

// CreatePairing implements pairing.Store.
func (s *PairingStore) CreatePairing(ctx context.Context, p *pairing.Pairing) error {
	row := pairingRow{CadreID: p.CadreID, CadreName: p.CadreName, Level: string(p.Level), StationID: p.StationID, CreatedBy: p.CreatedBy,
		CreatedAt: p.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create pairing")
	}
	p.ID = row.ID
	return nil
}

// Pairing implements pairing.Store.
func (s *PairingStore) Pairing(ctx context.Context, id int64) (*pairing.Pairing, error) {
	var row pairingRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find pairing %d", id))
	}
	p := row.toDomain()
	return &p, nil
}

// EndPairing implements pairing.Store.
func (s *PairingStore) EndPairing(ctx context.Context, id int64, at time.Time) error {
	return Translate(s.db.Conn(ctx).Model(&pairingRow{}).Where("id = ? AND slot = 0", id).
		Updates(map[string]any{"slot": id, "ended_at": at.UTC()}).Error, fmt.Sprintf("end pairing %d", id))
}

// ActivePairings implements pairing.Store.
func (s *PairingStore) ActivePairings(ctx context.Context, stationIDs []int64) ([]pairing.Pairing, error) {
	q := s.db.Conn(ctx).Where("slot = 0")
	if stationIDs != nil {
		q = q.Where("station_id IN ?", stationIDs)
	}
	var rows []pairingRow
	if err := q.Order("station_id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list active pairings")
	}
	out := make([]pairing.Pairing, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// PairingsOf implements pairing.Store.
func (s *PairingStore) PairingsOf(ctx context.Context, stationIDs []int64, all bool, cadreID int64) ([]pairing.Pairing, error) {
	q := s.db.Conn(ctx).Model(&pairingRow{})
	switch {
	case all:
	case len(stationIDs) > 0:
		q = q.Where("station_id IN ? OR cadre_id = ?", stationIDs, cadreID)
	default:
		q = q.Where("cadre_id = ?", cadreID)
	}
	var rows []pairingRow
	if err := q.Order("id DESC").Limit(2000).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list pairings")
	}
	out := make([]pairing.Pairing, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// LastVisits implements pairing.Store.
func (s *PairingStore) LastVisits(ctx context.Context, pairingIDs []int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	if len(pairingIDs) == 0 {
		return out, nil
	}
	// The newest visit of each pairing, as whole rows (MAX over a DATETIME
	// comes back from SQLite as text).
	var visits []pairingVisitRow
	if err := s.db.Conn(ctx).Where("pairing_id IN ?", pairingIDs).
		Where("visited_at = (SELECT MAX(w.visited_at) FROM pairing_visits w WHERE w.pairing_id = pairing_visits.pairing_id)").
		Find(&visits).Error; err != nil {
		return nil, Translate(err, "last pairing visits")
	}
	for _, v := range visits {
		out[v.PairingID] = v.VisitedAt.UTC()
	}
	return out, nil
}

type pairingVisitRow struct {
	ID        int64 `gorm:"primaryKey"`
	PairingID int64
	CadreID   int64
	StationID int64
	VisitedAt time.Time
	Checked   string
	Summary   string
	CreatedAt time.Time
}

func (pairingVisitRow) TableName() string { return "pairing_visits" }

// CreateVisit implements pairing.Store.
func (s *PairingStore) CreateVisit(ctx context.Context, v *pairing.Visit) error {
	checked, err := json.Marshal(orEmptyStrings(v.Checked))
	if err != nil {
		return err
	}
	row := pairingVisitRow{PairingID: v.PairingID, CadreID: v.CadreID, StationID: v.StationID, VisitedAt: v.VisitedAt.UTC(), Checked: string(checked),
		Summary: v.Summary, CreatedAt: v.CreatedAt.UTC()}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create pairing visit")
	}
	v.ID = row.ID
	return nil
}

func orEmptyStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Visits implements pairing.Store.
func (s *PairingStore) Visits(ctx context.Context, pairingID int64, limit int) ([]pairing.Visit, error) {
	var rows []pairingVisitRow
	if err := s.db.Conn(ctx).Where("pairing_id = ?", pairingID).Order("visited_at DESC, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, Translate(err, "list pairing visits")
	}
	out := make([]pairing.Visit, len(rows))
	ids := make([]int64, len(rows))
	at := map[int64]int{}
	for i, r := range rows {
		out[i] = pairing.Visit{ID: r.ID, PairingID: r.PairingID, CadreID: r.CadreID, StationID: r.StationID, VisitedAt: r.VisitedAt.UTC(),
			Summary: r.Summary, CreatedAt: r.CreatedAt.UTC(), Checked: []string{}, Findings: []pairing.Finding{}}
		_ = json.Unmarshal([]byte(r.Checked), &out[i].Checked)
		ids[i], at[r.ID] = r.ID, i
	}
	if len(ids) > 0 {
		var findings []findingRow
		if err := s.db.Conn(ctx).Where("visit_id IN ?", ids).Order("id").Find(&findings).Error; err != nil {
			return nil, Translate(err, "findings of pairing visits")
		}
		for _, f := range findings {
			out[at[f.VisitID]].Findings = append(out[at[f.VisitID]].Findings, f.toDomain())
		}
	}
	return out, nil
}

type findingRow struct {
	ID          int64 `gorm:"primaryKey"`
	VisitID     int64
	PairingID   int64
	StationID   int64
	Description string
	State       string
	Round       int
	Note        string
	RectifiedBy int64
	RectifiedAt *time.Time
	VerifiedBy  int64
	VerifiedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

func (findingRow) TableName() string { return "pairing_findings" }

func (r findingRow) toDomain() pairing.Finding {
	return pairing.Finding{ID: r.ID, VisitID: r.VisitID, PairingID: r.PairingID, StationID: r.StationID, Description: r.Description,
		State: pairing.FindingState(r.State), Round: r.Round, Note: r.Note, RectifiedBy: r.RectifiedBy, RectifiedAt: utcPtr(r.RectifiedAt),
		VerifiedBy: r.VerifiedBy, VerifiedAt: utcPtr(r.VerifiedAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// CreateFinding implements pairing.Store.
func (s *PairingStore) CreateFinding(ctx context.Context, f *pairing.Finding) error {
	row := findingRow{VisitID: f.VisitID, PairingID: f.PairingID, StationID: f.StationID, Description: f.Description, State: string(f.State),
		Round: f.Round, Note: f.Note, CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC(), Version: f.Version}
	if err := s.db.Conn(ctx).Create(&row).Error; err != nil {
		return Translate(err, "create pairing finding")
	}
	f.ID = row.ID
	return nil
}

// Finding implements pairing.Store.
func (s *PairingStore) Finding(ctx context.Context, id int64) (*pairing.Finding, error) {
	var row findingRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, fmt.Sprintf("find pairing finding %d", id))
	}
	f := row.toDomain()
	return &f, nil
}

// UpdateFinding implements pairing.Store.
func (s *PairingStore) UpdateFinding(ctx context.Context, f *pairing.Finding) (bool, error) {
	res := s.db.Conn(ctx).Model(&findingRow{}).Where("id = ? AND version = ?", f.ID, f.Version).Updates(map[string]any{
		"state": string(f.State), "round": f.Round, "note": f.Note, "rectified_by": f.RectifiedBy, "rectified_at": utcPtr(f.RectifiedAt),
		"verified_by": f.VerifiedBy, "verified_at": utcPtr(f.VerifiedAt), "updated_at": f.UpdatedAt.UTC(), "version": f.Version + 1})
	if res.Error != nil {
		return false, Translate(res.Error, fmt.Sprintf("update pairing finding %d", f.ID))
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	f.Version++
	return true, nil
}

// OpenFindings implements pairing.Store.
func (s *PairingStore) OpenFindings(ctx context.Context, stationIDs []int64) (map[int64]int, error) {
	var rows []struct {
		StationID int64
		N         int
	}
	if err := s.db.Conn(ctx).Model(&findingRow{}).Select("station_id, COUNT(*) AS n").Where("station_id IN ? AND state <> ?", stationIDs,
		string(pairing.FindingVerified)).Group("station_id").Scan(&rows).Error; err != nil {
		return nil, Translate(err, "count open pairing findings")
	}
	out := map[int64]int{}
	for _, r := range rows {
		out[r.StationID] = r.N
	}
	return out, nil
}

// Counts implements pairing.Store.
func (s *PairingStore) Counts(ctx context.Context, stationIDs []int64, from, to time.Time) (visits, findings, verified int64, err error) {
	if err = s.db.Conn(ctx).Model(&pairingVisitRow{}).Where("station_id IN ? AND visited_at >= ? AND visited_at < ?", stationIDs, from.UTC(), to.UTC()).
		Count(&visits).Error; err != nil {
		return 0, 0, 0, Translate(err, "count pairing visits")
	}
	q := func() *gorm.DB {
		return s.db.Conn(ctx).Model(&findingRow{}).Where("station_id IN ? AND created_at >= ? AND created_at < ?", stationIDs, from.UTC(), to.UTC())
	}
	if err = q().Count(&findings).Error; err != nil {
		return 0, 0, 0, Translate(err, "count pairing findings")
	}
	if err = q().Where("state = ?", string(pairing.FindingVerified)).Count(&verified).Error; err != nil {
		return 0, 0, 0, Translate(err, "count verified pairing findings")
	}
	return visits, findings, verified, nil
}
