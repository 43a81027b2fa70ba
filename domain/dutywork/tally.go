package dutywork

import (
	"context"
	"time"
)

// Tally counts a group's duty work: each duty's records, the audience of
// the education sessions and the time spent.
type Tally struct {
	Mediations         int // mediation records written (cases, from domain/mediation)
	Consultations      int
	EducationSessions  int
	EducationAttendees int
	PoliceAssists      int
	Minutes            int // of the three duties recorded here
}

// Add counts one record.
func (t *Tally) Add(r Record) {
	switch r.Kind {
	case Consultation:
		t.Consultations++
	case Education:
		t.EducationSessions++
		t.EducationAttendees += r.Attendees
	case PoliceAssist:
		t.PoliceAssists++
	}
	t.Minutes += r.Minutes
}

// Of is the count of one duty.
func (t Tally) Of(k Kind) int {
	switch k {
	case Mediation:
		return t.Mediations
	case Consultation:
		return t.Consultations
	case Education:
		return t.EducationSessions
	case PoliceAssist:
		return t.PoliceAssists
	}
	return 0
}

// WorkStore reads the records done in a window without their text, and the
// mediation records the lawyers wrote, for counting.
type WorkStore interface {
	// Work is the records with At in [from, to) at stations (nil: every
	// station), Topic, Person and Summary left empty.
	Work(ctx context.Context, stations []int64, from, to time.Time) ([]Record, error)
	// MediationRecords counts, per author, the mediation records created
	// in [from, to).
	MediationRecords(ctx context.Context, from, to time.Time) (map[int64]int, error)
}

// Counter tallies duty work per lawyer, per firm and per station.
type Counter struct{ Store WorkStore }

// ByLawyer is each lawyer's four duties over [from, to).
func (c Counter) ByLawyer(ctx context.Context, from, to time.Time) (map[int64]Tally, error) {
	return c.by(ctx, from, to, func(r Record) int64 { return r.LawyerID }, func(id int64) int64 { return id })
}

// ByFirm is each firm's four duties over [from, to); firmOf maps a
// mediation record's author to their firm.
func (c Counter) ByFirm(ctx context.Context, from, to time.Time, firmOf func(lawyerID int64) int64) (map[int64]Tally, error) {
	return c.by(ctx, from, to, func(r Record) int64 { return r.FirmID }, firmOf)
}

func (c Counter) by(ctx context.Context, from, to time.Time, key func(Record) int64, authorKey func(int64) int64) (map[int64]Tally, error) {
	recs, err := c.Store.Work(ctx, nil, from, to)
	if err != nil {
		return nil, err
	}
	out := map[int64]Tally{}
	for _, r := range recs {
		t := out[key(r)]
		t.Add(r)
		out[key(r)] = t
	}
	meds, err := c.Store.MediationRecords(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for author, n := range meds {
		if k := authorKey(author); k != 0 {
			t := out[k]
			t.Mediations += n
			out[k] = t
		}
	}
	delete(out, 0)
	return out, nil
}
