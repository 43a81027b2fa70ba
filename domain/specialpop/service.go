package specialpop

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Service keeps the register.
type Service struct {
	Tx       domain.TxRunner
	Store    Store
	Orgs     Orgs
	Orders   Orders
	Warnings Warnings
	Audit    domain.Auditor
	Clock    domain.Clock
	IDKey    []byte         // the HMAC key of ID numbers
	Loc      *time.Location // the deployment's zone, for patrol dates
}

// ResourceType is what work orders and audit lines call a person.
const ResourceType = "special_person"

var errNotFound = domain.Errorf(domain.KindNotFound, "special_person.not_found", "No such person.")

// NewPerson registers someone.
type NewPerson struct {
	AreaID         int64
	Kind           string
	Name           string
	IDNumber       string
	Address        string
	RiskLevel      string
	OfficerID      int64
	SocialWorkerID int64
	LegalStewardID int64
	VisitEveryDays int
	Note           string
}

var idNumber = regexp.MustCompile(`^\d{17}[\dXx]$`)

// Kinds lists the register's kinds, built-in first.
func (s *Service) Kinds(ctx context.Context) ([]Kind, error) { return s.Store.Kinds(ctx) }

var kindCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// AddKind adds a kind an admin names (a code of lower-case letters, digits
// and underscores, and a Chinese name).
func (s *Service) AddKind(ctx context.Context, a domain.Actor, code, name string) (*Kind, error) {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	var p domain.Problems
	if p.Require("code", code) && !kindCode.MatchString(code) {
		p.Add("code", domain.FieldInvalid, "lower-case letters, digits and underscores, 2 to 32")
	}
	if p.Require("name", name) && utf8.RuneCountInString(name) > 50 {
		p.Add("name", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	k := &Kind{Code: code, Name: name, CreatedAt: s.Clock.Now()}
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateKind(ctx, k); err != nil {
			if domain.IsKind(err, domain.KindConflict) {
				return domain.Errorf(domain.KindConflict, "special_kind.exists", "A kind with this code exists.")
			}
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, k.CreatedAt, "special_kind.create", "special_kind", 0, code))
	})
	return k, err
}

// Register puts a person on the area's register, under management, with
// the first contact due one plan period from now.
func (s *Service) Register(ctx context.Context, a domain.Actor, n NewPerson) (*Person, error) {
	n.Name, n.Address, n.Note, n.IDNumber = strings.TrimSpace(n.Name), strings.TrimSpace(n.Address), strings.TrimSpace(n.Note), strings.ToUpper(strings.TrimSpace(n.IDNumber))
	ar, err := s.VisibleArea(ctx, a, n.AreaID)
	if err != nil {
		return nil, err
	}
	var p domain.Problems
	if p.Require("name", n.Name) && utf8.RuneCountInString(n.Name) > 50 {
		p.Add("name", domain.FieldTooLong, "is too long")
	}
	if p.Require("id_number", n.IDNumber) && !idNumber.MatchString(n.IDNumber) {
		p.Add("id_number", domain.FieldInvalid, "is not a resident ID number")
	}
	if utf8.RuneCountInString(n.Address) > 200 {
		p.Add("address", domain.FieldTooLong, "is too long")
	}
	if utf8.RuneCountInString(n.Note) > 2000 {
		p.Add("note", domain.FieldTooLong, "is too long")
	}
	kinds, err := s.Store.Kinds(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(kinds, func(k Kind) bool { return k.Code == n.Kind }) {
		p.Add("kind", domain.FieldUnsupported, "is not a kind of the register")
	}
	if n.RiskLevel == "" {
		n.RiskLevel = RiskLow
	}
	if !validRisk(n.RiskLevel) {
		p.Add("risk_level", domain.FieldUnsupported, "must be low, medium or high")
	}
	if n.VisitEveryDays < 1 || n.VisitEveryDays > 366 {
		p.Add("visit_every_days", domain.FieldOutOfRange, "must be 1 to 366")
	}
	if err := s.checkPeople(ctx, &p, *ar, n.OfficerID, n.SocialWorkerID, n.LegalStewardID, true); err != nil {
		return nil, err
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	hash := s.hash(n.IDNumber)
	var out *Person
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		if _, found, err := s.Store.ActiveByIDHash(ctx, hash); err != nil {
			return err
		} else if found {
			return domain.Errorf(domain.KindConflict, "special_person.already_registered", "This person is already on a register.")
		}
		now := s.Clock.Now()
		pr := &Person{AreaID: ar.ID, Kind: n.Kind, Name: n.Name, IDNumberMasked: domain.MaskIDNumber(n.IDNumber), IDNumberHash: hash,
			Address: n.Address, RiskLevel: n.RiskLevel, OfficerID: n.OfficerID, SocialWorkerID: n.SocialWorkerID, LegalStewardID: n.LegalStewardID,
			VisitEveryDays: n.VisitEveryDays, State: Managed, Note: n.Note, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now, Version: 1}
		pr.plan(now)
		if err := s.Store.CreatePerson(ctx, pr); err != nil {
			return err
		}
		if err := s.Store.AddRecord(ctx, &Record{PersonID: pr.ID, AreaID: ar.ID, Type: RecRegistered, At: now, ActorID: a.UserID, ToState: Managed}); err != nil {
			return err
		}
		out = pr
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "special_person.register", ResourceType, pr.ID, n.Kind))
	})
	return out, err
}

