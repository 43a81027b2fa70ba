package incident

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Service runs incidents and the compensation calculator.
type Service struct {
	Tx       domain.TxRunner
	Store    Store
	People   People
	Scope    Scope
	Requests Requests
	Orders   Orders
	Guests   Guests // nil: nobody but the station's side and its workers reads an incident
	Audit    domain.Auditor
	Clock    domain.Clock
}

// NewIncident is what an officer records of a dispute call.
type NewIncident struct {
	StationID  int64
	CallNo     string
	CaseType   CaseType
	Summary    string
	Place      string
	OccurredAt time.Time
}

func text(p *domain.Problems, field, v string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		p.Add(field, domain.FieldRequired, "is required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, domain.FieldTooLong, fmt.Sprintf("is at most %d characters", max))
	}
	return v
}

func notFound() error {
	return domain.Errorf(domain.KindNotFound, "incident.not_found", "No such incident.")
}

// manages reports whether the actor runs the station's incidents: its
// officers, and supervisors and admins above it.
func (s *Service) manages(ctx context.Context, a domain.Actor, stationID int64) (bool, error) {
	if !a.Has("police", "supervisor", "admin") {
		return false, nil
	}
	stations, all, err := s.Scope.StationScope(ctx, a)
	return all || slices.Contains(stations, stationID), err
}

// visible loads an incident the actor may see: the station's side, or one
// of its legal workers. Anyone else (citizens included) is told it does not
// exist.
func (s *Service) visible(ctx context.Context, a domain.Actor, id int64) (*Incident, bool, error) {
	in, err := s.Store.Incident(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, false, notFound()
	}
	if err != nil {
		return nil, false, err
	}
	manage, works, err := s.works(ctx, a, in)
	if err != nil {
		return nil, false, err
	}
	if works {
		return in, manage, nil
	}
	if s.Guests != nil && a.UserID != 0 && !a.Has("citizen") {
		guest, err := s.Guests.Guest(ctx, a.UserID, in.ID)
		if err != nil {
			return nil, false, err
		}
		if guest {
			return in, false, nil
		}
	}
	return nil, false, notFound()
}

// works says whether a works the incident: its station's side (manage)
// or one of its legal workers. Guests read it and work nothing.
func (s *Service) works(ctx context.Context, a domain.Actor, in *Incident) (manage, works bool, err error) {
	if manage, err = s.manages(ctx, a, in.StationID); err != nil {
		return false, false, err
	}
	return manage, manage || a.Has("lawyer", "mediator") && in.Involved(a.UserID), nil
}

// MayWork answers nil when a works incident id (visible, but not to its
// guests: an invited expert does not bring in further experts), not found
// otherwise.
func (s *Service) MayWork(ctx context.Context, a domain.Actor, id int64) error {
	in, err := s.Store.Incident(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return notFound()
	}
	if err != nil {
		return err
	}
	if _, works, err := s.works(ctx, a, in); err != nil || works {
		return err
	}
	return notFound()
}

// Create records a dispute call at the officer's station.
func (s *Service) Create(ctx context.Context, a domain.Actor, n NewIncident) (*Incident, error) {
	var p domain.Problems
	n.CallNo = text(&p, "call_no", n.CallNo, false, 40)
	n.Summary = text(&p, "summary", n.Summary, true, 2000)
	n.Place = text(&p, "place", n.Place, false, 200)
	switch n.CaseType {
	case CaseCivil, CasePublicSecurity, CaseMinorCriminal:
	default:
		p.Add("case_type", domain.FieldUnsupported, "is civil, public_security or minor_criminal")
	}
	now := s.Clock.Now()
	if n.OccurredAt.IsZero() {
		p.Add("occurred_at", domain.FieldRequired, "is required")
	} else if n.OccurredAt.After(now.Add(5 * time.Minute)) {
		p.Add("occurred_at", domain.FieldOutOfRange, "is in the future")
	}
	if n.StationID <= 0 {
		p.Add("station_id", domain.FieldRequired, "is required")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if ok, err := s.manages(ctx, a, n.StationID); err != nil {
		return nil, err
	} else if !ok {
		return nil, domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldDoesNotExist, Message: "is not a station of yours"})
	}
	in := &Incident{StationID: n.StationID, OfficerID: a.UserID, CallNo: n.CallNo, CaseType: n.CaseType, Summary: n.Summary, Place: n.Place,
		OccurredAt: n.OccurredAt.UTC(), State: Open, CreatedAt: now, UpdatedAt: now, Version: 1}
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateIncident(ctx, in); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "incident.create", "incident", in.ID, string(in.CaseType)))
	})
	return in, err
}

// View is an incident with its calculations.
type View struct {
	Incident
	Calculations []Calculation
}

