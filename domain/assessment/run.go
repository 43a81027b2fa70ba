package assessment

import (
	"context"
	"strings"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Run computes every firm's assessment of the month [from, to) named month,
// keeping overrides; running it again recomputes.
func (s *Service) Run(ctx context.Context, a domain.Actor, month string, from, to time.Time) ([]FirmAssessment, error) {
	firms, err := s.Figures.Firms(ctx)
	if err != nil {
		return nil, err
	}
	cases, err := s.Figures.Cases(ctx, from, to)
	if err != nil {
		return nil, err
	}
	attendance, err := s.Figures.Attendance(ctx, a, from, to)
	if err != nil {
		return nil, err
	}
	duties := map[int64]DutyCounts{}
	if s.Duties != nil {
		if duties, err = s.Duties.DutyWork(ctx, from, to); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	for _, firm := range firms {
		c := cases[firm]
		d := duties[firm]
		in := Indicators{CasesHandled: c.Concluded, AttendanceRate: 1, Consultations: d.Consultations, EducationSessions: d.EducationSessions,
			PoliceAssists: d.PoliceAssists}
		if c.Concluded > 0 {
			in.SuccessRate = float64(c.Agreed) / float64(c.Concluded)
		}
		if c.Rated > 0 {
			in.Satisfaction = float64(c.Stars) / float64(c.Rated)
		}
		if r, ok := attendance[firm]; ok {
			in.AttendanceRate = r
		}
		score := s.Config.Score(in)
		f := &FirmAssessment{FirmID: firm, Month: month, Indicators: in, Score: score, Computed: s.Config.GradeOf(score), UpdatedAt: now}
		if err := s.Store.Upsert(ctx, f); err != nil {
			return nil, err
		}
	}
	if s.Audit != nil {
		if err := s.Audit.Audit(ctx, domain.AuditOf(a, now, "assessment.run", "assessment", 0, month)); err != nil {
			return nil, err
		}
	}
	return s.List(ctx, month)
}

// List is a month's assessments with the dismissal-review flags.
func (s *Service) List(ctx context.Context, month string) ([]FirmAssessment, error) {
	list, err := s.Store.Month(ctx, month)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].DismissalReview, err = s.review(ctx, list[i].FirmID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (s *Service) review(ctx context.Context, firmID int64) (bool, error) {
	n, err := s.Store.Fails(ctx, firmID)
	return n >= s.Config.FailsForReview && s.Config.FailsForReview > 0, err
}

// Override sets a supervisor's grade with a reason.
func (s *Service) Override(ctx context.Context, a domain.Actor, id int64, grade Grade, reason string) (*FirmAssessment, error) {
	var p domain.Problems
	if !grade.Valid() {
		p.Add("grade", domain.FieldUnsupported, "is excellent, pass or fail")
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		p.Add("reason", domain.FieldRequired, "say why the grade changes")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	f, err := s.Store.One(ctx, id)
	if err != nil {
		return nil, err
	}
	f.Override, f.OverrideReason, f.OverriddenBy, f.UpdatedAt = grade, reason, a.UserID, s.Clock.Now()
	ok, err := s.Store.SetOverride(ctx, f)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.KindConflict, "assessment.changed", "The assessment changed meanwhile; reload it.")
	}
	if s.Audit != nil {
		if err := s.Audit.Audit(ctx, domain.AuditOf(a, f.UpdatedAt, "assessment.override", "assessment", f.ID, string(grade))); err != nil {
			return nil, err
		}
	}
	f.DismissalReview, err = s.review(ctx, f.FirmID)
	return f, err
}
