package detention_test

import (
	"cmp"
	"context"
	stdmaps "maps"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// vState is everything the visit fakes keep; a transaction works on it and
// a failed one puts the copy taken at its start back.
type vState struct {
	rules       map[int64]detention.VisitRules
	templates   map[int64][]detention.VisitTemplate
	blocked     map[string]detention.BlockedDate
	slots       map[int64]detention.VisitSlot
	holds       map[int64]detention.VisitHold
	bookings    map[int64]detention.VisitBooking
	events      []detention.VisitEvent
	suspensions []detention.VisitSuspension
	idem        map[string]domain.Idempotency
	orders      []vOrder
	settled     []string           // work-order lifecycle causes, "visit.decided@7"
	notices     map[string]vNotice // by dedupe key
	rooms       []int64            // bookings that got a room
	audits      []domain.AuditEntry
	nextID      int64
}

type vOrder struct {
	Kind, Key  string
	UnitID     int64
	ResourceID int64
}

type vNotice struct {
	UserID    int64
	Kind      string
	Body      string
	BookingID int64
}

func (s vState) clone() vState {
	c := s
	c.rules, c.templates, c.blocked = stdmaps.Clone(s.rules), stdmaps.Clone(s.templates), stdmaps.Clone(s.blocked)
	c.slots, c.holds, c.bookings = stdmaps.Clone(s.slots), stdmaps.Clone(s.holds), stdmaps.Clone(s.bookings)
	c.events, c.suspensions, c.orders = slices.Clone(s.events), slices.Clone(s.suspensions), slices.Clone(s.orders)
	c.settled = slices.Clone(s.settled)
	c.idem, c.notices, c.rooms, c.audits = stdmaps.Clone(s.idem), stdmaps.Clone(s.notices), slices.Clone(s.rooms), slices.Clone(s.audits)
	return c
}

// vFake is every port of visit booking in memory. Tests are single
// goroutine; the concurrency of the real store is tested in infra/mysql.
type vFake struct {
	st        vState
	detainees map[int64]detention.Detainee
	family    map[[2]int64]bool // detainee, user
	centres   map[int64]bool
	now       time.Time
}

func newVFake(now time.Time) *vFake {
	return &vFake{now: now, detainees: map[int64]detention.Detainee{}, family: map[[2]int64]bool{}, centres: map[int64]bool{},
		st: vState{rules: map[int64]detention.VisitRules{}, templates: map[int64][]detention.VisitTemplate{},
			blocked: map[string]detention.BlockedDate{}, slots: map[int64]detention.VisitSlot{}, holds: map[int64]detention.VisitHold{},
			bookings: map[int64]detention.VisitBooking{}, idem: map[string]domain.Idempotency{}, notices: map[string]vNotice{}}}
}

func (f *vFake) id() int64 { f.st.nextID++; return f.st.nextID }

type vTxKey struct{}

func (f *vFake) WithTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if ctx.Value(vTxKey{}) != nil {
		return fn(ctx)
	}
	saved := f.st.clone()
	if err := fn(context.WithValue(ctx, vTxKey{}, true)); err != nil {
		f.st = saved
		return err
	}
	return nil
}

func (f *vFake) Now() time.Time { return f.now }

func vNotFound() error { return domain.Errorf(domain.KindNotFound, "not_found", "Not found.") }

// DetaineeStore

func (f *vFake) Detainee(_ context.Context, id int64) (*detention.Detainee, error) {
	d, ok := f.detainees[id]
	if !ok {
		return nil, vNotFound()
	}
	return &d, nil
}

func (f *vFake) IsFamily(_ context.Context, detaineeID, userID int64) (bool, error) {
	return f.family[[2]int64{detaineeID, userID}], nil
}

// Centres: detention staff work their own organisation; admins every centre.

func (f *vFake) IsCentre(_ context.Context, id int64) (bool, error) { return f.centres[id], nil }

func (f *vFake) StaffOf(_ context.Context, a domain.Actor, centreID int64) (bool, error) {
	return a.Has("admin") || a.Has("detention_staff") && a.OrgID == centreID, nil
}