// Get is an incident the actor may see, with its calculations.
func (s *Service) Get(ctx context.Context, a domain.Actor, id int64) (*View, error) {
	in, _, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	calcs, err := s.Store.Calculations(ctx, id)
	if err != nil {
		return nil, err
	}
	return &View{Incident: *in, Calculations: calcs}, nil
}

// List pages the incidents of the actor's stations (officers, supervisors)
// or those they were brought into (legal workers), newest first.
func (s *Service) List(ctx context.Context, a domain.Actor, f Filter) ([]Incident, error) {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	if f.State != "" && !slices.Contains(States, f.State) {
		return nil, domain.Invalid(domain.FieldError{Field: "state", Code: domain.FieldUnsupported, Message: "is not an incident state"})
	}
	f.StationIDs, f.WorkerID = nil, 0
	switch {
	case a.Has("police", "supervisor", "admin"):
		stations, all, err := s.Scope.StationScope(ctx, a)
		if err != nil {
			return nil, err
		}
		if !all {
			if len(stations) == 0 {
				return nil, nil
			}
			f.StationIDs = stations
		}
	case a.Has("lawyer", "mediator"):
		f.WorkerID = a.UserID
	default:
		return nil, nil
	}
	return s.Store.Incidents(ctx, f)
}

// act loads an incident the actor manages, checks the action against the
// state machine, lets fn change it and writes it with an audit line, in one
// transaction.
func (s *Service) act(ctx context.Context, a domain.Actor, id int64, action Action, managerOnly bool,
	fn func(ctx context.Context, in *Incident, now time.Time) error) (*Incident, error) {
	var out *Incident
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		in, manage, err := s.visible(ctx, a, id)
		if err != nil {
			return err
		}
		if managerOnly && !manage {
			return domain.Errorf(domain.KindForbidden, "incident.station_only", "Only the station's officers and their supervisors can do this.")
		}
		to, err := Next(in.State, action)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := fn(ctx, in, now); err != nil {
			return err
		}
		in.State, in.UpdatedAt = to, now
		ok, err := s.Store.UpdateIncident(ctx, in)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "incident.changed", "The incident changed meanwhile; reload it and try again.")
		}
		out = in
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "incident."+string(action), "incident", in.ID, string(to)))
	})
	return out, err
}

// BringIn brings a justice officer or legal-service worker serving the
// incident's station into it: they get a work order addressed to them.
func (s *Service) BringIn(ctx context.Context, a domain.Actor, id, workerID int64) (*Incident, error) {
	if workerID <= 0 {
		return nil, domain.Invalid(domain.FieldError{Field: "worker_id", Code: domain.FieldRequired, Message: "is required"})
	}
	return s.act(ctx, a, id, ActBringIn, true, func(ctx context.Context, in *Incident, now time.Time) error {
		p, err := s.People.Person(ctx, workerID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		notWorker := domain.Invalid(domain.FieldError{Field: "worker_id", Code: domain.FieldDoesNotExist,
			Message: "is not a justice officer or legal-service worker serving this station"})
		if err != nil || p.Disabled || !slices.Contains(p.StationIDs, in.StationID) {
			return notWorker
		}
		var role WorkerRole
		switch {
		case slices.Contains(p.Roles, "mediator"):
			role = JusticeOfficer
		case slices.Contains(p.Roles, "lawyer"):
			role = LegalServiceWorker
		default:
			return notWorker
		}
		if in.Involved(workerID) {
			return domain.Errorf(domain.KindConflict, "incident.worker_already_in", "This legal worker is already on the incident.")
		}
		w := Worker{UserID: p.ID, OrgID: p.OrgID, Name: p.Name, Role: role, InvitedBy: a.UserID, InvitedAt: now}
		if err := s.Store.AddWorker(ctx, in.ID, w); err != nil {
			return err
		}
		in.Workers = append(in.Workers, w)
		return s.Orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindIncidentAssist, UnitID: p.OrgID, PersonID: p.ID, Priority: 1,
			Title: "警情纠纷协助处置：" + clipRunes(in.Summary, 60), ResourceType: "incident", ResourceID: in.ID,
			DedupeKey: fmt.Sprintf("incident:%d:worker:%d", in.ID, p.ID)})
	})
}