// checkPeople: the officer works at the area's station, the social worker
// at its justice office, the 法律管家 at its legal-service office.
func (s *Service) checkPeople(ctx context.Context, p *domain.Problems, ar Area, officer, worker, steward int64, officerRequired bool) error {
	for _, c := range []struct {
		field  string
		user   int64
		office int64
	}{{"officer_id", officer, ar.StationID}, {"social_worker_id", worker, ar.JusticeOfficeID}, {"legal_steward_id", steward, ar.LegalServiceID}} {
		if c.user == 0 {
			if c.field == "officer_id" && officerRequired {
				p.Add(c.field, domain.FieldRequired, "is required")
			}
			continue
		}
		ok, err := s.worksAt(ctx, c.user, c.office)
		if err != nil {
			return err
		}
		if !ok {
			p.Add(c.field, domain.FieldDoesNotExist, "does not work at the area's office")
		}
	}
	return nil
}

func (s *Service) hash(id string) string {
	m := hmac.New(sha256.New, s.IDKey)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))
}

// visible loads a person of an area the actor works in; anyone else's is
// not found.
func (s *Service) visible(ctx context.Context, a domain.Actor, id int64) (*Person, *Area, error) {
	p, err := s.Store.Person(ctx, id)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, nil, errNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	ar, err := s.VisibleArea(ctx, a, p.AreaID)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, nil, errNotFound
	}
	return p, ar, err
}

// Profile is a person with their history.
type Profile struct {
	Person  Person
	Area    Area
	Records []Record
}

// Profile reads a person's file; every read is audited.
func (s *Service) Profile(ctx context.Context, a domain.Actor, id int64) (*Profile, error) {
	p, ar, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	recs, err := s.Store.Records(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "special_person.read", ResourceType, id, "")); err != nil {
		return nil, err
	}
	return &Profile{Person: *p, Area: *ar, Records: recs}, nil
}

// List pages the register of the actor's areas (one area when f.AreaIDs
// names it). A caller who works in no area (a citizen) finds nothing.
func (s *Service) List(ctx context.Context, a domain.Actor, f Filter) ([]Person, error) {
	if a.OrgID == 0 {
		return nil, errNotFound
	}
	ids, err := s.AreaIDs(ctx, a)
	if err != nil {
		return nil, err
	}
	if len(f.AreaIDs) > 0 {
		ids = slices.DeleteFunc(slices.Clone(f.AreaIDs), func(id int64) bool { return !slices.Contains(ids, id) })
	}
	if len(ids) == 0 {
		return nil, nil
	}
	f.AreaIDs = ids
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	people, err := s.Store.People(ctx, f)
	if err != nil || len(people) == 0 {
		return people, err
	}
	// The list shows names and masked numbers: its reads are audited too.
	return people, s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "special_person.list", "fusion_area", f.AreaIDs[0], strconv.Itoa(len(people))+" people"))
}

