package mysql_test

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/storage"
)

// The mediation service over the real stores; the directory, work orders and
// audit log of other areas are small in-memory stand-ins here (their own
// stores are tested in their areas, and the API tests wire the real ones).

const (
	stationA, district         = 11, 1
	lawyerID, officerID        = 501, 601
	supervisorID, citizenID    = 701, 801
	otherCitizen, otherStation = 802, 12
)

type fakeDirectory struct{}

func (fakeDirectory) Candidates(context.Context, int64) ([]m.Candidate, error) {
	return []m.Candidate{
		{UserID: lawyerID, Side: m.SideLegal, Stations: []int64{stationA}, OnDuty: true, Specialties: []string{"neighbour"}},
		{UserID: officerID, Side: m.SidePolice, Stations: []int64{stationA}, OnDuty: true},
	}, nil
}

func (fakeDirectory) StationScope(_ context.Context, a domain.Actor) ([]int64, bool, error) {
	if a.Has(m.RoleSupervisor, m.RoleAdmin) {
		return nil, true, nil
	}
	return []int64{a.OrgID}, false, nil
}

func (fakeDirectory) IsStation(_ context.Context, id int64) (bool, error) {
	return id == stationA || id == otherStation, nil
}

func (fakeDirectory) ParentUnit(context.Context, int64) (int64, error) { return district, nil }

type recorder struct {
	mu      sync.Mutex
	orders  []m.OrderRequest
	settled []string // causes, "case.started@12"
	audits  []domain.AuditEntry
}

func (r *recorder) SettleOrders(_ context.Context, _ domain.Actor, cause string, requestID int64, _ ...int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.settled = append(r.settled, cause+"@"+strconv.FormatInt(requestID, 10))
	return nil
}

func (r *recorder) CreateOrder(_ context.Context, o m.OrderRequest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.orders = append(r.orders, o)
	return nil
}

func (r *recorder) CreateFreshOrders(_ context.Context, os []m.OrderRequest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.orders = append(r.orders, os...)
	return nil
}

func (r *recorder) Audit(_ context.Context, entries ...domain.AuditEntry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.audits = append(r.audits, entries...)
	return nil
}

func newMediationService(t *testing.T, db *mysql.DB) (*m.Service, *recorder) {
	t.Helper()
	store := mysql.NewMediationStore(db)
	if err := store.SeedCategories(context.Background(), m.DefaultCategories, t0); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	files, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	clock := t0
	return &m.Service{
		Tx: db, Requests: store, Records: store, Idempotency: mysql.NewIdempotencyStore(db), Directory: fakeDirectory{},
		Orders: rec, Signals: mysql.NewSignalStore(db), Audit: rec, Attachments: store, Files: files, MaxAttachmentBytes: 1 << 10,
		Clock: domain.ClockFunc(func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(time.Second)
			return clock
		}),
	}, rec
}

var (
	citizen    = domain.Actor{UserID: citizenID, Roles: []string{"citizen"}}
	stranger   = domain.Actor{UserID: otherCitizen, Roles: []string{"citizen"}}
	lawyer     = domain.Actor{UserID: lawyerID, Roles: []string{"lawyer"}, OrgID: 900}
	officer    = domain.Actor{UserID: officerID, Roles: []string{"police"}, OrgID: stationA}
	farOfficer = domain.Actor{UserID: 602, Roles: []string{"police"}, OrgID: otherStation}
	supervisor = domain.Actor{UserID: supervisorID, Roles: []string{"supervisor"}, OrgID: district}
)

func filing() m.Filing {
	return m.Filing{Kind: m.KindMediation, Category: "neighbour", Description: "楼上漏水多次协商未果", StationID: stationA,
		Parties: []m.Party{{Name: "王五", Phone: "13900000001", Relation: "邻居"}}}
}