// RecordPart is the legal worker's part: how they judge the facts and the
// nature of the matter, what they advised. It finishes their work order.
func (s *Service) RecordPart(ctx context.Context, a domain.Actor, id int64, opinion string) (*Incident, error) {
	var p domain.Problems
	opinion = text(&p, "opinion", opinion, true, 4000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.act(ctx, a, id, ActAssist, false, func(ctx context.Context, in *Incident, now time.Time) error {
		var others []int64
		idx := -1
		for i, w := range in.Workers {
			if w.UserID == a.UserID {
				idx = i
			} else {
				others = append(others, w.UserID)
			}
		}
		if idx < 0 {
			return domain.Errorf(domain.KindForbidden, "incident.not_a_worker", "Only a legal worker brought into the incident can record their part.")
		}
		w := &in.Workers[idx]
		w.Opinion, w.AssistedAt = opinion, &now
		if err := s.Store.SaveWorkerPart(ctx, in.ID, *w); err != nil {
			return err
		}
		_, err := s.Orders.Settle(ctx, a, workorder.CauseIncidentAssisted, in.ID, others...)
		return err
	})
}

// Ending is how an incident ends.
type Ending struct {
	Action    Action // ActResolve, ActRefer or ActClose
	Outcome   string
	RequestID int64 // ActRefer: the mediation case it became, at the same station
}

// End resolves, refers or closes an incident; the legal workers' open
// orders are void from then on.
func (s *Service) End(ctx context.Context, a domain.Actor, id int64, e Ending) (*Incident, error) {
	var p domain.Problems
	e.Outcome = text(&p, "outcome", e.Outcome, true, 1000)
	switch e.Action {
	case ActRefer:
		if e.RequestID <= 0 {
			p.Add("request_id", domain.FieldRequired, "names the mediation case the incident became")
		}
	case ActResolve, ActClose:
		if e.RequestID != 0 {
			p.Add("request_id", domain.FieldNotAllowed, "is only for a referral")
		}
	default:
		return nil, domain.Invalid(domain.FieldError{Field: "action", Code: domain.FieldUnsupported, Message: "is resolve, refer or close"})
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.act(ctx, a, id, e.Action, true, func(ctx context.Context, in *Incident, now time.Time) error {
		if e.Action == ActRefer {
			station, err := s.Requests.StationOfRequest(ctx, e.RequestID)
			if err != nil && !domain.IsKind(err, domain.KindNotFound) {
				return err
			}
			if err != nil || station != in.StationID {
				return domain.Invalid(domain.FieldError{Field: "request_id", Code: domain.FieldDoesNotExist, Message: "is not a mediation case of this station"})
			}
			in.RequestID = e.RequestID
		}
		in.Outcome = e.Outcome
		_, err := s.Orders.Settle(ctx, a, workorder.CauseIncidentEnded, in.ID)
		return err
	})
}

// Calculate runs the compensation calculator for the incident with the
// standard of the input's province and year and keeps the calculation,
// inputs and items, on the incident. The station's side and its legal
// workers may.
func (s *Service) Calculate(ctx context.Context, a domain.Actor, id int64, input Input, note string) (*Calculation, error) {
	var p domain.Problems
	note = text(&p, "note", note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := input.Validate(); err != nil {
		return nil, err
	}
	var out *Calculation
	_, err := s.act(ctx, a, id, ActCalculate, false, func(ctx context.Context, in *Incident, now time.Time) error {
		if manage, err := s.manages(ctx, a, in.StationID); err != nil {
			return err
		} else if !manage && !in.Involved(a.UserID) {
			return domain.Errorf(domain.KindForbidden, "incident.station_only", "Only the station's officers and their supervisors can do this.")
		}
		st, err := s.Store.StandardFor(ctx, input.Province, input.Year)
		if domain.IsKind(err, domain.KindNotFound) {
			return domain.Invalid(domain.FieldError{Field: "year", Code: domain.FieldDoesNotExist, Message: "has no compensation standard for this province"})
		}
		if err != nil {
			return err
		}
		res, err := Calculate(*st, input)
		if err != nil {
			return err
		}
		c := &Calculation{IncidentID: in.ID, StandardID: st.ID, Sample: st.Sample, Input: input, Result: res, Note: note, CreatedBy: a.UserID, CreatedAt: now}
		if err := s.Store.AddCalculation(ctx, c); err != nil {
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// Preview runs the calculator without keeping anything.
func (s *Service) Preview(ctx context.Context, input Input) (*Standard, Result, error) {
	if err := input.Validate(); err != nil {
		return nil, Result{}, err
	}
	st, err := s.Store.StandardFor(ctx, input.Province, input.Year)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, Result{}, domain.Invalid(domain.FieldError{Field: "year", Code: domain.FieldDoesNotExist, Message: "has no compensation standard for this province"})
	}
	if err != nil {
		return nil, Result{}, err
	}
	res, err := Calculate(*st, input)
	return st, res, err
}

// Counts are the statistics of the incidents in the actor's stations.
func (s *Service) Counts(ctx context.Context, a domain.Actor, from, to time.Time) (Counts, error) {
	stations, all, err := s.Scope.StationScope(ctx, a)
	if err != nil {
		return Counts{}, err
	}
	if all {
		stations = nil
	} else if len(stations) == 0 {
		return Counts{}, nil
	}
	return s.Store.Counts(ctx, stations, from, to)
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
