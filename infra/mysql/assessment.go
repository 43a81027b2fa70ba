package mysql

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/assessment"
)

// AssessmentStore keeps firm assessments and reads the figures behind them.
type AssessmentStore struct{ db *DB }

var _ assessment.Store = (*AssessmentStore)(nil)

// NewAssessmentStore returns the store over db.
func NewAssessmentStore(db *DB) *AssessmentStore { return &AssessmentStore{db: db} }

type assessmentRow struct {
	ID                int64 `gorm:"primaryKey"`
	FirmID            int64
	Month             string
	Cases             int
	SuccessRate       float64
	Satisfaction      float64
	AttendanceRate    float64
	Consultations     int
	EducationSessions int
	PoliceAssists     int
	Score             float64
	Computed          string
	Override          string
	OverrideReason    string
	OverriddenBy      int64
	UpdatedAt         time.Time
	Version           int
}

func (assessmentRow) TableName() string { return "firm_assessments" }

func (r assessmentRow) domain() assessment.FirmAssessment {
	return assessment.FirmAssessment{ID: r.ID, FirmID: r.FirmID, Month: r.Month, Score: r.Score, Computed: assessment.Grade(r.Computed),
		Override: assessment.Grade(r.Override), OverrideReason: r.OverrideReason, OverriddenBy: r.OverriddenBy, UpdatedAt: r.UpdatedAt.UTC(),
		Version: r.Version, Indicators: assessment.Indicators{CasesHandled: r.Cases, SuccessRate: r.SuccessRate, Satisfaction: r.Satisfaction,
			AttendanceRate: r.AttendanceRate, Consultations: r.Consultations, EducationSessions: r.EducationSessions, PoliceAssists: r.PoliceAssists}}
}

// Upsert implements assessment.Store.
func (s *AssessmentStore) Upsert(ctx context.Context, f *assessment.FirmAssessment) error {
	row := assessmentRow{FirmID: f.FirmID, Month: f.Month, Cases: f.Indicators.CasesHandled, SuccessRate: f.Indicators.SuccessRate,
		Satisfaction: f.Indicators.Satisfaction, AttendanceRate: f.Indicators.AttendanceRate, Score: f.Score, Computed: string(f.Computed),
		Consultations: f.Indicators.Consultations, EducationSessions: f.Indicators.EducationSessions, PoliceAssists: f.Indicators.PoliceAssists,
		UpdatedAt: f.UpdatedAt.UTC(), Version: 1}
	return Translate(s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "firm_id"}, {Name: "month"}},
		DoUpdates: clause.Assignments(map[string]any{"cases": row.Cases, "success_rate": row.SuccessRate, "satisfaction": row.Satisfaction,
			"attendance_rate": row.AttendanceRate, "consultations": row.Consultations,
			"education_sessions": row.EducationSessions, "police_assists": row.PoliceAssists, "score": row.Score, "computed": row.Computed, "updated_at": row.UpdatedAt,
			"version": gorm.Expr("version + 1")})}).Create(&row).Error, "save firm assessment")
}

