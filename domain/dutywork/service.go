package dutywork

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Input is what a lawyer sends to record a piece of duty work.
type Input struct {
	Kind      Kind
	StationID int64
	At        time.Time // zero: now
	Minutes   int
	Topic     string
	Person    string
	Summary   string
	Place     string
	Audience  string
	Attendees int
	OfficerID int64
}

func text(p *domain.Problems, field, v string, required bool, max int) {
	switch {
	case required && v == "":
		p.Add(field, domain.FieldRequired, "is required")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, domain.FieldTooLong, "is at most "+strconv.Itoa(max)+" characters")
	}
}

func notFor(p *domain.Problems, field string, set bool, k Kind) {
	if set {
		p.Add(field, domain.FieldNotAllowed, "does not belong to a "+string(k)+" record")
	}
}

// validate checks the fields each duty needs: who asked, the question and
// the answer for a consultation; place, audience, subject and head count
// for an education session; the matter and the officer for police help.
func (in *Input) validate(now time.Time) error {
	for _, s := range []*string{&in.Topic, &in.Person, &in.Summary, &in.Place, &in.Audience} {
		*s = strings.TrimSpace(*s)
	}
	var p domain.Problems
	if in.StationID <= 0 {
		p.Add("station_id", domain.FieldRequired, "is required")
	}
	if in.Minutes < 1 || in.Minutes > 24*60 {
		p.Add("minutes", domain.FieldOutOfRange, "is 1 to 1440")
	}
	if !in.At.IsZero() && (in.At.After(now.Add(5*time.Minute)) || in.At.Before(now.AddDate(0, 0, -31))) {
		p.Add("at", domain.FieldOutOfRange, "is within the last 31 days, not in the future")
	}
	switch in.Kind {
	case Consultation:
		text(&p, "person", in.Person, true, 50)
		text(&p, "topic", in.Topic, true, 200)
		text(&p, "summary", in.Summary, true, 2000)
		notFor(&p, "place", in.Place != "", in.Kind)
		notFor(&p, "audience", in.Audience != "", in.Kind)
		notFor(&p, "attendees", in.Attendees != 0, in.Kind)
		notFor(&p, "officer_id", in.OfficerID != 0, in.Kind)
	case Education:
		text(&p, "place", in.Place, true, 200)
		text(&p, "audience", in.Audience, true, 200)
		text(&p, "topic", in.Topic, true, 200)
		text(&p, "summary", in.Summary, false, 2000)
		if in.Attendees < 1 || in.Attendees > 100000 {
			p.Add("attendees", domain.FieldOutOfRange, "is 1 to 100000")
		}
		notFor(&p, "person", in.Person != "", in.Kind)
		notFor(&p, "officer_id", in.OfficerID != 0, in.Kind)
	case PoliceAssist:
		text(&p, "topic", in.Topic, true, 200)
		text(&p, "summary", in.Summary, false, 2000)
		if in.OfficerID <= 0 {
			p.Add("officer_id", domain.FieldRequired, "is the officer helped")
		}
		notFor(&p, "person", in.Person != "", in.Kind)
		notFor(&p, "place", in.Place != "", in.Kind)
		notFor(&p, "audience", in.Audience != "", in.Kind)
		notFor(&p, "attendees", in.Attendees != 0, in.Kind)
	case "":
		p.Add("kind", domain.FieldRequired, "is required")
	default:
		p.Add("kind", domain.FieldUnsupported, "is consultation, education or police_assist")
	}
	return p.Err()
}