// change loads a visible person, lets fn change them and write records,
// and saves them with an audit line, in one transaction.
func (s *Service) change(ctx context.Context, a domain.Actor, id int64, action string, fn func(ctx context.Context, p *Person, ar *Area, now time.Time) error) (*Person, error) {
	var out *Person
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		p, ar, err := s.visible(ctx, a, id)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := fn(ctx, p, ar, now); err != nil {
			return err
		}
		p.UpdatedAt = now
		ok, err := s.Store.UpdatePerson(ctx, p)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindConflict, "special_person.changed", "The person's file changed meanwhile; reload it and try again.")
		}
		out = p
		return s.Audit.Audit(ctx, domain.AuditOf(a, now, "special_person."+action, ResourceType, id, ""))
	})
	return out, err
}

// NewVisit is a visit made (全程跟踪).
type NewVisit struct {
	At     time.Time // when; zero: now
	Method string
	Note   string
}

// RecordVisit writes a visit: the plan's next date moves on from it, a
// missed plan is made good, and the person's make-up and patrol orders end
// (special_person.visited).
func (s *Service) RecordVisit(ctx context.Context, a domain.Actor, id int64, v NewVisit) (*Person, error) {
	v.Note = strings.TrimSpace(v.Note)
	var p domain.Problems
	if !slices.Contains(visitMethods, v.Method) {
		p.Add("method", domain.FieldUnsupported, "must be home, phone, video or interview")
	}
	if p.Require("note", v.Note) && utf8.RuneCountInString(v.Note) > 2000 {
		p.Add("note", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, "visit", func(ctx context.Context, pr *Person, ar *Area, now time.Time) error {
		if !pr.State.Active() {
			return domain.Errorf(domain.KindFailedPrecondition, "special_person.inactive", "This person is no longer followed here.")
		}
		at := v.At
		if at.IsZero() || at.After(now) {
			at = now
		}
		if pr.LastContactAt == nil || at.After(*pr.LastContactAt) {
			pr.LastContactAt = &at
			pr.plan(at)
		}
		pr.OverdueSince = nil
		if err := s.Store.AddRecord(ctx, &Record{PersonID: pr.ID, AreaID: pr.AreaID, Type: RecVisit, At: at, ActorID: a.UserID, Method: v.Method, Note: v.Note}); err != nil {
			return err
		}
		_, err := s.Orders.Settle(ctx, a, workorder.CauseSpecialVisited, pr.ID)
		return err
	})
}

// RecordHelp writes help given (个性帮教: job referral, legal advice,
// counselling…).
func (s *Service) RecordHelp(ctx context.Context, a domain.Actor, id int64, note string) (*Person, error) {
	note = strings.TrimSpace(note)
	var p domain.Problems
	if p.Require("note", note) && utf8.RuneCountInString(note) > 2000 {
		p.Add("note", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, "help", func(ctx context.Context, pr *Person, _ *Area, now time.Time) error {
		if !pr.State.Active() {
			return domain.Errorf(domain.KindFailedPrecondition, "special_person.inactive", "This person is no longer followed here.")
		}
		return s.Store.AddRecord(ctx, &Record{PersonID: pr.ID, AreaID: pr.AreaID, Type: RecHelp, At: now, ActorID: a.UserID, Note: note})
	})
}

// Act moves a person through the state machine. Coming back under
// management restarts the plan from now; leaving it (re-offending,
// release) voids the person's open make-up and patrol orders.
func (s *Service) Act(ctx context.Context, a domain.Actor, id int64, action Action, note string) (*Person, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 2000 {
		return nil, domain.Invalid(domain.FieldError{Field: "note", Code: domain.FieldTooLong, Message: "is too long"})
	}
	return s.change(ctx, a, id, string(action), func(ctx context.Context, pr *Person, _ *Area, now time.Time) error {
		from := pr.State
		to, err := Next(from, action)
		if err != nil {
			return err
		}
		pr.State = to
		switch to {
		case Managed:
			pr.OverdueSince = nil
			pr.plan(now)
		case Reoffended, Released:
			if _, err := s.Orders.Settle(ctx, a, workorder.CauseSpecialLeft, pr.ID); err != nil {
				return err
			}
		}
		return s.Store.AddRecord(ctx, &Record{PersonID: pr.ID, AreaID: pr.AreaID, Type: RecState, At: now, ActorID: a.UserID, Note: note, FromState: from, ToState: to})
	})
}

// PlanChange changes the risk level, the plan or the people of a person;
// zero fields stay as they are.
type PlanChange struct {
	RiskLevel      string
	VisitEveryDays int
	OfficerID      int64
	SocialWorkerID int64
	LegalStewardID int64
}

// ChangePlan applies a plan change; a new period counts from the last
// contact (or the registration).
func (s *Service) ChangePlan(ctx context.Context, a domain.Actor, id int64, c PlanChange) (*Person, error) {
	return s.change(ctx, a, id, "plan", func(ctx context.Context, pr *Person, ar *Area, now time.Time) error {
		if !pr.State.Active() {
			return domain.Errorf(domain.KindFailedPrecondition, "special_person.inactive", "This person is no longer followed here.")
		}
		var p domain.Problems
		if c.RiskLevel != "" && !validRisk(c.RiskLevel) {
			p.Add("risk_level", domain.FieldUnsupported, "must be low, medium or high")
		}
		if c.VisitEveryDays != 0 && (c.VisitEveryDays < 1 || c.VisitEveryDays > 366) {
			p.Add("visit_every_days", domain.FieldOutOfRange, "must be 1 to 366")
		}
		if err := s.checkPeople(ctx, &p, *ar, c.OfficerID, c.SocialWorkerID, c.LegalStewardID, false); err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		if c.RiskLevel != "" {
			pr.RiskLevel = c.RiskLevel
		}
		if c.VisitEveryDays != 0 {
			pr.VisitEveryDays = c.VisitEveryDays
			from := pr.CreatedAt
			if pr.LastContactAt != nil {
				from = *pr.LastContactAt
			}
			pr.plan(from)
		}
		for _, x := range []struct {
			to  *int64
			new int64
		}{{&pr.OfficerID, c.OfficerID}, {&pr.SocialWorkerID, c.SocialWorkerID}, {&pr.LegalStewardID, c.LegalStewardID}} {
			if x.new != 0 {
				*x.to = x.new
			}
		}
		return s.Store.AddRecord(ctx, &Record{PersonID: pr.ID, AreaID: pr.AreaID, Type: RecPlan, At: now, ActorID: a.UserID,
			Note: "risk " + pr.RiskLevel + ", every " + itoa(int64(pr.VisitEveryDays)) + " days"})
	})
}

// Transfer is a move to another area (a new home): the new area's officer
// takes over, its social worker and 法律管家 when named.
type Transfer struct {
	ToAreaID       int64
	OfficerID      int64
	SocialWorkerID int64
	LegalStewardID int64
	Note           string
}

// TransferPerson moves a person to another area the actor also works in
// (a district's supervisor, or staff of both); the history stays with the
// person and a transfer line names both areas. Open orders at the old
// station end.
func (s *Service) TransferPerson(ctx context.Context, a domain.Actor, id int64, t Transfer) (*Person, error) {
	t.Note = strings.TrimSpace(t.Note)
	return s.change(ctx, a, id, "transfer", func(ctx context.Context, pr *Person, from *Area, now time.Time) error {
		if !pr.State.Active() {
			return domain.Errorf(domain.KindFailedPrecondition, "special_person.inactive", "This person is no longer followed here.")
		}
		to, err := s.VisibleArea(ctx, a, t.ToAreaID)
		if domain.IsKind(err, domain.KindNotFound) {
			return domain.Invalid(domain.FieldError{Field: "to_area_id", Code: domain.FieldDoesNotExist, Message: "is not an area you work in"})
		}
		if err != nil {
			return err
		}
		if to.ID == from.ID {
			return domain.Invalid(domain.FieldError{Field: "to_area_id", Code: domain.FieldInvalid, Message: "is the person's area"})
		}
		var p domain.Problems
		if err := s.checkPeople(ctx, &p, *to, t.OfficerID, t.SocialWorkerID, t.LegalStewardID, true); err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		if _, err := s.Orders.Settle(ctx, a, workorder.CauseSpecialLeft, pr.ID); err != nil {
			return err
		}
		pr.AreaID, pr.OfficerID, pr.SocialWorkerID, pr.LegalStewardID = to.ID, t.OfficerID, t.SocialWorkerID, t.LegalStewardID
		pr.OverdueSince = nil
		return s.Store.AddRecord(ctx, &Record{PersonID: pr.ID, AreaID: from.ID, Type: RecTransfer, At: now, ActorID: a.UserID, Note: t.Note,
			FromArea: from.ID, ToArea: to.ID})
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