// must stops the test on an unexpected error (a panic names the error and the line).
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func TestCivilDisputeFromFilingToRating(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, rec := newMediationService(t, db)
		req, created, err := svc.File(ctx, citizen, filing(), "")
		if err != nil || !created {
			t.Fatalf("file: %v", err)
		}
		id := req.ID
		r := must(svc.Screen(ctx, officer, id, m.Screening{Classification: m.ClassCivil}))
		if r.Status != m.StatusAssigned || r.LeadID != lawyerID || r.AssistantID != officerID {
			t.Fatalf("civil routing: %s lead %d assistant %d", r.Status, r.LeadID, r.AssistantID)
		}
		must(svc.Transition(ctx, lawyer, id, m.ActionStart, ""))
		must(svc.SaveRecord(ctx, lawyer, id, m.RecordInput{
			Sessions: []m.Session{{HeldAt: t0, Place: "调解室", Summary: "双方同意赔偿"}}, Outcome: m.OutcomeAgreed, RiskScore: 20,
			Agreement: &m.Agreement{Terms: "赔偿维修费 800 元", AmountFen: 80000}}))
		must(svc.Transition(ctx, lawyer, id, m.ActionAgree, "达成协议"))
		if _, err := svc.Transition(ctx, lawyer, id, m.ActionClose, ""); domain.ErrorKind(err) != domain.KindFailedPrecondition {
			t.Fatalf("closing before approval: %v, want failed precondition", err)
		}
		must(svc.Review(ctx, lawyer, id, m.ReviewSubmit, ""))
		if _, err := svc.Review(ctx, farOfficer, id, m.ReviewApprove, ""); domain.ErrorKind(err) != domain.KindNotFound {
			t.Fatalf("an officer of another station: %v, want not found", err)
		}
		must(svc.Review(ctx, officer, id, m.ReviewApprove, "记录完整"))
		record := must(svc.Review(ctx, supervisor, id, m.ReviewApprove, "同意"))
		if record.Review != m.ReviewApproved || len(record.Comments) != 2 {
			t.Fatalf("record after two approvals: %s with %d comments", record.Review, len(record.Comments))
		}
		must(svc.Transition(ctx, officer, id, m.ActionClose, "结案"))
		must(svc.Transition(ctx, officer, id, m.ActionFollowUp, "回访满意"))
		r = must(svc.Rate(ctx, citizen, id, 5, "很满意"))
		if r.Rating == nil || r.Rating.Stars != 5 || r.Status != m.StatusFollowedUp {
			t.Fatalf("after rating: %+v", r)
		}
		if _, err := svc.Rate(ctx, citizen, id, 4, ""); domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("rating twice: %v, want conflict", err)
		}

		view := must(svc.Get(ctx, citizen, id))
		var types []string
		for _, e := range view.Events {
			types = append(types, e.Type)
		}
		want := "filed,screened,assigned,start,record_saved,agree,record_submit,record_approve,record_approve,close,follow_up,rated"
		if got := fmt.Sprint(types); got != "["+stringsReplace(want)+"]" {
			t.Fatalf("timeline %v\nwant        [%s]", types, stringsReplace(want))
		}
		kinds := map[string]int{}
		for _, o := range rec.orders {
			kinds[o.Kind]++
		}
		if kinds["screen_request"] != 1 || kinds["assignment"] != 2 || kinds["record_review"] != 2 || kinds["follow_up"] != 1 {
			t.Fatalf("work orders %v", kinds)
		}
		var signals int64
		db.Gorm.Table("warning_signals").Where("request_id = ?", id).Count(&signals)
		if signals != 2 { // the filing and the risk assessment
			t.Fatalf("%d warning signals, want 2", signals)
		}
	})
}

func stringsReplace(s string) string {
	out := []byte(s)
	for i := range out {
		if out[i] == ',' {
			out[i] = ' '
		}
	}
	return string(out)
}

func TestPublicSecurityDisputeIsLedByPolice(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _ := newMediationService(t, db)
		req, _, _ := svc.File(ctx, citizen, filing(), "")
		r := must(svc.Screen(ctx, officer, req.ID, m.Screening{Classification: m.ClassPublicSecurity}))
		if r.LeadID != officerID || r.AssistantID != lawyerID {
			t.Fatalf("public security: lead %d assistant %d", r.LeadID, r.AssistantID)
		}
		if _, err := svc.Transition(ctx, lawyer, req.ID, m.ActionStart, ""); domain.ErrorKind(err) != domain.KindForbidden {
			t.Fatalf("the assisting lawyer starting: %v, want forbidden", err)
		}
		must(svc.Transition(ctx, officer, req.ID, m.ActionStart, ""))
	})
}

// groupCommitted files through a group committer, as the server does.
func groupCommitted(svc *m.Service, db *mysql.DB) *m.Service {
	svc.Filings = mysql.NewGroupCommit(db, 1, 64, svc.WriteFilings)
	return svc
}