// Month implements assessment.Store.
func (s *AssessmentStore) Month(ctx context.Context, month string) ([]assessment.FirmAssessment, error) {
	var rows []assessmentRow
	if err := s.db.Conn(ctx).Where("month = ?", month).Order("firm_id").Find(&rows).Error; err != nil {
		return nil, Translate(err, "list firm assessments")
	}
	out := make([]assessment.FirmAssessment, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// One implements assessment.Store.
func (s *AssessmentStore) One(ctx context.Context, id int64) (*assessment.FirmAssessment, error) {
	var row assessmentRow
	if err := s.db.Conn(ctx).Take(&row, id).Error; err != nil {
		return nil, Translate(err, "read firm assessment")
	}
	f := row.domain()
	return &f, nil
}

// SetOverride implements assessment.Store.
func (s *AssessmentStore) SetOverride(ctx context.Context, f *assessment.FirmAssessment) (bool, error) {
	res := s.db.Conn(ctx).Model(&assessmentRow{}).Where("id = ? AND version = ?", f.ID, f.Version).Updates(map[string]any{
		"override": string(f.Override), "override_reason": f.OverrideReason, "overridden_by": f.OverriddenBy, "updated_at": f.UpdatedAt.UTC(),
		"version": gorm.Expr("version + 1")})
	if res.Error != nil {
		return false, Translate(res.Error, "override firm assessment")
	}
	if res.RowsAffected == 1 {
		f.Version++
	}
	return res.RowsAffected == 1, nil
}

// Fails implements assessment.Store: months whose effective grade is fail.
func (s *AssessmentStore) Fails(ctx context.Context, firmID int64) (int, error) {
	var n int64
	err := s.db.Conn(ctx).Model(&assessmentRow{}).Where("firm_id = ? AND (override = 'fail' OR (override = '' AND computed = 'fail'))", firmID).Count(&n).Error
	return int(n), Translate(err, "count failed assessments")
}

// Firms lists every law firm's ID.
func (s *AssessmentStore) Firms(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.db.Conn(ctx).Model(&orgRow{}).Where("kind = ?", "law_firm").Order("id").Pluck("id", &ids).Error
	return ids, Translate(err, "list law firms")
}

// Cases counts, per firm, the cases its lawyers led or assisted that
// concluded (agreed, failed or referred) and closed in [from, to).
func (s *AssessmentStore) Cases(ctx context.Context, from, to time.Time) (map[int64]assessment.CaseFigures, error) {
	var rows []struct {
		FirmID         int64
		Classification string
		Outcome        string
		RatingStars    int
		RatedAt        *time.Time
		Tier           *int
	}
	err := s.db.Conn(ctx).Raw(`SELECT DISTINCT u.firm_id, r.id AS request_id, r.classification, r.outcome, r.rating_stars, r.rated_at, d.tier
		FROM requests r JOIN users u ON u.id = r.lead_id OR u.id = r.assistant_id
		LEFT JOIN case_difficulty d ON d.request_id = r.id
		WHERE r.closed_at >= ? AND r.closed_at < ? AND r.outcome <> '' AND u.firm_id <> 0`, from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "count firms' cases")
	}
	out := map[int64]assessment.CaseFigures{}
	for _, r := range rows {
		f := out[r.FirmID]
		if f.ByDifficulty == nil {
			f.ByDifficulty = map[assessment.Difficulty]int{}
		}
		f.Concluded++
		d := assessment.Difficulty{Classification: r.Classification}
		if r.Tier != nil {
			d.Rated = *r.Tier
		}
		f.ByDifficulty[d]++
		if r.Outcome == "agreed" {
			f.Agreed++
		}
		if r.RatedAt != nil {
			f.Rated++
			f.Stars += r.RatingStars
		}
		out[r.FirmID] = f
	}
	return out, nil
}

// FirmStations maps each firm to the stations its lawyers serve.
func (s *AssessmentStore) FirmStations(ctx context.Context) (map[int64][]int64, error) {
	var rows []struct{ FirmID, StationID int64 }
	err := s.db.Conn(ctx).Raw(`SELECT DISTINCT u.firm_id, us.station_id FROM user_stations us JOIN users u ON u.id = us.user_id
		WHERE u.firm_id <> 0 ORDER BY u.firm_id, us.station_id`).Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "firms' stations")
	}
	out := map[int64][]int64{}
	for _, r := range rows {
		out[r.FirmID] = append(out[r.FirmID], r.StationID)
	}
	return out, nil
}

// DailyVolume is each station's requests per day over [from, to).
func (s *AssessmentStore) DailyVolume(ctx context.Context, from, to time.Time) (map[int64]float64, error) {
	var rows []struct {
		StationID int64
		N         int64
	}
	err := s.db.Conn(ctx).Raw("SELECT station_id, COUNT(*) AS n FROM requests WHERE created_at >= ? AND created_at < ? GROUP BY station_id",
		from.UTC(), to.UTC()).Scan(&rows).Error
	if err != nil {
		return nil, Translate(err, "stations' daily volume")
	}
	days := max(1, to.Sub(from).Hours()/24)
	out := map[int64]float64{}
	for _, r := range rows {
		out[r.StationID] = float64(int64(float64(r.N)/days*100+0.5)) / 100
	}
	return out, nil
}

var _ assessment.DifficultyStore = (*AssessmentStore)(nil)

// CaseStation implements assessment.DifficultyStore.
func (s *AssessmentStore) CaseStation(ctx context.Context, requestID int64) (int64, error) {
	var ids []int64
	if err := s.db.Conn(ctx).Raw("SELECT station_id FROM requests WHERE id = ?", requestID).Scan(&ids).Error; err != nil {
		return 0, Translate(err, "find a case's station")
	}
	if len(ids) == 0 {
		return 0, domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
	}
	return ids[0], nil
}

type caseDifficultyRow struct {
	RequestID int64 `gorm:"primaryKey;autoIncrement:false"`
	Tier      int
	RatedBy   int64
	Reason    string
	RatedAt   time.Time
}

func (caseDifficultyRow) TableName() string { return "case_difficulty" }

// SetDifficulty implements assessment.DifficultyStore: a new rating
// replaces the last.
func (s *AssessmentStore) SetDifficulty(ctx context.Context, requestID int64, tier int, by int64, reason string, at time.Time) error {
	row := caseDifficultyRow{RequestID: requestID, Tier: tier, RatedBy: by, Reason: reason, RatedAt: at.UTC()}
	return Translate(s.db.Conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "request_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"tier", "rated_by", "reason", "rated_at"})}).Create(&row).Error, "rate case difficulty")
}
