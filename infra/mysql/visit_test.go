package mysql_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// visitPorts are the ports of visit booking that other areas keep (the
// detainees, the organisation tree, work orders, rooms and notices), in
// memory and safe for many goroutines.
type visitPorts struct {
	mu      sync.Mutex
	status  map[int64]detention.Status // detainee → status; every detainee is at centre 10
	family  map[[2]int64]bool          // detainee, user
	orders  map[string]int64           // dedupe key → booking
	notices map[string]int64           // dedupe key → user
	rooms   int
}

func newVisitPorts() *visitPorts {
	return &visitPorts{status: map[int64]detention.Status{}, family: map[[2]int64]bool{}, orders: map[string]int64{}, notices: map[string]int64{}}
}

func (p *visitPorts) Detainee(_ context.Context, id int64) (*detention.Detainee, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.status[id]
	if !ok {
		return nil, domain.Errorf(domain.KindNotFound, "detainee.not_found", "No such detainee.")
	}
	return &detention.Detainee{ID: id, CentreID: 10, Status: st}, nil
}

func (p *visitPorts) IsFamily(_ context.Context, detaineeID, userID int64) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.family[[2]int64{detaineeID, userID}], nil
}

func (p *visitPorts) IsCentre(_ context.Context, id int64) (bool, error) { return id == 10, nil }

func (p *visitPorts) StaffOf(_ context.Context, a domain.Actor, centreID int64) (bool, error) {
	return a.Has("detention_staff") && a.OrgID == centreID, nil
}

func (p *visitPorts) CentresOf(_ context.Context, a domain.Actor) ([]int64, error) {
	if a.Has("detention_staff") {
		return []int64{a.OrgID}, nil
	}
	return nil, nil
}

func (p *visitPorts) CreateOrder(_ context.Context, _ string, _, _ int64, _ int, _, _ string, resourceID int64, key string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.orders[key] = resourceID
	return nil
}

func (p *visitPorts) SettleOrders(context.Context, domain.Actor, string, int64) error { return nil }

func (p *visitPorts) CreateVisitRoom(_ context.Context, bookingID int64, _, _ time.Time, _, _ int64) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rooms++
	return fmt.Sprintf("visit-%d", bookingID), nil
}

func (p *visitPorts) Notify(_ context.Context, userID int64, _, _, _ string, _ int64, key string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notices[key] = userID
	return nil
}

var (
	visitNow   = time.Date(2026, 8, 3, 2, 0, 0, 0, time.UTC) // Monday 10:00 in China
	visitStaff = domain.Actor{UserID: 500, Roles: []string{"detention_staff"}, OrgID: 10}
)

func visitFamily(id int64) domain.Actor { return domain.Actor{UserID: id, Roles: []string{"citizen"}} }

type visitRig struct {
	db    *mysql.DB
	store *mysql.VisitStore
	ports *visitPorts
	svc   *detention.Visits
	mu    sync.Mutex
	now   time.Time
}

// newVisitRig wires visit booking on db with centre 10 offering every day
// an in-person slot 09:00–10:00 for capacity and a remote one 14:00–15:00
// for one.
func newVisitRig(t *testing.T, db *mysql.DB, capacity int) *visitRig {
	t.Helper()
	r := &visitRig{db: db, store: mysql.NewVisitStore(db), ports: newVisitPorts(), now: visitNow}
	r.svc = &detention.Visits{Tx: db, Store: r.store, Detainees: r.ports, Centres: r.ports, Orders: r.ports, Rooms: r.ports,
		Notices: r.ports, Idempotency: mysql.NewIdempotencyStore(db), Audit: mysql.NewAuditStore(db),
		Clock: domain.ClockFunc(func() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.now })}
	var ts []detention.VisitTemplate
	for wd := 1; wd <= 7; wd++ {
		ts = append(ts,
			detention.VisitTemplate{Weekday: wd, Start: "09:00", End: "10:00", Mode: detention.VisitInPerson, Capacity: capacity, ValidFrom: "2026-01-01"},
			detention.VisitTemplate{Weekday: wd, Start: "14:00", End: "15:00", Mode: detention.VisitRemote, Capacity: 1, ValidFrom: "2026-01-01"})
	}
	if _, err := r.svc.ReplaceVisitTemplates(context.Background(), visitStaff, 10, ts); err != nil {
		t.Fatalf("templates: %v", err)
	}
	return r
}

func (r *visitRig) setNow(t time.Time) { r.mu.Lock(); r.now = t; r.mu.Unlock() }

