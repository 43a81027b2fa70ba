package mediation

import (
	"context"
	"slices"
	"strconv"

	"github.com/tiaojie/tiaojie/domain"
)

// Roles as the mediation rules name them (the identity area defines them).
const (
	RoleCitizen    = "citizen"
	RoleLawyer     = "lawyer"
	RoleMediator   = "mediator"
	RolePolice     = "police"
	RoleSupervisor = "supervisor"
	RoleAdmin      = "admin"
	RoleDetention  = "detention_staff"
)

// MaxPageSize caps every list.
const MaxPageSize = 100

// Service holds the rules of requests and cases.
type Service struct {
	Tx          domain.TxRunner
	Requests    RequestStore
	Records     RecordStore
	Idempotency domain.IdempotencyStore
	Directory   Directory
	Orders      WorkOrders
	Detainees   Detainees // nil: filings on a detainee's behalf are refused
	Signals     Signals
	Audit       domain.Auditor
	Clock       domain.Clock
	Attachments AttachmentStore
	Files       FileStorage
	Rooms       RoomStore
	Notices     Notices // the filer's inbox; nil sends no notices
	// Visits says who works the centre of a remote visit's booking; nil
	// lets only the visit room's own hosts review its recordings.
	Visits VisitStaff
	// LiveRooms ends the live video rooms of a case the moment it stops
	// being mediated (the SFU of this instance); nil leaves it to the next
	// token or join, and to the SFU's own recheck.
	LiveRooms LiveRooms
	// People and Invitations let hosts invite more people into a room
	// (invitation.go); nil turns invitations off.
	People          RoomPeople
	InvitationStore InvitationStore
	Firms           Firms // the law-firm view of firm heads; nil gives none
	// Confirmations and Courts carry judicial confirmation (司法确认).
	Confirmations ConfirmationStore
	Courts        Courts
	Tags          TagStore
	DVHistory     DVHistory // nil: filings are read for DV keywords only
	// Involvements records who led or assisted each case (conflict.go).
	Involvements Involvements
	// Filings commits filings, several concurrent ones per transaction
	// where it can; nil gives each filing a transaction of its own.
	Filings FilingCommitter
	// Guests lets invited experts read a request (mayView); nil lets no
	// one in beyond those mayRead names.
	Guests Guests
	// MaxAttachmentBytes caps one attachment (DefaultMaxAttachmentBytes if 0).
	MaxAttachmentBytes int64
}

// View is a request as its reader sees it: the request, its timeline and
// its record, if any.
type View struct {
	Request Request
	// Events are the newest TimelineSize entries of the timeline, oldest
	// first; EarlierEvents says there are more before them (see Timeline).
	Events        []Event
	EarlierEvents bool
	Record        *Record
	Attachments   []Attachment
	Confirmation  *Confirmation // judicial confirmation, once requested
}

// File records a citizen's request (or a family member's on a detainee's
// behalf), its first timeline event, its audit line, a warning signal and a
// screening work order for the station — all in one transaction (which
// concurrent filings may share, see Filings). With an
// idempotency key, a retry with the same body returns the first request and
// created=false; the same key with another body is refused.
func (s *Service) File(ctx context.Context, a domain.Actor, f Filing, idemKey string) (req *Request, created bool, err error) {
	if !a.Has(RoleCitizen) {
		return nil, false, domain.Errorf(domain.KindForbidden, "request.citizens_only", "Only citizens file requests.")
	}
	if err := domain.ValidIdempotencyKey(idemKey); err != nil {
		return nil, false, err
	}
	cats, err := s.Requests.Categories(ctx)
	if err != nil {
		return nil, false, err
	}
	known := make(map[string]bool, len(cats))
	for _, c := range cats {
		known[c.Code] = true
	}
	if err := f.Validate(known); err != nil {
		return nil, false, err
	}
	if ok, err := s.Directory.IsStation(ctx, f.StationID); err != nil {
		return nil, false, err
	} else if !ok {
		return nil, false, domain.Invalid(domain.FieldError{Field: "station_id", Code: domain.FieldDoesNotExist, Message: "is not a police station"})
	}
	var centre int64 // the detention centre of a detainee filed for, whose queue also gets the request
	if f.DetaineeID != 0 {
		if s.Detainees == nil {
			return nil, false, domain.Invalid(domain.FieldError{Field: "detainee_id", Code: domain.FieldInvalid, Message: "is not a detainee you are registered family of"})
		}
		if centre, err = s.Detainees.CentreFor(ctx, f.DetaineeID, a.UserID); err != nil {
			return nil, false, err
		}
	}
	scope, hash := "user:"+strconv.FormatInt(a.UserID, 10), domain.RequestHash(f)
	nf := newFiling(a, f, centre, s.Clock.Now())
	id, created, err := domain.IdempotentWrite(ctx, s.Idempotency, s.Clock, scope, idemKey, hash, "request", func(ctx context.Context, rec *domain.Idempotency) (int64, error) {
		nf.Idempotency = rec
		if err := s.commitFiling(ctx, nf); err != nil {
			return 0, err
		}
		return nf.Request.ID, nil
	})
	if err != nil {
		return nil, false, err
	}
	if !created { // a retry: the first result
		req, err = s.Requests.Request(ctx, id)
		return req, false, err
	}
	return nf.Request, true, nil
}