func TestIdempotentFiling(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		for _, grouped := range []bool{false, true} {
			t.Run(map[bool]string{false: "alone", true: "group-committed"}[grouped], func(t *testing.T) {
				svc, _ := newMediationService(t, db)
				if grouped {
					groupCommitted(svc, db)
				}
				testIdempotentFiling(t, svc, map[bool]string{false: "a", true: "g"}[grouped])
			})
		}
	})
}

func testIdempotentFiling(t *testing.T, svc *m.Service, prefix string) {
	t.Helper()
	ctx := context.Background()
	first, created, err := svc.File(ctx, citizen, filing(), prefix+"-key-1")
	if err != nil || !created {
		t.Fatal(err)
	}
	again, created, err := svc.File(ctx, citizen, filing(), prefix+"-key-1")
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("retry: id %d created %v err %v; want the first request back", again.ID, created, err)
	}
	other := filing()
	other.Description = "另一件事情需要调解"
	if _, _, err := svc.File(ctx, citizen, other, prefix+"-key-1"); err == nil {
		t.Fatal("same key, other body must be refused")
	} else if e, _ := domain.AsError(err); e.Code != "idempotency.key_reused" || e.Kind != domain.KindInvalid {
		t.Fatalf("got %v", err)
	}
	// The key is the citizen's own: another citizen may use the same string.
	if _, created, err := svc.File(ctx, stranger, filing(), prefix+"-key-1"); err != nil || !created {
		t.Fatalf("another citizen's key-1: %v", err)
	}

	// Ten concurrent retries of a new key file exactly once.
	var wg sync.WaitGroup
	ids := make(chan int64, 10)
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, _, err := svc.File(ctx, citizen, filing(), prefix+"-key-race")
			if err != nil {
				t.Errorf("concurrent retry: %v", err)
				return
			}
			ids <- r.ID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Fatalf("concurrent retries produced %d requests, want 1", len(seen))
	}
}

// Concurrent filings committed in shared transactions each get their own
// timeline, audit line, warning signal and screening order, pointing at the
// right request.
func TestGroupCommittedFilingsKeepTheirOwnRows(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, rec := newMediationService(t, db)
		groupCommitted(svc, db)
		const n = 30
		var wg sync.WaitGroup
		filed := make(chan *m.Request, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f := filing()
				f.Description = fmt.Sprintf("第%d号纠纷需要调解", i)
				r, created, err := svc.File(ctx, citizen, f, fmt.Sprintf("bind-%d", i))
				if err != nil || !created {
					t.Errorf("filing %d: created %v, %v", i, created, err)
					return
				}
				filed <- r
			}()
		}
		wg.Wait()
		close(filed)
		signals := map[int64]int{}
		pending, err := mysql.NewSignalStore(db).Pending(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range pending {
			signals[s.RequestID]++
		}
		orders, audits := map[string]int{}, map[int64]int{}
		rec.mu.Lock()
		for _, o := range rec.orders {
			orders[o.DedupeKey]++
		}
		for _, a := range rec.audits {
			if a.Action == "request.file" {
				audits[a.ResourceID]++
			}
		}
		rec.mu.Unlock()
		count := 0
		for r := range filed {
			count++
			stored := must(svc.Requests.Request(ctx, r.ID))
			if stored.Filing.Description != r.Filing.Description || len(stored.Filing.Parties) != 1 {
				t.Errorf("request %d stored as %+v", r.ID, stored.Filing)
			}
			events := must(svc.Requests.Events(ctx, r.ID))
			if len(events) != 1 || events[0].Type != "filed" {
				t.Errorf("request %d timeline %+v, want one filed event", r.ID, events)
			}
			key := fmt.Sprintf("request:%d:screen", r.ID)
			if signals[r.ID] != 1 || audits[r.ID] != 1 || orders[key] != 1 {
				t.Errorf("request %d: %d signals, %d audit lines, %d orders %q; want one each", r.ID, signals[r.ID], audits[r.ID], orders[key], key)
			}
		}
		if count != n {
			t.Fatalf("%d of %d filings answered", count, n)
		}
	})
}

