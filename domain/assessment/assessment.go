// Package assessment is the monthly law-firm assessment (律所考核) — 优秀 /
// 合格 / 不合格 from configurable indicators, a supervisor's override, and a
// dismissal review after three 不合格 — and the monthly money: per-case
// subsidies by difficulty and each firm's fee tier by its station's daily
// call volume (seed 001).
package assessment

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Grade is a firm's monthly grade.
type Grade string

const (
	Excellent Grade = "excellent" // 优秀
	Pass      Grade = "pass"      // 合格
	Fail      Grade = "fail"      // 不合格
)

// Valid reports whether g is a grade.
func (g Grade) Valid() bool { return g == Excellent || g == Pass || g == Fail }

// Indicators are a firm's month.
type Indicators struct {
	CasesHandled   int     // cases its lawyers led to a conclusion
	SuccessRate    float64 // agreed / concluded
	Satisfaction   float64 // mean stars, 0 when unrated
	AttendanceRate float64 // present / expected duty days
	// The stationed lawyers' other duties (seed 000): legal consultations,
	// legal education sessions and help with police matters recorded.
	Consultations, EducationSessions, PoliceAssists int
}

// Config weighs the indicators into a score out of 100.
type Config struct {
	CasesTarget        int     // this many cases earns the full cases weight
	WeightCases        float64 // the four weights add up to 100
	WeightSuccess      float64
	WeightSatisfaction float64
	WeightAttendance   float64
	// The other three duties, each earning its full weight at its target
	// count a month; mediation is the cases weight.
	WeightConsultation, WeightEducation, WeightPoliceAssist float64
	ConsultationTarget, EducationTarget, PoliceAssistTarget int
	ExcellentFrom                                           float64 // score for 优秀
	PassFrom                                                float64 // score for 合格
	FailsForReview                                          int     // this many 不合格 flags the firm for dismissal review
}

// DefaultConfig is a starting point the bureau adjusts.
var DefaultConfig = Config{CasesTarget: 10, WeightCases: 25, WeightSuccess: 25, WeightSatisfaction: 15, WeightAttendance: 15,
	WeightConsultation: 10, WeightEducation: 5, WeightPoliceAssist: 5, ConsultationTarget: 20, EducationTarget: 2, PoliceAssistTarget: 5,
	ExcellentFrom: 85, PassFrom: 60, FailsForReview: 3}

// share is n of target, at most 1 (1 without a target).
func share(n, target int) float64 {
	if target <= 0 {
		return 1
	}
	return min(1, float64(n)/float64(target))
}

// weights is the sum of the seven weights.
func (c Config) weights() float64 {
	return c.WeightCases + c.WeightSuccess + c.WeightSatisfaction + c.WeightAttendance + c.WeightConsultation + c.WeightEducation + c.WeightPoliceAssist
}

// Score weighs indicators, 0–100.
func (c Config) Score(in Indicators) float64 {
	s := c.WeightCases*share(in.CasesHandled, c.CasesTarget) + c.WeightSuccess*in.SuccessRate + c.WeightSatisfaction*in.Satisfaction/5 +
		c.WeightAttendance*in.AttendanceRate + c.WeightConsultation*share(in.Consultations, c.ConsultationTarget) +
		c.WeightEducation*share(in.EducationSessions, c.EducationTarget) + c.WeightPoliceAssist*share(in.PoliceAssists, c.PoliceAssistTarget)
	return float64(int64(s*100+0.5)) / 100
}

// GradeOf is the grade a score earns.
func (c Config) GradeOf(score float64) Grade {
	switch {
	case score >= c.ExcellentFrom:
		return Excellent
	case score >= c.PassFrom:
		return Pass
	}
	return Fail
}

// FirmAssessment is one firm's month.
type FirmAssessment struct {
	ID             int64
	FirmID         int64
	Month          string // 2026-11
	Indicators     Indicators
	Score          float64
	Computed       Grade
	Override       Grade // a supervisor's decision, if any
	OverrideReason string
	OverriddenBy   int64
	UpdatedAt      time.Time
	Version        int
	// DismissalReview is set when the firm has FailsForReview or more 不合格
	// months (its effective grade, override included).
	DismissalReview bool
}

// Effective is the grade that counts: the override, else the computed.
func (f FirmAssessment) Effective() Grade {
	if f.Override != "" {
		return f.Override
	}
	return f.Computed
}

// Store keeps assessments.
type Store interface {
	// Upsert writes the computed part of a firm's month, keeping an override.
	Upsert(ctx context.Context, f *FirmAssessment) error
	Month(ctx context.Context, month string) ([]FirmAssessment, error)
	One(ctx context.Context, id int64) (*FirmAssessment, error)
	SetOverride(ctx context.Context, f *FirmAssessment) (bool, error) // versioned
	Fails(ctx context.Context, firmID int64) (int, error)
}

// Figures reads a month's raw figures per firm.
type Figures interface {
	// Firms are every law firm's ID.
	Firms(ctx context.Context) ([]int64, error)
	// Cases counts, per firm, the cases its lawyers led that concluded in
	// [from, to): concluded, agreed, rated and the stars.
	Cases(ctx context.Context, from, to time.Time) (map[int64]CaseFigures, error)
	// Attendance is each firm's duty attendance rate over [from, to).
	Attendance(ctx context.Context, a domain.Actor, from, to time.Time) (map[int64]float64, error)
}

// DutyFigures counts, per firm, its lawyers' consultations, education
// sessions and help with police matters recorded in [from, to).
type DutyFigures interface {
	DutyWork(ctx context.Context, from, to time.Time) (map[int64]DutyCounts, error)
}

// DutyCounts are a firm's other duties of a month.
type DutyCounts struct{ Consultations, EducationSessions, PoliceAssists int }

// CaseFigures are a firm's concluded cases of a month.
type CaseFigures struct {
	Concluded, Agreed, Rated, Stars int
	ByDifficulty                    map[Difficulty]int // concluded cases by what decides their tier
}

// Difficulty is what decides a case's subsidy tier: a supervisor's rating
// (0 when none) and its classification.
type Difficulty struct {
	Rated          int
	Classification string
}

// Service runs assessments.
type Service struct {
	Store   Store
	Figures Figures
	Duties  DutyFigures // nil: the three other duties count 0
	Config  Config
	Money   Money
	Volumes Volumes
	Scope   FirmScope // whose figures a reader sees
	// Difficulties keeps supervisors' tier ratings of cases, in Sight.
	Difficulties DifficultyStore
	Sight        StationSight
	Tx           domain.TxRunner
	Clock        domain.Clock
	Audit        domain.Auditor
}
