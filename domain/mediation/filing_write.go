package mediation

import (
	"context"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// NewFiling is everything one filing commits together: the request with its
// parties, the first line of its timeline, its audit line, its warning
// signal, the work orders it raises and, with an Idempotency-Key, the
// record of the key. Until the request has an ID the dependent rows point
// nowhere; bind points them at it.
type NewFiling struct {
	Request     *Request
	Event       Event
	Audit       domain.AuditEntry
	Signal      Signal
	Orders      []OrderRequest
	Idempotency *domain.Idempotency

	purposes []string // of the orders, each one's part of its dedupe key
}

// FilingCommitter commits filings. An implementation may put concurrent
// filings in one transaction (group commit, see WriteFilings); each call
// still returns only once its own filing is committed, or has failed on its
// own.
type FilingCommitter interface {
	Commit(ctx context.Context, f *NewFiling) error
}

// newFiling is the write set of a citizen's filing; centre is the detention
// centre that also hears of a filing on a detainee's behalf (0 if none).
func newFiling(a domain.Actor, f Filing, centre int64, now time.Time) *NewFiling {
	req := &Request{FilerID: a.UserID, Filing: f, Status: StatusFiled, Version: 1, CreatedAt: now, UpdatedAt: now}
	nf := &NewFiling{
		Request: req,
		Event:   Event{At: now, ActorID: a.UserID, ActorRole: a.PrimaryRole(), Type: "filed", ToStatus: StatusFiled},
		Audit:   domain.AuditOf(a, now, "request.file", "request", 0, string(f.Kind)+"/"+f.Category),
		Signal: Signal{Type: "request_filed", RequestKind: f.Kind, Description: f.Description, PersonID: a.UserID, Category: f.Category,
			StationID: f.StationID, Place: f.Place, At: now},
		Orders: []OrderRequest{{Kind: "screen_request", UnitID: f.StationID, Priority: 2, Title: "新的调解申请待筛选",
			ResourceType: "request"}},
		purposes: []string{"screen"},
	}
	if centre != 0 { // filed on a detainee's behalf: the centre hears of it too (拘调融合)
		nf.Orders = append(nf.Orders, OrderRequest{Kind: "detainee_request", UnitID: centre, Priority: 2,
			Title: "在押人员家属提交调解申请", ResourceType: "request"})
		nf.purposes = append(nf.purposes, "centre")
	}
	return nf
}

// bind points the dependent rows at the request's new ID, and gives each
// order its dedupe key "request:<id>:<purpose>". A batch that failed and is
// retried binds again.
func (f *NewFiling) bind() {
	id := f.Request.ID
	f.Event.RequestID, f.Audit.ResourceID, f.Signal.RequestID = id, id, id
	for i := range f.Orders {
		f.Orders[i].ResourceID = id
		f.Orders[i].DedupeKey = "request:" + strconv.FormatInt(id, 10) + ":" + f.purposes[i]
	}
	if f.Idempotency != nil {
		f.Idempotency.ResourceID = id
	}
}

// WriteFilings writes filings in the transaction ctx carries, with one
// statement per table for all of them: how a FilingCommitter that batches
// concurrent filings commits a batch.
func (s *Service) WriteFilings(ctx context.Context, filings []*NewFiling) error {
	reqs := make([]*Request, len(filings))
	for i, f := range filings {
		reqs[i] = f.Request
	}
	if err := s.Requests.CreateRequest(ctx, reqs...); err != nil {
		return err
	}
	if err := s.markDVHistory(ctx, filings); err != nil {
		return err
	}
	events, audits, signals := make([]*Event, len(filings)), make([]domain.AuditEntry, len(filings)), make([]Signal, len(filings))
	var orders []OrderRequest
	var keys []*domain.Idempotency
	for i, f := range filings {
		f.bind()
		events[i], audits[i], signals[i] = &f.Event, f.Audit, f.Signal
		orders = append(orders, f.Orders...)
		if f.Idempotency != nil {
			keys = append(keys, f.Idempotency)
		}
	}
	if len(keys) > 0 {
		if err := s.Idempotency.SaveIdempotency(ctx, keys...); err != nil {
			return err
		}
	}
	if err := s.Requests.AppendEvent(ctx, events...); err != nil {
		return err
	}
	if err := s.Audit.Audit(ctx, audits...); err != nil {
		return err
	}
	if err := s.Signals.Emit(ctx, signals...); err != nil {
		return err
	}
	return s.Orders.CreateFreshOrders(ctx, orders)
}

// commitFiling commits one filing: through the Filings committer when there
// is one, else in a transaction of its own.
func (s *Service) commitFiling(ctx context.Context, nf *NewFiling) error {
	if s.Filings != nil {
		return s.Filings.Commit(ctx, nf)
	}
	return s.Tx.WithTx(ctx, func(ctx context.Context) error { return s.WriteFilings(ctx, []*NewFiling{nf}) })
}