// slot finds centre 10's slot on the local day (2006-01-02) at the clock time.
func (r *visitRig) slot(t *testing.T, day, clock string) detention.VisitSlot {
	t.Helper()
	slots, err := r.svc.VisitSlots(context.Background(), 10, day, day)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slots {
		if s.StartsAt.In(time.FixedZone("CST", 8*3600)).Format("15:04") == clock {
			return s
		}
	}
	t.Fatalf("no slot on %s at %s among %d", day, clock, len(slots))
	return detention.VisitSlot{}
}

func (r *visitRig) addFamily(detaineeID, userID int64) {
	r.ports.mu.Lock()
	defer r.ports.mu.Unlock()
	r.ports.status[detaineeID] = detention.Detained
	r.ports.family[[2]int64{detaineeID, userID}] = true
}

func visitNewBooking(detaineeID, slotID int64) detention.NewBooking {
	return detention.NewBooking{DetaineeID: detaineeID, SlotID: slotID, Relationship: "父母",
		Visitors: []detention.Visitor{{Name: "张三", IDNumber: "110105198001011234", Phone: "13800138000"}}}
}

func TestVisitStoreSlotsAndSeats(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		r := newVisitRig(t, db, 2)
		slots, err := r.svc.VisitSlots(ctx, 10, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(slots) != 28 { // 14 days of two; today is closer than min_days_ahead
			t.Fatalf("%d slots in the horizon, want 28", len(slots))
		}
		// Materialising again finds everything in place.
		if n, err := r.svc.GenerateSlots(ctx, visitNow); err != nil || n != 0 {
			t.Fatalf("a second materialisation created %d (%v)", n, err)
		}
		id := slots[0].ID
		err = db.WithTx(ctx, func(ctx context.Context) error {
			for i, want := range []bool{true, true, false} {
				ok, err := r.store.TakeSeat(ctx, id, visitNow)
				if err != nil || ok != want {
					t.Fatalf("seat %d: %v, %v; want %v", i+1, ok, err, want)
				}
			}
			// Capacity never drops below the seats taken.
			if err := r.store.ReshapeSlot(ctx, id, slots[0].EndsAt, 1, false, visitNow); err != nil {
				return err
			}
			s, err := r.store.LockSlot(ctx, id)
			if err != nil || s.Capacity != 2 || s.Booked != 2 {
				t.Fatalf("after shrinking: %+v, %v", s, err)
			}
			return r.store.FreeSeat(ctx, id, visitNow)
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.store.LockSlot(ctx, id); !domain.IsKind(err, domain.KindInternal) {
			t.Fatalf("a lock outside a transaction: %v", err)
		}
		if _, err := r.store.Slot(ctx, 999999); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("an unknown slot: %v", err)
		}
		dup := slots[0]
		dup.ID = 0
		if ok, err := r.store.InsertSlot(ctx, &dup); ok || err != nil {
			t.Fatalf("a second slot at the same time: %v, %v", ok, err)
		}
		// Rules are stored once and replaced.
		rules := detention.DefaultVisitRules()
		rules.MaxVisitors = 5
		for range 2 {
			if err := r.store.SaveVisitRules(ctx, 10, rules, visitNow); err != nil {
				t.Fatal(err)
			}
		}
		if got, found, err := r.store.VisitRules(ctx, 10); err != nil || !found || got != rules {
			t.Fatalf("rules %+v found=%v err=%v", got, found, err)
		}
		// Blocked days: once each, listed, removed.
		b := &detention.BlockedDate{CentreID: 10, Day: "2026-08-09", Reason: "检查", CreatedAt: visitNow}
		if ok, err := r.store.BlockDate(ctx, b); !ok || err != nil {
			t.Fatalf("block: %v %v", ok, err)
		}
		if ok, err := r.store.BlockDate(ctx, b); ok || err != nil {
			t.Fatalf("block twice: %v %v", ok, err)
		}
		if got, _ := r.store.BlockedDates(ctx, 10, "2026-08-01", "2026-08-31"); len(got) != 1 || got[0].Day != "2026-08-09" {
			t.Fatalf("blocked %+v", got)
		}
		if ok, err := r.store.UnblockDate(ctx, 10, "2026-08-09"); !ok || err != nil {
			t.Fatalf("unblock: %v %v", ok, err)
		}
		if cs, err := r.store.TemplateCentres(ctx); err != nil || len(cs) != 1 || cs[0] != 10 {
			t.Fatalf("centres with templates %v %v", cs, err)
		}
	})
}

func TestVisitHoldsOnTheStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		r := newVisitRig(t, db, 2)
		r.addFamily(1, 101)
		r.addFamily(2, 102)
		remote := r.slot(t, "2026-08-05", "14:00")
		hold, err := r.svc.HoldSeat(ctx, visitFamily(101), remote.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.svc.Book(ctx, visitFamily(102), visitNewBooking(2, remote.ID), ""); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("booking a held seat: %v", err)
		}
		if got := r.slot(t, "2026-08-05", "14:00"); got.Remaining() != 0 {
			t.Fatalf("a held seat shows free: %+v", got)
		}
		r.setNow(visitNow.Add(10 * time.Minute))
		if got := r.slot(t, "2026-08-05", "14:00"); got.Remaining() != 1 || got.ExpiredHolds != 1 {
			t.Fatalf("an expired hold still counts: %+v", got)
		}
		if n, err := r.svc.ReleaseExpiredHolds(ctx, visitNow.Add(10*time.Minute)); err != nil || n != 1 {
			t.Fatalf("the sweep ended %d holds: %v", n, err)
		}
		if h, _ := r.store.Hold(ctx, hold.ID); h.State != detention.HoldExpired {
			t.Fatalf("hold %+v", h)
		}
		b, _, err := r.svc.Book(ctx, visitFamily(102), visitNewBooking(2, remote.ID), "")
		if err != nil || b.SlotID != remote.ID {
			t.Fatalf("booking the freed seat: %v", err)
		}
		// A live hold becomes the booking, without a second seat.
		inPerson := r.slot(t, "2026-08-06", "09:00")
		hold, err = r.svc.HoldSeat(ctx, visitFamily(101), inPerson.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		n := visitNewBooking(1, inPerson.ID)
		n.HoldID = hold.ID
		b, _, err = r.svc.Book(ctx, visitFamily(101), n, "")
		if err != nil {
			t.Fatal(err)
		}
		h, _ := r.store.Hold(ctx, hold.ID)
		if h.State != detention.HoldUsed || h.BookingID != b.ID || r.slot(t, "2026-08-06", "09:00").Booked != 1 {
			t.Fatalf("hold %+v, slot %+v", h, r.slot(t, "2026-08-06", "09:00"))
		}
	})
}

func TestVisitBookingLifeOnTheStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		r := newVisitRig(t, db, 2)
		r.addFamily(1, 101)
		r.addFamily(2, 102)
		remote := r.slot(t, "2026-08-05", "14:00")
		n := visitNewBooking(1, remote.ID)
		b, created, err := r.svc.Book(ctx, visitFamily(101), n, "idem-1")
		if err != nil || !created || b.Status != detention.BookingPending {
			t.Fatalf("book: %+v %v %v", b, created, err)
		}
		again, created, err := r.svc.Book(ctx, visitFamily(101), n, "idem-1")
		if err != nil || created || again.ID != b.ID {
			t.Fatalf("retry: %+v %v %v", again, created, err)
		}
		n.Relationship = "兄弟"
		if _, _, err := r.svc.Book(ctx, visitFamily(101), n, "idem-1"); !domain.IsKind(err, domain.KindInvalid) {
			t.Fatalf("same key, other body: %v", err)
		}
		if _, err := r.svc.Booking(ctx, visitFamily(102), b.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("another family read the booking: %v", err)
		}
		v, err := r.svc.Booking(ctx, visitFamily(101), b.ID)
		if err != nil || v.Booking.Visitors[0].IDNumber != "1101**********1234" || len(v.Events) != 1 {
			t.Fatalf("read back %+v, %v", v, err)
		}
		approved, err := r.svc.Approve(ctx, visitStaff, b.ID)
		if err != nil || approved.RoomID != fmt.Sprintf("visit-%d", b.ID) {
			t.Fatalf("approve: %+v %v", approved, err)
		}
		if _, err := r.svc.Approve(ctx, visitStaff, b.ID); !domain.IsKind(err, domain.KindFailedPrecondition) {
			t.Fatalf("approve twice: %v", err)
		}
		// Tuesday evening: tomorrow's approved visit is reminded once.
		for range 2 {
			if _, err := r.svc.RemindTomorrow(ctx, visitNow.Add(32*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if r.ports.notices[fmt.Sprintf("visit_booking:%d:remind:2026-08-05", b.ID)] != 101 {
			t.Fatalf("no reminder: %v", r.ports.notices)
		}
		to := r.slot(t, "2026-08-06", "09:00")
		moved, err := r.svc.Reschedule(ctx, visitFamily(101), b.ID, to.ID)
		if err != nil || moved.Status != detention.BookingPending || moved.SlotID != to.ID || moved.RoomID != "" {
			t.Fatalf("reschedule: %+v %v", moved, err)
		}
		if r.slot(t, "2026-08-05", "14:00").Booked != 0 || r.slot(t, "2026-08-06", "09:00").Booked != 1 {
			t.Fatalf("the seat did not move")
		}
		list, err := r.svc.ListBookings(ctx, visitStaff, detention.BookingFilter{Statuses: []detention.BookingStatus{detention.BookingPending}})
		if err != nil || len(list) != 1 || list[0].ID != b.ID {
			t.Fatalf("staff list %+v %v", list, err)
		}
		// The release cancels the future bookings inside its transaction.
		other, _, err := r.svc.Book(ctx, visitFamily(102), visitNewBooking(2, to.ID), "")
		if err != nil {
			t.Fatal(err)
		}
		err = db.WithTx(ctx, func(ctx context.Context) error { return r.svc.CancelFutureFor(ctx, 1, "已释放") })
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := r.store.Booking(ctx, b.ID); got.Status != detention.BookingCancelled || got.Reason != "已释放" {
			t.Fatalf("after the release %+v", got)
		}
		if got, _ := r.store.Booking(ctx, other.ID); got.Status != detention.BookingPending {
			t.Fatalf("another detainee's booking %+v", got)
		}
		if r.slot(t, "2026-08-06", "09:00").Booked != 1 {
			t.Fatalf("the cancelled booking kept its seat")
		}
		events, _ := r.store.VisitEvents(ctx, b.ID)
		if len(events) != 4 || events[3].From != detention.BookingPending || events[3].To != detention.BookingCancelled {
			t.Fatalf("history %+v", events)
		}
		// Three no-shows suspend.
		for i, day := range []string{"2026-08-07", "2026-08-08", "2026-08-09"} {
			r.setNow(visitNow)
			bk, _, err := r.svc.Book(ctx, visitFamily(102), visitNewBooking(2, r.slot(t, day, "09:00").ID), "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.svc.Approve(ctx, visitStaff, bk.ID); err != nil {
				t.Fatal(err)
			}
			r.setNow(bk.StartsAt.Add(time.Hour))
			if _, err := r.svc.MarkAttendance(ctx, visitStaff, bk.ID, detention.AttendanceNoShow); err != nil {
				t.Fatal(err)
			}
			_, found, _ := r.store.LatestSuspension(ctx, 10, 102)
			if found != (i == 2) {
				t.Fatalf("after %d no-shows suspended=%v", i+1, found)
			}
		}
	})
}

// No slot is ever overbooked: 50 family members race for the last seat;
// exactly one gets it, the others are told it is full.
func TestFiftyBookersForTheLastSeat(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		r := newVisitRig(t, db, 3)
		slot := r.slot(t, "2026-08-05", "09:00")
		for i := int64(1); i <= 52; i++ {
			r.addFamily(i, 1000+i)
		}
		for i := int64(51); i <= 52; i++ { // two seats already taken
			if _, _, err := r.svc.Book(ctx, visitFamily(1000+i), visitNewBooking(i, slot.ID), ""); err != nil {
				t.Fatal(err)
			}
		}
		const bookers = 50
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			errs    = make([]error, bookers)
			winners = make([]*detention.VisitBooking, bookers)
		)
		for i := range bookers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				id := int64(i + 1)
				winners[i], _, errs[i] = r.svc.Book(ctx, visitFamily(1000+id), visitNewBooking(id, slot.ID), fmt.Sprintf("race-%d", i))
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case domain.IsKind(err, domain.KindConflict):
				if e, _ := domain.AsError(err); e.Code != "visit_booking.slot_full" {
					t.Errorf("booker %d lost with %v, want visit_booking.slot_full", i, err)
				}
			default:
				t.Errorf("booker %d: %v, want a 409 conflict", i, err)
			}
		}
		if won != 1 {
			t.Fatalf("%d bookers won the last seat, want exactly 1", won)
		}
		got := r.slot(t, "2026-08-05", "09:00")
		var active int64
		if err := db.Gorm.Table("visit_bookings").Where("slot_id = ? AND status = ?", slot.ID, "pending").Count(&active).Error; err != nil {
			t.Fatal(err)
		}
		if got.Booked != 3 || got.Capacity != 3 || active != 3 {
			t.Fatalf("slot %+v with %d pending bookings, want 3 of 3", got, active)
		}
	})
}