// Record keeps a piece of duty work of the calling lawyer at a station they
// serve; a retry with the same Idempotency-Key answers the first record.
func (s *Service) Record(ctx context.Context, a domain.Actor, in Input, idemKey string) (*Record, bool, error) {
	if !a.Has("lawyer", "mediator") {
		return nil, false, domain.Errorf(domain.KindForbidden, "duty_work.lawyers_only", "Only stationed lawyers and mediators record duty work.")
	}
	if err := domain.ValidIdempotencyKey(idemKey); err != nil {
		return nil, false, err
	}
	now := s.Clock.Now()
	if err := in.validate(now); err != nil {
		return nil, false, err
	}
	firm, ok, err := s.People.Serves(ctx, a.UserID, in.StationID)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		return nil, false, domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldInvalid, Message: "is not a station you serve"})
	}
	if in.Kind == PoliceAssist {
		if ok, err := s.People.IsOfficerAt(ctx, in.OfficerID, in.StationID); err != nil {
			return nil, false, err
		} else if !ok {
			return nil, false, domain.Invalid(domain.FieldError{Field: "officer_id", Code: domain.FieldDoesNotExist, Message: "is not an officer of the station"})
		}
	}
	at := in.At
	if at.IsZero() {
		at = now
	}
	r := &Record{Kind: in.Kind, LawyerID: a.UserID, FirmID: firm, StationID: in.StationID, At: at.UTC(), Minutes: in.Minutes, Topic: in.Topic,
		Person: in.Person, Summary: in.Summary, Place: in.Place, Audience: in.Audience, Attendees: in.Attendees, OfficerID: in.OfficerID, CreatedAt: now}
	id, created, err := domain.Idempotent(ctx, s.Tx, s.Idem, s.Clock, "user:"+strconv.FormatInt(a.UserID, 10), idemKey, domain.RequestHash(in), "duty_work",
		func(ctx context.Context) (int64, error) {
			if err := s.Store.CreateRecord(ctx, r); err != nil {
				return 0, err
			}
			return r.ID, s.Audit.Audit(ctx, domain.AuditOf(a, now, "duty_work.record", "duty_work", r.ID, string(r.Kind)))
		})
	if err != nil {
		return nil, false, err
	}
	if !created {
		r, err = s.Store.Record(ctx, id)
	}
	return r, created, err
}

// readerScope narrows a filter to what the actor may read: supervisors,
// admins and police their stations; a firm's head their firm; a lawyer or
// mediator their own records.
func (s *Service) readerScope(ctx context.Context, a domain.Actor, f *Filter) (none bool, err error) {
	switch {
	case a.Has("supervisor", "admin", "police"):
		stations, all, err := s.People.StationScope(ctx, a)
		if err != nil || all {
			return false, err
		}
		if len(f.Stations) > 0 {
			var keep []int64
			for _, st := range f.Stations {
				if slices.Contains(stations, st) {
					keep = append(keep, st)
				}
			}
			stations = keep
		}
		f.Stations = stations
		return len(stations) == 0, nil
	case a.Has("firm_head"):
		firm, _, err := s.People.FirmScope(ctx, a)
		if err != nil {
			return false, err
		}
		if f.FirmID != 0 && f.FirmID != firm {
			return false, domain.Errorf(domain.KindForbidden, "firm.not_yours", "You see the figures of your own law firm only.")
		}
		f.FirmID = firm
		return false, nil
	case a.Has("lawyer", "mediator"):
		if f.LawyerID != 0 && f.LawyerID != a.UserID {
			return true, nil
		}
		f.LawyerID = a.UserID
		return false, nil
	}
	return false, domain.Errorf(domain.KindForbidden, "auth.role_forbidden", "Your role may not do this.")
}

// List pages the duty records the actor may read, newest first; the read is
// audited, for consultations name the people who asked.
func (s *Service) List(ctx context.Context, a domain.Actor, f Filter) ([]Record, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, domain.Invalid(domain.FieldError{Field: "kind", Code: domain.FieldUnsupported, Message: "is consultation, education or police_assist"})
	}
	none, err := s.readerScope(ctx, a, &f)
	if err != nil || none {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	list, err := s.Store.Records(ctx, f)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	return list, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "duty_work.list", "duty_work", ids))
}

// Get is one record the actor may read; any other is not found.
func (s *Service) Get(ctx context.Context, a domain.Actor, id int64) (*Record, error) {
	r, err := s.readable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return r, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "duty_work.read", "duty_work", id, ""))
}

func (s *Service) readable(ctx context.Context, a domain.Actor, id int64) (*Record, error) {
	notFound := domain.Errorf(domain.KindNotFound, "duty_work.not_found", "No such duty record.")
	r, err := s.Store.Record(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	var f Filter
	none, err := s.readerScope(ctx, a, &f)
	if err != nil && !domain.IsKind(err, domain.KindForbidden) {
		return nil, err
	}
	switch {
	case err != nil || none:
		return nil, notFound
	case f.LawyerID != 0 && r.LawyerID != f.LawyerID,
		f.FirmID != 0 && r.FirmID != f.FirmID,
		f.Stations != nil && !slices.Contains(f.Stations, r.StationID):
		return nil, notFound
	}
	return r, nil
}