func (f *vFake) CentresOf(_ context.Context, a domain.Actor) ([]int64, error) {
	var out []int64
	for c := range f.centres {
		if ok, _ := f.StaffOf(context.Background(), a, c); ok {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Orders, Rooms, Notices, Audit, Idempotency

func (f *vFake) CreateOrder(_ context.Context, kind string, unitID, _ int64, _ int, _, _ string, resourceID int64, key string) error {
	for _, o := range f.st.orders {
		if o.Key == key {
			return nil
		}
	}
	f.st.orders = append(f.st.orders, vOrder{Kind: kind, Key: key, UnitID: unitID, ResourceID: resourceID})
	return nil
}

func (f *vFake) SettleOrders(_ context.Context, _ domain.Actor, cause string, resourceID int64) error {
	f.st.settled = append(f.st.settled, cause+"@"+strconv.FormatInt(resourceID, 10))
	return nil
}

func (f *vFake) CreateVisitRoom(_ context.Context, bookingID int64, _, _ time.Time, _, _ int64) (string, error) {
	f.st.rooms = append(f.st.rooms, bookingID)
	return "visit-room-" + strconv.FormatInt(bookingID, 10), nil
}

func (f *vFake) Notify(_ context.Context, userID int64, kind, _, body string, bookingID int64, key string) error {
	if _, dup := f.st.notices[key]; !dup {
		f.st.notices[key] = vNotice{UserID: userID, Kind: kind, Body: body, BookingID: bookingID}
	}
	return nil
}

func (f *vFake) Audit(_ context.Context, entries ...domain.AuditEntry) error {
	f.st.audits = append(f.st.audits, entries...)
	return nil
}

func (f *vFake) LookupIdempotency(_ context.Context, scope, key string) (*domain.Idempotency, bool, error) {
	r, ok := f.st.idem[scope+"|"+key]
	return &r, ok, nil
}

func (f *vFake) SaveIdempotency(_ context.Context, recs ...*domain.Idempotency) error {
	for _, r := range recs {
		if _, dup := f.st.idem[r.Scope+"|"+r.Key]; dup {
			return domain.Errorf(domain.KindConflict, "duplicate", "exists")
		}
		f.st.idem[r.Scope+"|"+r.Key] = *r
	}
	return nil
}

// VisitStore

func (f *vFake) VisitRules(_ context.Context, centreID int64) (detention.VisitRules, bool, error) {
	r, ok := f.st.rules[centreID]
	return r, ok, nil
}

func (f *vFake) SaveVisitRules(_ context.Context, centreID int64, r detention.VisitRules, _ time.Time) error {
	f.st.rules[centreID] = r
	return nil
}

func (f *vFake) VisitTemplates(_ context.Context, centreID int64) ([]detention.VisitTemplate, error) {
	return slices.Clone(f.st.templates[centreID]), nil
}

func (f *vFake) ReplaceVisitTemplates(_ context.Context, centreID int64, ts []detention.VisitTemplate) error {
	for i := range ts {
		ts[i].ID = f.id()
	}
	f.st.templates[centreID] = slices.Clone(ts)
	return nil
}

func (f *vFake) TemplateCentres(context.Context) ([]int64, error) {
	out := slices.Collect(stdmaps.Keys(f.st.templates))
	slices.Sort(out)
	return out, nil
}

func (f *vFake) BlockDate(_ context.Context, b *detention.BlockedDate) (bool, error) {
	k := strconv.FormatInt(b.CentreID, 10) + "|" + b.Day
	if _, dup := f.st.blocked[k]; dup {
		return false, nil
	}
	f.st.blocked[k] = *b
	return true, nil
}

func (f *vFake) UnblockDate(_ context.Context, centreID int64, day string) (bool, error) {
	k := strconv.FormatInt(centreID, 10) + "|" + day
	_, ok := f.st.blocked[k]
	delete(f.st.blocked, k)
	return ok, nil
}

func (f *vFake) BlockedDates(_ context.Context, centreID int64, from, to string) ([]detention.BlockedDate, error) {
	var out []detention.BlockedDate
	for _, b := range f.st.blocked {
		if b.CentreID == centreID && (from == "" || b.Day >= from) && (to == "" || b.Day <= to) {
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, nil
}

func (f *vFake) Slot(_ context.Context, id int64) (*detention.VisitSlot, error) {
	s, ok := f.st.slots[id]
	if !ok {
		return nil, domain.Errorf(domain.KindNotFound, "visit_slot.not_found", "No such visiting time.")
	}
	return &s, nil
}

func (f *vFake) LockSlot(ctx context.Context, id int64) (*detention.VisitSlot, error) {
	if ctx.Value(vTxKey{}) == nil {
		panic("LockSlot outside a transaction")
	}
	return f.Slot(ctx, id)
}

func (f *vFake) Slots(_ context.Context, centreID int64, from, to, now time.Time, withClosed bool) ([]detention.VisitSlot, error) {
	var out []detention.VisitSlot
	for _, s := range f.st.slots {
		if s.CentreID == centreID && !s.StartsAt.Before(from) && s.StartsAt.Before(to) && (withClosed || !s.Closed) {
			for _, h := range f.st.holds {
				if h.SlotID == s.ID && h.State == detention.HoldActive && !h.ExpiresAt.After(now) {
					s.ExpiredHolds++
				}
			}
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b detention.VisitSlot) int {
		return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.Mode, b.Mode))
	})
	return out, nil
}

func (f *vFake) InsertSlot(_ context.Context, v *detention.VisitSlot) (bool, error) {
	for _, s := range f.st.slots {
		if s.CentreID == v.CentreID && s.Mode == v.Mode && s.StartsAt.Equal(v.StartsAt) {
			return false, nil
		}
	}
	v.ID = f.id()
	f.st.slots[v.ID] = *v
	return true, nil
}

func (f *vFake) ReshapeSlot(_ context.Context, id int64, endsAt time.Time, capacity int, closed bool, _ time.Time) error {
	s := f.st.slots[id]
	s.EndsAt, s.Capacity, s.Closed = endsAt, max(capacity, s.Booked), closed
	f.st.slots[id] = s
	return nil
}

func (f *vFake) TakeSeat(_ context.Context, slotID int64, _ time.Time) (bool, error) {
	s := f.st.slots[slotID]
	if s.Closed || s.Booked >= s.Capacity {
		return false, nil
	}
	s.Booked++
	f.st.slots[slotID] = s
	return true, nil
}

func (f *vFake) FreeSeat(_ context.Context, slotID int64, _ time.Time) error {
	s := f.st.slots[slotID]
	if s.Booked > 0 {
		s.Booked--
	}
	f.st.slots[slotID] = s
	return nil
}

func (f *vFake) CreateHold(_ context.Context, h *detention.VisitHold) error {
	h.ID = f.id()
	f.st.holds[h.ID] = *h
	return nil
}

func (f *vFake) Hold(_ context.Context, id int64) (*detention.VisitHold, error) {
	h, ok := f.st.holds[id]
	if !ok {
		return nil, vNotFound()
	}
	return &h, nil
}

func (f *vFake) ActiveHoldsOf(_ context.Context, userID int64) ([]detention.VisitHold, error) {
	var out []detention.VisitHold
	for _, h := range f.st.holds {
		if h.UserID == userID && h.State == detention.HoldActive {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b detention.VisitHold) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (f *vFake) EndHold(_ context.Context, id int64, state detention.HoldState) (bool, error) {
	h, ok := f.st.holds[id]
	if !ok || h.State != detention.HoldActive {
		return false, nil
	}
	h.State = state
	f.st.holds[id] = h
	return true, nil
}

func (f *vFake) LinkHold(_ context.Context, id, bookingID int64) error {
	h := f.st.holds[id]
	h.BookingID = bookingID
	f.st.holds[id] = h
	return nil
}

func (f *vFake) ExpiredHolds(_ context.Context, slotID int64, now time.Time, limit int) ([]detention.VisitHold, error) {
	var out []detention.VisitHold
	for _, h := range f.st.holds {
		if h.State == detention.HoldActive && !h.ExpiresAt.After(now) && (slotID == 0 || h.SlotID == slotID) {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b detention.VisitHold) int { return cmp.Compare(a.ID, b.ID) })
	return out[:min(len(out), limit)], nil
}

func (f *vFake) CreateBooking(_ context.Context, b *detention.VisitBooking) error {
	b.ID = f.id()
	f.st.bookings[b.ID] = *b
	return nil
}

func (f *vFake) Booking(_ context.Context, id int64) (*detention.VisitBooking, error) {
	b, ok := f.st.bookings[id]
	if !ok {
		return nil, vNotFound()
	}
	return &b, nil
}

func (f *vFake) UpdateBooking(_ context.Context, b *detention.VisitBooking) (bool, error) {
	cur, ok := f.st.bookings[b.ID]
	if !ok || cur.Version != b.Version {
		return false, nil
	}
	b.Version++
	f.st.bookings[b.ID] = *b
	return true, nil
}

func (f *vFake) Bookings(_ context.Context, flt detention.BookingFilter) ([]detention.VisitBooking, error) {
	if !flt.All && flt.BookerID == 0 && len(flt.Centres) == 0 && flt.DetaineeID == 0 {
		return nil, nil
	}
	var out []detention.VisitBooking
	for _, b := range f.st.bookings {
		if (flt.BookerID == 0 || b.BookerID == flt.BookerID) && (len(flt.Centres) == 0 || slices.Contains(flt.Centres, b.CentreID)) &&
			(flt.DetaineeID == 0 || b.DetaineeID == flt.DetaineeID) && (len(flt.Statuses) == 0 || slices.Contains(flt.Statuses, b.Status)) &&
			(flt.StartsFrom.IsZero() || !b.StartsAt.Before(flt.StartsFrom)) && (flt.StartsTo.IsZero() || b.StartsAt.Before(flt.StartsTo)) &&
			(flt.BeforeID == 0 || b.ID < flt.BeforeID) {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b detention.VisitBooking) int { return cmp.Compare(b.ID, a.ID) })
	return out[:min(len(out), flt.Limit)], nil
}

func (f *vFake) HasActiveBooking(_ context.Context, slotID, detaineeID int64) (bool, error) {
	for _, b := range f.st.bookings {
		if b.SlotID == slotID && b.DetaineeID == detaineeID && b.Status.Active() {
			return true, nil
		}
	}
	return false, nil
}

func (f *vFake) AddVisitEvent(_ context.Context, e *detention.VisitEvent) error {
	e.ID = f.id()
	f.st.events = append(f.st.events, *e)
	return nil
}

func (f *vFake) VisitEvents(_ context.Context, bookingID int64) ([]detention.VisitEvent, error) {
	var out []detention.VisitEvent
	for _, e := range f.st.events {
		if e.BookingID == bookingID {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *vFake) NoShowsSince(_ context.Context, centreID, userID int64, since time.Time) (int, error) {
	n := 0
	for _, b := range f.st.bookings {
		if b.CentreID == centreID && b.BookerID == userID && b.Status == detention.BookingNoShow && b.MarkedAt != nil && b.MarkedAt.After(since) {
			n++
		}
	}
	return n, nil
}

func (f *vFake) LatestSuspension(_ context.Context, centreID, userID int64) (*detention.VisitSuspension, bool, error) {
	for i := len(f.st.suspensions) - 1; i >= 0; i-- {
		if s := f.st.suspensions[i]; s.CentreID == centreID && s.UserID == userID {
			return &s, true, nil
		}
	}
	return nil, false, nil
}

func (f *vFake) AddSuspension(_ context.Context, s *detention.VisitSuspension) error {
	s.ID = f.id()
	f.st.suspensions = append(f.st.suspensions, *s)
	return nil
}

// The scene of most tests: centre 10 with detention staff 500; detainee 1
// held there with family members 101 and 102 (two families), detainee 2
// with family 103; centre 20 with staff 600 and detainee 3 (family 101).
// It is Monday 2026-08-03 10:00 in China; every day has an in-person slot
// 09:00–10:00 for two and a remote slot 14:00–15:00 for one at centre 10,
// the in-person slots only at centre 20.
var (
	vMonday    = time.Date(2026, 8, 3, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	vFamily1   = domain.Actor{UserID: 101, Roles: []string{"citizen"}}
	vFamily2   = domain.Actor{UserID: 102, Roles: []string{"citizen"}}
	vFamily3   = domain.Actor{UserID: 103, Roles: []string{"citizen"}}
	vStaff     = domain.Actor{UserID: 500, Roles: []string{"detention_staff"}, OrgID: 10}
	vStaffElse = domain.Actor{UserID: 600, Roles: []string{"detention_staff"}, OrgID: 20}
)

func newVisits(t *testing.T) (*detention.Visits, *vFake) {
	t.Helper()
	f := newVFake(vMonday)
	f.centres[10], f.centres[20] = true, true
	f.detainees[1] = detention.Detainee{ID: 1, CentreID: 10, Status: detention.Detained}
	f.detainees[2] = detention.Detainee{ID: 2, CentreID: 10, Status: detention.Detained}
	f.detainees[3] = detention.Detainee{ID: 3, CentreID: 20, Status: detention.Detained}
	f.family[[2]int64{1, 101}], f.family[[2]int64{1, 102}], f.family[[2]int64{2, 103}] = true, true, true
	f.family[[2]int64{3, 101}] = true
	s := &detention.Visits{Tx: f, Store: f, Detainees: f, Centres: f, Orders: f, Rooms: f, Notices: f, Idempotency: f, Audit: f, Clock: f}
	var ts []detention.VisitTemplate
	for wd := 1; wd <= 7; wd++ {
		ts = append(ts,
			detention.VisitTemplate{Weekday: wd, Start: "09:00", End: "10:00", Mode: detention.VisitInPerson, Capacity: 2, ValidFrom: "2026-01-01"},
			detention.VisitTemplate{Weekday: wd, Start: "14:00", End: "15:00", Mode: detention.VisitRemote, Capacity: 1, ValidFrom: "2026-01-01"})
	}
	ctx := context.Background()
	if _, err := s.ReplaceVisitTemplates(ctx, vStaff, 10, ts); err != nil {
		t.Fatalf("templates of centre 10: %v", err)
	}
	var inPerson []detention.VisitTemplate
	for _, t := range ts {
		if t.Mode == detention.VisitInPerson {
			inPerson = append(inPerson, t)
		}
	}
	if _, err := s.ReplaceVisitTemplates(ctx, vStaffElse, 20, inPerson); err != nil {
		t.Fatalf("templates of centre 20: %v", err)
	}
	return s, f
}

// slotAt finds the slot of centre at the local day and clock time.
func (f *vFake) slotAt(t *testing.T, centre int64, day, clock string, mode detention.VisitMode) detention.VisitSlot {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, vMonday.Location())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.st.slots {
		if s.CentreID == centre && s.Mode == mode && s.StartsAt.Equal(at) {
			return s
		}
	}
	t.Fatalf("no %s slot at centre %d on %s %s", mode, centre, day, clock)
	return detention.VisitSlot{}
}

func vVisitors(n int) []detention.Visitor {
	out := make([]detention.Visitor, n)
	for i := range out {
		out[i] = detention.Visitor{Name: "访客" + strconv.Itoa(i), IDNumber: "11010519800101" + strconv.Itoa(1000+i), Phone: "1380013800" + strconv.Itoa(i)}
	}
	return out
}

func vBooking(detainee, slot int64) detention.NewBooking {
	return detention.NewBooking{DetaineeID: detainee, SlotID: slot, Relationship: "配偶", Visitors: vVisitors(1)}
}

// vWantErr fails unless err is an application error of kind with code
// (any code when code is "").
func vWantErr(t *testing.T, err error, kind domain.Kind, code string) {
	t.Helper()
	if kind == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	e, ok := domain.AsError(err)
	if !ok || e.Kind != kind || code != "" && e.Code != code {
		t.Fatalf("error %v, want kind %s code %q", err, kind, code)
	}
}
