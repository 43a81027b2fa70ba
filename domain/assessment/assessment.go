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
}

// Config weighs the indicators into a score out of 100.
type Config struct {
	CasesTarget        int     // this many cases earns the full cases weight
	WeightCases        float64 // the four weights add up to 100
	WeightSuccess      float64
	WeightSatisfaction float64
	WeightAttendance   float64
	ExcellentFrom      float64 // score for 优秀
	PassFrom           float64 // score for 合格
	FailsForReview     int     // this many 不合格 flags the firm for dismissal review
}

// DefaultConfig is a starting point the bureau adjusts.
var DefaultConfig = Config{CasesTarget: 10, WeightCases: 30, WeightSuccess: 30, WeightSatisfaction: 20, WeightAttendance: 20,
	ExcellentFrom: 85, PassFrom: 60, FailsForReview: 3}

// Score weighs indicators, 0–100.
func (c Config) Score(in Indicators) float64 {
	cases := 1.0
	if c.CasesTarget > 0 {
		cases = min(1, float64(in.CasesHandled)/float64(c.CasesTarget))
	}
	s := c.WeightCases*cases + c.WeightSuccess*in.SuccessRate + c.WeightSatisfaction*in.Satisfaction/5 + c.WeightAttendance*in.AttendanceRate
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

// CaseFigures are a firm's concluded cases of a month.
type CaseFigures struct {
	Concluded, Agreed, Rated, Stars int
	ByTier                          map[string]int // difficulty tier → concluded cases
}

// Service runs assessments.
type Service struct {
	Store   Store
	Figures Figures
	Config  Config
	Money   Money
	Volumes Volumes
	Scope   FirmScope // whose figures a reader sees
	Clock   domain.Clock
	Audit   domain.Auditor
}