func TestConcurrentTransitionsOneWins(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _ := newMediationService(t, db)
		req, _, _ := svc.File(ctx, citizen, filing(), "")
		must(svc.Screen(ctx, officer, req.ID, m.Screening{Classification: m.ClassCivil}))
		start := make(chan struct{})
		errs := make(chan error, 2)
		for _, who := range []domain.Actor{lawyer, officer} {
			go func() {
				<-start
				_, err := svc.Transition(ctx, who, req.ID, m.ActionStart, "")
				errs <- err
			}()
		}
		close(start)
		e1, e2 := <-errs, <-errs
		if (e1 == nil) == (e2 == nil) {
			t.Fatalf("want exactly one winner, got %v and %v", e1, e2)
		}
		loser := e1
		if loser == nil {
			loser = e2
		}
		if k := domain.ErrorKind(loser); k != domain.KindConflict && k != domain.KindFailedPrecondition {
			t.Fatalf("loser got %v, want a conflict (409)", loser)
		}
	})
}

func TestOthersCannotSeeARequest(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _ := newMediationService(t, db)
		req, _, _ := svc.File(ctx, citizen, filing(), "")
		for name, who := range map[string]domain.Actor{"another citizen": stranger, "an officer of another station": farOfficer, "an unassigned lawyer": lawyer} {
			if _, err := svc.Get(ctx, who, req.ID); domain.ErrorKind(err) != domain.KindNotFound {
				t.Errorf("%s reading: %v, want not found", name, err)
			}
		}
		if _, err := svc.Transition(ctx, stranger, req.ID, m.ActionWithdraw, ""); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("another citizen withdrawing: %v, want not found", err)
		}
		list := must(svc.List(ctx, stranger, m.Page{}, nil))
		if len(list) != 0 {
			t.Errorf("another citizen lists %d requests", len(list))
		}
		must(svc.Get(ctx, officer, req.ID))
		must(svc.Get(ctx, supervisor, req.ID))
	})
}

func TestAttachmentsAreSniffedCappedAndPrivate(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _ := newMediationService(t, db)
		req, _, _ := svc.File(ctx, citizen, filing(), "")
		jpeg := "\xff\xd8\xff\xe0\x00\x10JFIF" + strings.Repeat("x", 100)
		att := must(svc.AddAttachment(ctx, citizen, req.ID, "C:\\photos\\漏水.exe.jpg", strings.NewReader(jpeg)))
		if att.ContentType != "image/jpeg" || att.Size != int64(len(jpeg)) || att.FileName != "漏水.exe.jpg" {
			t.Fatalf("attachment %+v", att)
		}
		for name, body := range map[string]string{
			"a disguised executable": "MZ\x90\x00" + strings.Repeat("x", 100),
			"an oversized photo":     "\xff\xd8\xff" + strings.Repeat("x", 2000),
		} {
			if _, err := svc.AddAttachment(ctx, citizen, req.ID, "photo.jpg", strings.NewReader(body)); domain.ErrorKind(err) != domain.KindInvalid {
				t.Errorf("%s: %v, want refused as invalid (422)", name, err)
			}
		}
		if _, _, err := svc.OpenAttachment(ctx, stranger, req.ID, att.ID); domain.ErrorKind(err) != domain.KindNotFound {
			t.Fatalf("another citizen opening: %v", err)
		}
		got, rc := must2(svc.OpenAttachment(ctx, officer, req.ID, att.ID))
		b, _ := io.ReadAll(rc)
		rc.Close()
		if got.ID != att.ID || string(b) != jpeg {
			t.Fatal("the officer of the station reads back other bytes")
		}
		view := must(svc.Get(ctx, citizen, req.ID))
		if len(view.Attachments) != 1 {
			t.Fatalf("view has %d attachments, want 1 (refused uploads leave nothing)", len(view.Attachments))
		}
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return a, b
}

// The attachment cap holds under concurrency (issue 16, low: 30 concurrent
// uploads kept 30), on MariaDB and SQLite.
func TestAttachmentCapHoldsUnderConcurrency(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _ := newMediationService(t, db)
		req, _, _ := svc.File(ctx, citizen, filing(), "")
		jpeg := "\xff\xd8\xff\xe0\x00\x10JFIF" + strings.Repeat("x", 100)
		var wg sync.WaitGroup
		for i := 0; i < 30; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = svc.AddAttachment(ctx, citizen, req.ID, "photo.jpg", strings.NewReader(jpeg))
			}()
		}
		wg.Wait()
		if n := len(must(svc.Get(ctx, citizen, req.ID)).Attachments); n != m.MaxAttachments {
			t.Fatalf("30 concurrent uploads kept %d attachments, want the cap of %d", n, m.MaxAttachments)
		}
	})
}
