package main

import (
	"context"
	"slices"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/assessment"
	"github.com/tiaojie/tiaojie/domain/casereview"
	"github.com/tiaojie/tiaojie/domain/duty"
	"github.com/tiaojie/tiaojie/domain/dutywork"
	"github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/domain/stats"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/storage"
)

// dutyWorkPeople answers the duty-work area's questions from accounts.
type dutyWorkPeople struct{ *account.Service }

func (p dutyWorkPeople) Serves(ctx context.Context, lawyerID, stationID int64) (int64, bool, error) {
	u, err := p.Users.User(ctx, lawyerID)
	if err != nil {
		return 0, false, err
	}
	return u.FirmID, slices.Contains(u.StationIDs, stationID), nil
}

func (p dutyWorkPeople) IsOfficerAt(ctx context.Context, userID, stationID int64) (bool, error) {
	u, err := p.Users.User(ctx, userID)
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil && !u.Disabled && u.Has(account.RolePolice) && u.OrgID == stationID, err
}

// dutyWorkCounts feeds the attendance report and the firms' assessment
// from the duty records.
type dutyWorkCounts struct{ dutywork.Counter }

func (c dutyWorkCounts) WorkByLawyer(ctx context.Context, from, to time.Time) (map[int64]duty.Work, error) {
	byLawyer, err := c.ByLawyer(ctx, from, to)
	out := map[int64]duty.Work{}
	for id, t := range byLawyer {
		out[id] = duty.Work{Mediations: t.Mediations, Consultations: t.Consultations, EducationSessions: t.EducationSessions, PoliceAssists: t.PoliceAssists}
	}
	return out, err
}

// DutyWork counts each firm's three other duties (mediation is the
// assessment's cases).
func (c dutyWorkCounts) DutyWork(ctx context.Context, from, to time.Time) (map[int64]assessment.DutyCounts, error) {
	byFirm, err := c.ByFirm(ctx, from, to, func(int64) int64 { return 0 })
	out := map[int64]assessment.DutyCounts{}
	for id, t := range byFirm {
		out[id] = assessment.DutyCounts{Consultations: t.Consultations, EducationSessions: t.EducationSessions, PoliceAssists: t.PoliceAssists}
	}
	return out, err
}

// buildDutyWork wires the four duties: the records' service, and their
// counts into statistics, attendance and the assessment.
func (a *application) buildDutyWork(acc *account.Service, audit domain.Auditor, files *storage.Local, st *stats.Service, d *duty.Service,
	as *assessment.Service) *dutywork.Service {
	store := mysql.NewDutyWorkStore(a.db)
	counts := dutyWorkCounts{dutywork.Counter{Store: store}}
	st.Duties, d.Work, as.Duties = store, counts, counts
	as.Difficulties, as.Sight, as.Tx = mysql.NewAssessmentStore(a.db), dutyPeople{acc}, a.db
	return &dutywork.Service{Store: store, Files: files, People: dutyWorkPeople{acc}, Tx: a.db, Idem: mysql.NewIdempotencyStore(a.db), Audit: audit,
		Clock: systemClock, MaxPhoto: int64(a.cfg.MaxAttachmentBytes)}
}

// reviewCases shows the case review library the mediation area's cases.
type reviewCases struct{ store *mysql.MediationStore }

func (c reviewCases) CaseFacts(ctx context.Context, id int64) (*casereview.Facts, error) {
	r, err := c.store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	f := &casereview.Facts{Case: casereview.Case{RequestID: r.ID, StationID: r.Filing.StationID, Kind: string(r.Filing.Kind), Category: r.Filing.Category,
		Classification: string(r.Classification), Outcome: string(r.Outcome), FiledAt: r.CreatedAt, ClosedAt: r.ClosedAt, Description: r.Filing.Description,
		Sessions: []casereview.Session{}}, Concluded: r.Outcome != "", Names: []string{r.Filer.Name}}
	for _, p := range r.Filing.Parties {
		f.Names = append(f.Names, p.Name)
	}
	rec, err := c.store.RecordOfRequest(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	for _, s := range rec.Sessions {
		f.Sessions = append(f.Sessions, casereview.Session{HeldAt: s.HeldAt, Summary: s.Summary})
		f.Names = append(f.Names, s.Attendees...)
	}
	if rec.Agreement != nil {
		f.AgreementTerms, f.AmountFen = rec.Agreement.Terms, rec.Agreement.AmountFen
	}
	return f, nil
}

func (c reviewCases) IsCategory(ctx context.Context, code string) (bool, error) {
	cats, err := c.store.Categories(ctx)
	return slices.ContainsFunc(cats, func(x mediation.Category) bool { return x.Code == code }), err
}

func (a *application) buildCaseReview(acc *account.Service, med *mysql.MediationStore, audit domain.Auditor) *casereview.Service {
	return &casereview.Service{Store: mysql.NewCaseReviewStore(a.db), Cases: reviewCases{med}, Units: acc, Tx: a.db, Audit: audit, Clock: systemClock}
}
