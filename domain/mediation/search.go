package mediation

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Search is custom search (自定义检索) over requests and cases. Every field
// narrows the result; the empty Search finds what the request list shows.
// PartyName matches the start of a party's or the filer's name, PartyPhone
// a party's or the filer's number exactly (an index lookup on both tables,
// never a scan of phone numbers), Place any part of the place (area or
// community: a scan, but only of the caller's stations and the date range).
type Search struct {
	PartyName      string
	PartyPhone     string
	Place          string
	Category       string
	Tag            string
	Classification Classification
	Status         Status
	StationID      int64
	LeadID         int64
	From, To       time.Time // filed in [From, To); zero is open
}

// MaxExportRows bounds one CSV export; a search with more asks for
// narrower filters rather than a file nobody reads.
const MaxExportRows = 5000

// Validate checks a search and reports every bad field at once.
func (q *Search) Validate() error {
	q.PartyName, q.PartyPhone, q.Place = strings.TrimSpace(q.PartyName), strings.TrimSpace(q.PartyPhone), strings.TrimSpace(q.Place)
	q.Category, q.Tag = strings.TrimSpace(q.Category), strings.TrimSpace(q.Tag)
	var p domain.Problems
	if utf8.RuneCountInString(q.PartyName) > MaxNameRunes {
		p.Add("party_name", domain.FieldTooLong, "is too long")
	}
	if q.PartyPhone != "" && !mobile.MatchString(q.PartyPhone) {
		p.Add("party_phone", domain.FieldInvalid, "must be an 11-digit mobile number")
	}
	if utf8.RuneCountInString(q.Place) > MaxPlaceRunes {
		p.Add("place", domain.FieldTooLong, "is too long")
	}
	if len(q.Category) > 32 {
		p.Add("category", domain.FieldTooLong, "is too long")
	}
	if q.Tag != "" {
		if _, err := ParseTag("tag", q.Tag); err != nil {
			p.Add("tag", domain.FieldInvalid, "is not a tag")
		}
	}
	if q.Classification != "" && !q.Classification.Valid() {
		p.Add("classification", domain.FieldUnsupported, "is not a classification")
	}
	if q.Status != "" && !q.Status.Valid() {
		p.Add("status", domain.FieldUnsupported, "is not a request status")
	}
	if q.StationID < 0 {
		p.Add("station_id", domain.FieldInvalid, "is not an ID")
	}
	if q.LeadID < 0 {
		p.Add("lead_id", domain.FieldInvalid, "is not an ID")
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		p.Add("to", domain.FieldOutOfRange, "comes after from")
	}
	return p.Err()
}

// auditDetail names the filters of a search for the audit log, the phone
// masked: the log says what was looked for without becoming a phone book.
func (q Search) auditDetail() string {
	var b []string
	add := func(k, v string) {
		if v != "" {
			b = append(b, k+"="+v)
		}
	}
	add("party_name", q.PartyName)
	if q.PartyPhone != "" {
		add("party_phone", domain.MaskPhone(q.PartyPhone))
	}
	add("place", q.Place)
	add("category", q.Category)
	add("tag", q.Tag)
	add("classification", string(q.Classification))
	add("status", string(q.Status))
	if q.StationID != 0 {
		add("station_id", strconv.FormatInt(q.StationID, 10))
	}
	if q.LeadID != 0 {
		add("lead_id", strconv.FormatInt(q.LeadID, 10))
	}
	if !q.From.IsZero() {
		add("from", q.From.UTC().Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		add("to", q.To.UTC().Format(time.RFC3339))
	}
	return strings.Join(b, " ")
}

// staffFilter is the scope of the request list for a staff actor: lawyers
// and mediators see the cases they lead, assist or were chosen for; police
// and supervisors the requests of their stations. none is true when the
// actor sees no station at all.
func (s *Service) staffFilter(ctx context.Context, a domain.Actor) (f StaffFilter, none bool, err error) {
	if firm, ok, err := s.firmView(ctx, a); err != nil {
		return f, false, err
	} else if ok {
		f.FirmID = firm
		return f, false, nil
	}
	if a.Has(RoleLawyer, RoleMediator) && !a.Has(RolePolice, RoleSupervisor, RoleAdmin) {
		f.PersonID = a.UserID
		return f, false, nil
	}
	stations, all, err := s.Directory.StationScope(ctx, a)
	if err != nil {
		return f, false, err
	}
	if !all {
		if len(stations) == 0 {
			return f, true, nil
		}
		f.StationIDs = stations
	}
	return f, false, nil
}

// SearchRequests pages the requests matching q among those the actor's
// request list holds. Staff only; every search is audited, for it reads
// personal data.
func (s *Service) SearchRequests(ctx context.Context, a domain.Actor, q Search, p Page) ([]Request, error) {
	if p.Limit <= 0 || p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	out, err := s.search(ctx, a, q, p, "request.search")
	return out, err
}

// ExportRequests answers every request matching q (at most MaxExportRows,
// newest first) for a CSV file; a larger result is refused.
func (s *Service) ExportRequests(ctx context.Context, a domain.Actor, q Search) ([]Request, error) {
	out, err := s.search(ctx, a, q, Page{Limit: MaxExportRows + 1}, "request.export")
	if err != nil {
		return nil, err
	}
	if len(out) > MaxExportRows {
		return nil, domain.Errorf(domain.KindFailedPrecondition, "search.too_many_rows",
			"More than %d requests match; narrow the search before exporting.", MaxExportRows)
	}
	return out, nil
}

func (s *Service) search(ctx context.Context, a domain.Actor, q Search, p Page, action string) ([]Request, error) {
	if a.Has(RoleCitizen) || !a.Has(RoleLawyer, RoleMediator, RolePolice, RoleSupervisor, RoleAdmin) {
		return nil, domain.Errorf(domain.KindForbidden, "search.staff_only", "Only staff search requests.")
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	f, none, err := s.staffFilter(ctx, a)
	if err != nil {
		return nil, err
	}
	// The search is audited even when it finds nothing: looking for a
	// person is itself the fact worth keeping.
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), action, "request", 0, q.auditDetail())); err != nil {
		return nil, err
	}
	if none {
		return nil, nil
	}
	f.Page, f.Search = p, &q
	if q.Status != "" {
		f.Statuses = []Status{q.Status}
	}
	return s.Requests.RequestsForStaff(ctx, f)
}