// Get returns a request with its timeline and record to whoever may see it;
// anyone else is told it does not exist. The read is audited: a request holds
// personal data.
func (s *Service) Get(ctx context.Context, a domain.Actor, id int64) (*View, error) {
	req, err := s.Requests.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mayView(ctx, a, req); err != nil {
		return nil, err
	}
	// The newest TimelineSize entries, one more to know whether there are
	// earlier ones: a timeline grows without bound (rooms write to it).
	events, err := s.Requests.EventsBefore(ctx, id, Page{Limit: TimelineSize + 1})
	if err != nil {
		return nil, err
	}
	more := len(events) > TimelineSize
	if more {
		events = events[:TimelineSize]
	}
	slices.Reverse(events)
	atts, err := s.Attachments.AttachmentsOf(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &View{Request: *req, Events: events, EarlierEvents: more, Attachments: atts}
	if rec, err := s.Records.RecordOfRequest(ctx, id); err == nil {
		v.Record = rec
	} else if !domain.IsKind(err, domain.KindNotFound) {
		return nil, err
	}
	if s.Confirmations != nil {
		if conf, err := s.Confirmations.Confirmation(ctx, id); err == nil {
			v.Confirmation = conf
		} else if !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
	}
	if err := s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "request.read", "request", id, "")); err != nil {
		return nil, err
	}
	return v, nil
}

// List pages the requests the actor may see: a citizen's own, or those of
// the stations in a staff member's scope (lawyers and mediators: the cases
// they lead or assist, or were chosen for by the filer).
func (s *Service) List(ctx context.Context, a domain.Actor, p Page, statuses []Status) ([]Request, error) {
	if p.Limit <= 0 || p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	if a.Has(RoleCitizen) {
		return s.Requests.RequestsOfFiler(ctx, a.UserID, p)
	}
	f, none, err := s.staffFilter(ctx, a)
	if err != nil || none {
		return nil, err
	}
	f.Statuses, f.Page = statuses, p
	list, err := s.Requests.RequestsForStaff(ctx, f)
	if err != nil || len(list) == 0 {
		return list, err
	}
	// Staff see the parties (police: their phone numbers): the page is a
	// read of personal data like a detail view.
	ids := make([]int64, len(list))
	for i := range list {
		ids[i] = list[i].ID
	}
	return list, s.Audit.Audit(ctx, domain.AuditOfList(a, s.Clock.Now(), "request.list", "request", ids))
}

// mayRead answers not-found (never forbidden) to anyone who may not see a
// request, so that IDs reveal nothing.
func (s *Service) mayRead(ctx context.Context, a domain.Actor, r *Request) error {
	hidden := domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
	switch {
	case a.UserID != 0 && a.UserID == r.FilerID:
		return nil
	case a.Has(RoleCitizen):
		return hidden
	case a.UserID == r.LeadID || a.UserID == r.AssistantID:
		return nil
	case r.Filing.ChosenID != 0 && a.UserID == r.Filing.ChosenID && a.Has(RoleLawyer, RoleMediator):
		return nil // the lawyer the citizen chose sees the request even before routing names anyone
	case a.Has(RolePolice, RoleSupervisor, RoleAdmin):
		if ok, err := s.inScope(ctx, a, r.Filing.StationID); err != nil || !ok {
			if err != nil {
				return err
			}
			return hidden
		}
		return nil
	case a.Has(RoleDetention) && r.Filing.DetaineeID != 0 && s.Detainees != nil:
		// Filed on a detainee's behalf: the centre holding them got a
		// detainee_request order about it and works it with the station.
		centre, err := s.Detainees.HeldAt(ctx, r.Filing.DetaineeID)
		if err != nil && !domain.IsKind(err, domain.KindNotFound) {
			return err
		}
		if err == nil && centre != 0 && centre == a.OrgID {
			return nil
		}
	case a.Has(RolePartner):
		// The court an agreement was handed to reads the case to confirm it.
		if ok, err := s.courtReads(ctx, a, r); err != nil || ok {
			return err
		}
	case a.Has(RoleFirmHead):
		// A firm's head reads the cases the firm's lawyers lead or assist.
		firm, ok, err := s.firmView(ctx, a)
		if err != nil {
			return err
		}
		if ok {
			if mine, err := s.ledByFirm(ctx, r, firm); err != nil || mine {
				return err
			}
		}
	}
	return hidden
}

// mayView is mayRead for the read-only views of a request (its detail,
// timeline and attachments), which also let in its guests: an expert who
// accepted an invitation to the case reads it as the other partner units do
// (phones masked) and works nothing on it.
func (s *Service) mayView(ctx context.Context, a domain.Actor, r *Request) error {
	err := s.mayRead(ctx, a, r)
	if err == nil || !domain.IsKind(err, domain.KindNotFound) || s.Guests == nil || a.UserID == 0 || a.Has(RoleCitizen) {
		return err
	}
	if guest, gerr := s.Guests.Guest(ctx, a.UserID, r.ID); gerr != nil || guest {
		return gerr
	}
	return err
}

// MayWork answers nil when a may work request id (mayRead: not its guests),
// not found otherwise.
func (s *Service) MayWork(ctx context.Context, a domain.Actor, id int64) error {
	r, err := s.Requests.Request(ctx, id)
	if err != nil {
		return err
	}
	return s.mayRead(ctx, a, r)
}

func (s *Service) inScope(ctx context.Context, a domain.Actor, station int64) (bool, error) {
	stations, all, err := s.Directory.StationScope(ctx, a)
	if err != nil || all {
		return all, err
	}
	for _, st := range stations {
		if st == station {
			return true, nil
		}
	}
	return false, nil
}

// Categories lists the configured categories.
func (s *Service) Categories(ctx context.Context) ([]Category, error) {
	return s.Requests.Categories(ctx)
}
