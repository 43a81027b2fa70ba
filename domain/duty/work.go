package duty

import (
	"context"
	"time"
)

// Work counts a lawyer's four duties (seed 000) in the attendance report:
// mediations (records written), legal consultations, legal education
// sessions and help with police matters.
type Work struct {
	Mediations, Consultations, EducationSessions, PoliceAssists int
}

func (w *Work) add(v Work) {
	w.Mediations += v.Mediations
	w.Consultations += v.Consultations
	w.EducationSessions += v.EducationSessions
	w.PoliceAssists += v.PoliceAssists
}

// WorkCounter counts each lawyer's duties over [from, to).
type WorkCounter interface {
	WorkByLawyer(ctx context.Context, from, to time.Time) (map[int64]Work, error)
}
