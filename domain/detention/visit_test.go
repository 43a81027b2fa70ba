package detention_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

func TestBookingStateMachine(t *testing.T) {
	const (
		pending   = detention.BookingPending
		approved  = detention.BookingApproved
		refused   = detention.BookingRefused
		cancelled = detention.BookingCancelled
		attended  = detention.BookingAttended
		noShow    = detention.BookingNoShow
	)
	tests := []struct {
		name   string
		from   detention.BookingStatus
		action detention.BookingAction
		to     detention.BookingStatus
		kind   domain.Kind
	}{
		{"staff approve a pending booking", pending, detention.BookingApprove, approved, ""},
		{"staff refuse a pending booking", pending, detention.BookingRefuse, refused, ""},
		{"the family cancels a pending booking", pending, detention.BookingCancel, cancelled, ""},
		{"a pending booking moves and stays pending", pending, detention.BookingReschedule, pending, ""},
		{"an approved booking is cancelled", approved, detention.BookingCancel, cancelled, ""},
		{"an approved booking moved is decided again", approved, detention.BookingReschedule, pending, ""},
		{"an approved visit happens", approved, detention.BookingAttend, attended, ""},
		{"an approved visit is missed", approved, detention.BookingMissed, noShow, ""},
		{"a pending booking cannot be attended", pending, detention.BookingAttend, "", domain.KindFailedPrecondition},
		{"a pending booking cannot be a no-show", pending, detention.BookingMissed, "", domain.KindFailedPrecondition},
		{"an approved booking is not approved twice", approved, detention.BookingApprove, "", domain.KindFailedPrecondition},
		{"an approved booking is not refused", approved, detention.BookingRefuse, "", domain.KindFailedPrecondition},
		{"a refused booking is not approved", refused, detention.BookingApprove, "", domain.KindFailedPrecondition},
		{"a refused booking is not cancelled", refused, detention.BookingCancel, "", domain.KindFailedPrecondition},
		{"a cancelled booking is not rescheduled", cancelled, detention.BookingReschedule, "", domain.KindFailedPrecondition},
		{"a cancelled booking is not approved", cancelled, detention.BookingApprove, "", domain.KindFailedPrecondition},
		{"an attended visit is not cancelled", attended, detention.BookingCancel, "", domain.KindFailedPrecondition},
		{"a no-show is not turned into attended", noShow, detention.BookingAttend, "", domain.KindFailedPrecondition},
		{"an unknown action is invalid", pending, "teleport", "", domain.KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to, err := detention.NextBooking(tt.from, tt.action)
			if tt.kind != "" {
				vWantErr(t, err, tt.kind, "")
				if tt.kind == domain.KindFailedPrecondition {
					vWantErr(t, err, tt.kind, "visit_booking.illegal_transition")
				}
				return
			}
			if err != nil || to != tt.to {
				t.Fatalf("NextBooking(%s, %s) = %s, %v; want %s", tt.from, tt.action, to, err, tt.to)
			}
		})
	}
}

func TestVisitRulesValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*detention.VisitRules)
		field string
	}{
		{"the defaults are valid", func(*detention.VisitRules) {}, ""},
		{"a window that ends before it starts is refused", func(r *detention.VisitRules) { r.MinDaysAhead, r.MaxDaysAhead = 5, 2 }, "max_days_ahead"},
		{"a hold of no minutes is refused", func(r *detention.VisitRules) { r.HoldMinutes = 0 }, "hold_minutes"},
		{"more than ten visitors is refused", func(r *detention.VisitRules) { r.MaxVisitors = 11 }, "max_visitors"},
		{"a negative cut-off is refused", func(r *detention.VisitRules) { r.CancelHours = -1 }, "cancel_hours"},
		{"a no-show limit of zero is refused", func(r *detention.VisitRules) { r.NoShowLimit = 0 }, "no_show_limit"},
		{"no suspension at all is allowed", func(r *detention.VisitRules) { r.SuspendDays = 0 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := detention.DefaultVisitRules()
			tt.edit(&r)
			err := r.Validate()
			if tt.field == "" {
				vWantErr(t, err, "", "")
				return
			}
			e, ok := domain.AsError(err)
			if !ok || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("Validate() = %v, want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestTemplateValidation(t *testing.T) {
	good := detention.VisitTemplate{Weekday: 1, Start: "09:00", End: "10:00", Mode: detention.VisitInPerson, Capacity: 3, ValidFrom: "2026-08-01"}
	tests := []struct {
		name  string
		edit  func(ts []detention.VisitTemplate) []detention.VisitTemplate
		field string
	}{
		{"a plain template is accepted", func(ts []detention.VisitTemplate) []detention.VisitTemplate { return ts }, ""},
		{"weekday 8 is refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate { ts[0].Weekday = 8; return ts }, "templates[0].weekday"},
		{"a time like 9am is refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate { ts[0].Start = "9am"; return ts }, "templates[0].start"},
		{"an end before the start is refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate { ts[0].End = "08:00"; return ts }, "templates[0].end"},
		{"an unknown mode is refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate { ts[0].Mode = "phone"; return ts }, "templates[0].mode"},
		{"no seats is refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate { ts[0].Capacity = 0; return ts }, "templates[0].capacity"},
		{"a range that ends before it starts is refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate {
			ts[0].ValidTo = "2026-07-01"
			return ts
		}, "templates[0].valid_to"},
		{"two overlapping templates of one mode are refused", func(ts []detention.VisitTemplate) []detention.VisitTemplate {
			o := ts[0]
			o.Start, o.End = "09:30", "10:30"
			return append(ts, o)
		}, "templates[1].start"},
		{"the same time in the other mode is accepted", func(ts []detention.VisitTemplate) []detention.VisitTemplate {
			o := ts[0]
			o.Mode = detention.VisitRemote
			return append(ts, o)
		}, ""},
		{"the same time in ranges that do not meet is accepted", func(ts []detention.VisitTemplate) []detention.VisitTemplate {
			ts[0].ValidTo = "2026-08-31"
			o := ts[0]
			o.ValidFrom, o.ValidTo = "2026-09-01", ""
			return append(ts, o)
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newVisits(t)
			_, err := s.ReplaceVisitTemplates(context.Background(), vStaff, 10, tt.edit([]detention.VisitTemplate{good}))
			if tt.field == "" {
				vWantErr(t, err, "", "")
				return
			}
			e, ok := domain.AsError(err)
			if !ok || e.Kind != domain.KindInvalid || len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Fatalf("ReplaceVisitTemplates = %v, want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestTemplatesMaterialiseTheHorizon(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	slots, err := s.VisitSlots(ctx, 10, "", "")
	vWantErr(t, err, "", "")
	// Today is closer than min_days_ahead (1): 14 more days of two slots.
	if len(slots) != 14*2 {
		t.Fatalf("%d slots in the horizon, want 28", len(slots))
	}
	first := slots[0]
	if first.Mode != detention.VisitInPerson || first.Capacity != 2 || first.Remaining() != 2 || first.StartsAt.Sub(vMonday) != 23*time.Hour {
		t.Fatalf("first slot %+v, want tomorrow's in-person 09:00 for two", first)
	}
	if _, err := s.VisitSlots(ctx, 99, "", ""); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("slots of no centre: %v, want not found", err)
	}
	_, err = s.VisitSlots(ctx, 10, "2026-08-10", "2026-08-01")
	vWantErr(t, err, domain.KindInvalid, "")

	// A booked slot whose capacity drops keeps its booked seats; a time
	// no template offers any more closes.
	tue := f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson)
	_, _, err = s.Book(ctx, vFamily1, vBooking(1, tue.ID), "")
	vWantErr(t, err, "", "")
	_, _, err = s.Book(ctx, vFamily3, vBooking(2, tue.ID), "")
	vWantErr(t, err, "", "")
	_, err = s.ReplaceVisitTemplates(ctx, vStaff, 10, []detention.VisitTemplate{
		{Weekday: 2, Start: "09:00", End: "10:30", Mode: detention.VisitInPerson, Capacity: 1, ValidFrom: "2026-01-01"}})
	vWantErr(t, err, "", "")
	tue = f.st.slots[tue.ID]
	if tue.Capacity != 2 || tue.Booked != 2 || tue.Closed || tue.EndsAt.Sub(tue.StartsAt) != 90*time.Minute {
		t.Fatalf("reshaped slot %+v, want capacity kept at its 2 booked seats, open, 90 minutes", tue)
	}
	if wed := f.slotAt(t, 10, "2026-08-05", "09:00", detention.VisitInPerson); !wed.Closed {
		t.Fatalf("Wednesday's slot stayed open after its template went: %+v", wed)
	}
	if _, err := s.ReplaceVisitTemplates(ctx, vFamily1, 10, nil); !domain.IsKind(err, domain.KindForbidden) {
		t.Fatalf("a family member replaced templates: %v", err)
	}
	if _, err := s.ReplaceVisitTemplates(ctx, vStaffElse, 10, nil); !domain.IsKind(err, domain.KindForbidden) {
		t.Fatalf("another centre's staff replaced templates: %v", err)
	}
}

func TestGenerateSlotsReachesOneMoreDayEachDay(t *testing.T) {
	s, f := newVisits(t)
	before := len(f.st.slots)
	n, err := s.GenerateSlots(context.Background(), vMonday.AddDate(0, 0, 1))
	vWantErr(t, err, "", "")
	if n != 3 || len(f.st.slots) != before+3 { // a new day at both centres (two slots at 10, one at 20)
		t.Fatalf("the next day's run created %d slots (had %d, now %d), want 3", n, before, len(f.st.slots))
	}
	if n, _ := s.GenerateSlots(context.Background(), vMonday.AddDate(0, 0, 1)); n != 0 {
		t.Fatalf("a second run the same day created %d slots", n)
	}
}

func TestBookingRules(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, s *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking)
		kind  domain.Kind
		code  string
	}{
		{"a family member books tomorrow's slot", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, "", ""},
		{"a family member books the last day of the window", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-17", "14:00", detention.VisitRemote).ID)
		}, "", ""},
		{"today is too soon", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-03", "14:00", detention.VisitRemote).ID)
		}, domain.KindInvalid, "validation.failed"},
		{"fifteen days ahead is too far", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			at := vMonday.AddDate(0, 0, 15)
			f.st.slots[9999] = detention.VisitSlot{ID: 9999, CentreID: 10, Mode: detention.VisitInPerson, StartsAt: at, EndsAt: at.Add(time.Hour), Capacity: 5}
			return vFamily1, vBooking(1, 9999)
		}, domain.KindInvalid, "validation.failed"},
		{"someone who is not family is told the person is unknown", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily3, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, domain.KindInvalid, "validation.failed"},
		{"a made-up detainee gets the same answer", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily3, vBooking(424242, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, domain.KindInvalid, "validation.failed"},
		{"staff do not book", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vStaff, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, domain.KindForbidden, "visit_booking.family_only"},
		{"a released detainee cannot be booked", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			d := f.detainees[1]
			d.Status = detention.Released
			f.detainees[1] = d
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, domain.KindFailedPrecondition, "visit_booking.detainee_left"},
		{"a transferred detainee cannot be booked", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			d := f.detainees[1]
			d.Status = detention.Transferred
			f.detainees[1] = d
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, domain.KindFailedPrecondition, "visit_booking.detainee_left"},
		{"four visitors are too many", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			n := vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
			n.Visitors = vVisitors(4)
			return vFamily1, n
		}, domain.KindInvalid, "validation.failed"},
		{"a centre allowing four takes four", func(t *testing.T, s *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			r := detention.DefaultVisitRules()
			r.MaxVisitors = 4
			if _, err := s.SetVisitRules(context.Background(), vStaff, 10, r); err != nil {
				t.Fatal(err)
			}
			n := vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
			n.Visitors = vVisitors(4)
			return vFamily1, n
		}, "", ""},
		{"a bad ID number is refused", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			n := vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
			n.Visitors[0].IDNumber = "12345"
			return vFamily1, n
		}, domain.KindInvalid, "validation.failed"},
		{"a slot of another centre is refused", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily1, vBooking(1, f.slotAt(t, 20, "2026-08-10", "09:00", detention.VisitInPerson).ID)
		}, domain.KindInvalid, "validation.failed"},
		{"an unknown slot is refused", func(t *testing.T, _ *detention.Visits, _ *vFake) (domain.Actor, detention.NewBooking) {
			return vFamily1, vBooking(1, 123456)
		}, domain.KindInvalid, "validation.failed"},
		{"a full slot is a conflict", func(t *testing.T, s *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			slot := f.slotAt(t, 10, "2026-08-04", "14:00", detention.VisitRemote)
			if _, _, err := s.Book(context.Background(), vFamily3, vBooking(2, slot.ID), ""); err != nil {
				t.Fatal(err)
			}
			return vFamily1, vBooking(1, slot.ID)
		}, domain.KindConflict, "visit_booking.slot_full"},
		{"a closed slot is a conflict", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			slot := f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson)
			slot.Closed = true
			f.st.slots[slot.ID] = slot
			return vFamily1, vBooking(1, slot.ID)
		}, domain.KindConflict, "visit_slot.closed"},
		{"a second booking of the same visit is a conflict", func(t *testing.T, s *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			slot := f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson)
			if _, _, err := s.Book(context.Background(), vFamily2, vBooking(1, slot.ID), ""); err != nil {
				t.Fatal(err)
			}
			return vFamily1, vBooking(1, slot.ID)
		}, domain.KindConflict, "visit_booking.duplicate"},
		{"a suspended family member is refused", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			f.st.suspensions = append(f.st.suspensions, detention.VisitSuspension{CentreID: 10, UserID: 101, From: vMonday.AddDate(0, 0, -1), Until: vMonday.AddDate(0, 0, 29)})
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, domain.KindFailedPrecondition, "visit_booking.suspended"},
		{"a suspension that ended is no bar", func(t *testing.T, _ *detention.Visits, f *vFake) (domain.Actor, detention.NewBooking) {
			f.st.suspensions = append(f.st.suspensions, detention.VisitSuspension{CentreID: 10, UserID: 101, From: vMonday.AddDate(0, 0, -31), Until: vMonday.AddDate(0, 0, -1)})
			return vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
		}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := newVisits(t)
			a, n := tt.setup(t, s, f)
			seatsBefore := f.st.slots[n.SlotID].Booked
			ordersBefore := len(f.st.orders)
			b, created, err := s.Book(context.Background(), a, n, "")
			vWantErr(t, err, tt.kind, tt.code)
			if tt.kind != "" {
				if got := f.st.slots[n.SlotID].Booked; got != seatsBefore {
					t.Fatalf("a refused booking changed the seats from %d to %d", seatsBefore, got)
				}
				if len(f.st.orders) != ordersBefore {
					t.Fatalf("a refused booking created a work order")
				}
				return
			}
			if !created || b.Status != detention.BookingPending || b.BookerID != a.UserID || b.CentreID != 10 {
				t.Fatalf("booking %+v created=%v, want a pending booking of the family member", b, created)
			}
			if got := f.st.slots[n.SlotID].Booked; got != seatsBefore+1 {
				t.Fatalf("booked seats %d, want %d", got, seatsBefore+1)
			}
			if v := b.Visitors[0]; v.IDNumber != "1101**********1000" || v.Phone != "13800138000" {
				t.Fatalf("stored visitor %+v, want the ID number masked", v)
			}
			last := f.st.orders[len(f.st.orders)-1]
			if last.Kind != "visit_approval" || last.UnitID != 10 || last.ResourceID != b.ID {
				t.Fatalf("work order %+v, want visit_approval for centre 10 about booking %d", last, b.ID)
			}
			if au := f.st.audits[len(f.st.audits)-1]; au.Action != "visit_booking.create" || au.ResourceID != b.ID {
				t.Fatalf("audit %+v", au)
			}
		})
	}
}

func TestBookingIdempotency(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	n := vBooking(1, f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson).ID)
	first, created, err := s.Book(ctx, vFamily1, n, "key-1")
	vWantErr(t, err, "", "")
	again, createdAgain, err := s.Book(ctx, vFamily1, n, "key-1")
	vWantErr(t, err, "", "")
	if !created || createdAgain || again.ID != first.ID {
		t.Fatalf("retry answered booking %d (created %v), want the first %d", again.ID, createdAgain, first.ID)
	}
	if got := f.st.slots[n.SlotID].Booked; got != 1 {
		t.Fatalf("a retry took another seat: %d booked", got)
	}
	other := n
	other.Relationship = "子女"
	_, _, err = s.Book(ctx, vFamily1, other, "key-1")
	vWantErr(t, err, domain.KindInvalid, "idempotency.key_reused")
	// Another user's same key is theirs alone.
	_, created, err = s.Book(ctx, vFamily2, vBooking(1, f.slotAt(t, 10, "2026-08-05", "09:00", detention.VisitInPerson).ID), "key-1")
	if err != nil || !created {
		t.Fatalf("another user's key collided: %v", err)
	}
	_, _, err = s.Book(ctx, vFamily1, n, strings.Repeat("k", 129))
	vWantErr(t, err, domain.KindInvalid, "")
}

func TestHoldKeepsTheSeatForTenMinutes(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	slot := f.slotAt(t, 10, "2026-08-04", "14:00", detention.VisitRemote) // one seat
	hold, err := s.HoldSeat(ctx, vFamily1, slot.ID, 1)
	vWantErr(t, err, "", "")
	if !hold.ExpiresAt.Equal(vMonday.Add(10*time.Minute)) || f.st.slots[slot.ID].Booked != 1 {
		t.Fatalf("hold %+v, slot %+v: want one seat taken for 10 minutes", hold, f.st.slots[slot.ID])
	}
	again, err := s.HoldSeat(ctx, vFamily1, slot.ID, 1)
	if err != nil || again.ID != hold.ID {
		t.Fatalf("holding the same seat again: %v, %+v", err, again)
	}
	// Another family finds the seat taken while it is held …
	_, _, err = s.Book(ctx, vFamily3, vBooking(2, slot.ID), "")
	vWantErr(t, err, domain.KindConflict, "visit_booking.slot_full")
	_, err = s.HoldSeat(ctx, vFamily3, slot.ID, 2)
	vWantErr(t, err, domain.KindConflict, "visit_booking.slot_full")
	// … and the holder books on it without a second seat.
	n := vBooking(1, slot.ID)
	n.HoldID = hold.ID
	b, _, err := s.Book(ctx, vFamily1, n, "")
	vWantErr(t, err, "", "")
	if f.st.slots[slot.ID].Booked != 1 || f.st.holds[hold.ID].State != detention.HoldUsed || f.st.holds[hold.ID].BookingID != b.ID {
		t.Fatalf("slot %+v hold %+v: want the hold used by booking %d and one seat", f.st.slots[slot.ID], f.st.holds[hold.ID], b.ID)
	}
	// Someone else's hold cannot be presented.
	wed := f.slotAt(t, 10, "2026-08-05", "14:00", detention.VisitRemote)
	h2, err := s.HoldSeat(ctx, vFamily3, wed.ID, 2)
	vWantErr(t, err, "", "")
	n = vBooking(1, wed.ID)
	n.HoldID = h2.ID
	_, _, err = s.Book(ctx, vFamily1, n, "")
	vWantErr(t, err, domain.KindInvalid, "validation.failed")
}

func TestExpiredHoldFreesTheSeat(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	slot := f.slotAt(t, 10, "2026-08-04", "14:00", detention.VisitRemote)
	if _, err := s.HoldSeat(ctx, vFamily1, slot.ID, 1); err != nil {
		t.Fatal(err)
	}
	f.now = vMonday.Add(10 * time.Minute)
	slots, _ := s.VisitSlots(ctx, 10, "2026-08-04", "2026-08-04")
	for _, sl := range slots {
		if sl.ID == slot.ID && sl.Remaining() != 1 {
			t.Fatalf("an expired hold still shows its seat taken: %+v", sl)
		}
	}
	b, _, err := s.Book(ctx, vFamily3, vBooking(2, slot.ID), "")
	vWantErr(t, err, "", "")
	if f.st.slots[slot.ID].Booked != 1 || b.SlotID != slot.ID {
		t.Fatalf("after the hold ran out, slot %+v", f.st.slots[slot.ID])
	}
	if n, err := s.ReleaseExpiredHolds(ctx, f.now); err != nil || n != 0 {
		t.Fatalf("the booker already reclaimed the hold; the sweep ended %d: %v", n, err)
	}
}

func TestANewHoldGivesBackThePrevious(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	tue := f.slotAt(t, 10, "2026-08-04", "14:00", detention.VisitRemote)
	wed := f.slotAt(t, 10, "2026-08-05", "14:00", detention.VisitRemote)
	first, _ := s.HoldSeat(ctx, vFamily1, tue.ID, 1)
	if _, err := s.HoldSeat(ctx, vFamily1, wed.ID, 1); err != nil {
		t.Fatal(err)
	}
	if f.st.slots[tue.ID].Booked != 0 || f.st.holds[first.ID].State != detention.HoldReleased || f.st.slots[wed.ID].Booked != 1 {
		t.Fatalf("tue %+v wed %+v first hold %+v", f.st.slots[tue.ID], f.st.slots[wed.ID], f.st.holds[first.ID])
	}
	f.now = vMonday.Add(11 * time.Minute)
	if n, err := s.ReleaseExpiredHolds(ctx, f.now); err != nil || n != 1 || f.st.slots[wed.ID].Booked != 0 {
		t.Fatalf("the sweep ended %d holds (%v); wed %+v", n, err, f.st.slots[wed.ID])
	}
}

// vBooked books Wednesday's slot (two days ahead) for family 1 and detainee 1.
func vBooked(t *testing.T, s *detention.Visits, f *vFake, mode detention.VisitMode) *detention.VisitBooking {
	t.Helper()
	clock := "09:00"
	if mode == detention.VisitRemote {
		clock = "14:00"
	}
	b, _, err := s.Book(context.Background(), vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-05", clock, mode).ID), "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBookingActions(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error
		kind domain.Kind
		code string
	}{
		{"staff of another centre cannot see it", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			_, err := s.Approve(ctx, vStaffElse, b.ID)
			return err
		}, domain.KindNotFound, "visit_booking.not_found"},
		{"another family cannot read it", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			_, err := s.Booking(ctx, vFamily2, b.ID)
			return err
		}, domain.KindNotFound, "visit_booking.not_found"},
		{"another family cannot cancel it", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			_, err := s.Cancel(ctx, vFamily2, b.ID, "")
			return err
		}, domain.KindNotFound, "visit_booking.not_found"},
		{"the family cannot approve its own booking", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			_, err := s.Approve(ctx, vFamily1, b.ID)
			return err
		}, domain.KindForbidden, ""},
		{"staff cannot reschedule for the family", func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error {
			_, err := s.Reschedule(ctx, vStaff, b.ID, f.slotAt(t, 10, "2026-08-05", "09:00", detention.VisitInPerson).ID)
			return err
		}, domain.KindForbidden, "visit_booking.booker_only"},
		{"approving twice is an illegal transition", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
				return err
			}
			_, err := s.Approve(ctx, vStaff, b.ID)
			return err
		}, domain.KindFailedPrecondition, "visit_booking.illegal_transition"},
		{"a refusal needs a reason", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			_, err := s.Refuse(ctx, vStaff, b.ID, "  ")
			return err
		}, domain.KindInvalid, ""},
		{"a refused booking cannot be cancelled", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			if _, err := s.Refuse(ctx, vStaff, b.ID, "名额调整"); err != nil {
				return err
			}
			_, err := s.Cancel(ctx, vFamily1, b.ID, "")
			return err
		}, domain.KindFailedPrecondition, "visit_booking.illegal_transition"},
		{"the family cannot cancel within 24 hours", func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error {
			f.now = b.StartsAt.Add(-23 * time.Hour)
			_, err := s.Cancel(ctx, vFamily1, b.ID, "")
			return err
		}, domain.KindFailedPrecondition, "visit_booking.too_late"},
		{"the family cannot reschedule within 24 hours", func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error {
			f.now = b.StartsAt.Add(-23 * time.Hour)
			_, err := s.Reschedule(ctx, vFamily1, b.ID, f.slotAt(t, 10, "2026-08-06", "09:00", detention.VisitInPerson).ID)
			return err
		}, domain.KindFailedPrecondition, "visit_booking.too_late"},
		{"staff cancel without a reason is refused", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			_, err := s.Cancel(ctx, vStaff, b.ID, "")
			return err
		}, domain.KindInvalid, ""},
		{"attendance before the start is refused", func(t *testing.T, s *detention.Visits, _ *vFake, b *detention.VisitBooking) error {
			if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
				return err
			}
			_, err := s.MarkAttendance(ctx, vStaff, b.ID, detention.AttendanceAttended)
			return err
		}, domain.KindFailedPrecondition, "visit_booking.not_started"},
		{"attendance of a pending booking is illegal", func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error {
			f.now = b.StartsAt.Add(time.Minute)
			_, err := s.MarkAttendance(ctx, vStaff, b.ID, detention.AttendanceNoShow)
			return err
		}, domain.KindFailedPrecondition, "visit_booking.illegal_transition"},
		{"approving after the start is refused", func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error {
			f.now = b.StartsAt
			_, err := s.Approve(ctx, vStaff, b.ID)
			return err
		}, domain.KindFailedPrecondition, "visit_booking.started"},
		{"rescheduling to a full slot is a conflict and changes nothing", func(t *testing.T, s *detention.Visits, f *vFake, b *detention.VisitBooking) error {
			full := f.slotAt(t, 10, "2026-08-05", "14:00", detention.VisitRemote)
			if _, _, err := s.Book(ctx, vFamily3, vBooking(2, full.ID), ""); err != nil {
				return err
			}
			_, err := s.Reschedule(ctx, vFamily1, b.ID, full.ID)
			if f.st.slots[b.SlotID].Booked != 1 || f.st.bookings[b.ID].SlotID != b.SlotID {
				t.Fatalf("a failed reschedule moved the booking")
			}
			return err
		}, domain.KindConflict, "visit_booking.slot_full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := newVisits(t)
			b := vBooked(t, s, f, detention.VisitInPerson)
			vWantErr(t, tt.run(t, s, f, b), tt.kind, tt.code)
		})
	}
}

func TestApprovedRemoteVisitGetsARoomAndANotice(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	b := vBooked(t, s, f, detention.VisitRemote)
	got, err := s.Approve(ctx, vStaff, b.ID)
	vWantErr(t, err, "", "")
	if got.Status != detention.BookingApproved || got.RoomID != "visit-room-"+vItoa(b.ID) || got.DecidedBy != vStaff.UserID {
		t.Fatalf("approved booking %+v, want its room and decider", got)
	}
	var notice *vNotice
	for _, n := range f.st.notices {
		if n.Kind == detention.NoticeVisitApproved && n.BookingID == b.ID {
			notice = &n
		}
	}
	if notice == nil || notice.UserID != vFamily1.UserID || !strings.Contains(notice.Body, "2026-08-05 14:00") {
		t.Fatalf("notice %+v, want the family told of the 14:00 visit", notice)
	}
	v, err := s.Booking(ctx, vFamily1, b.ID)
	if err != nil || len(v.Events) != 2 || v.Events[1].From != detention.BookingPending || v.Events[1].To != detention.BookingApproved {
		t.Fatalf("history %+v (%v)", v, err)
	}
	// An in-person approval gets no room.
	in := vBooked(t, s, f, detention.VisitInPerson)
	got, _ = s.Approve(ctx, vStaff, in.ID)
	if got.RoomID != "" || len(f.st.rooms) != 1 {
		t.Fatalf("in-person approval made a room: %+v", got)
	}
}

func TestRefuseAndCancelGiveTheSeatBack(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	b := vBooked(t, s, f, detention.VisitRemote)
	if _, err := s.Refuse(ctx, vStaff, b.ID, "当日警力不足"); err != nil {
		t.Fatal(err)
	}
	if f.st.slots[b.SlotID].Booked != 0 {
		t.Fatalf("a refused booking kept its seat")
	}
	if n := f.st.notices["visit_booking:"+vItoa(b.ID)+":refused:v1"]; n.Kind != detention.NoticeVisitRefused || !strings.Contains(n.Body, "当日警力不足") {
		t.Fatalf("refusal notice %+v", n)
	}
	b = vBooked(t, s, f, detention.VisitRemote)
	got, err := s.Cancel(ctx, vFamily1, b.ID, "")
	if err != nil || got.Status != detention.BookingCancelled || got.CancelledBy != vFamily1.UserID || f.st.slots[b.SlotID].Booked != 0 {
		t.Fatalf("family cancel: %+v, %v", got, err)
	}
	b = vBooked(t, s, f, detention.VisitRemote)
	if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
		t.Fatal(err)
	}
	f.now = b.StartsAt.Add(-time.Hour) // staff may cancel after the family's cut-off
	if got, err := s.Cancel(ctx, vStaff, b.ID, "所内临时管控"); err != nil || got.Reason != "所内临时管控" {
		t.Fatalf("staff cancel: %+v, %v", got, err)
	}
	if n := f.st.notices["visit_booking:"+vItoa(b.ID)+":cancelled:v2"]; n.Kind != detention.NoticeVisitCancelled {
		t.Fatalf("the family was not told of the staff cancel: %+v", f.st.notices)
	}
}

func TestRescheduleMovesTheSeat(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	b := vBooked(t, s, f, detention.VisitRemote)
	if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
		t.Fatal(err)
	}
	to := f.slotAt(t, 10, "2026-08-06", "09:00", detention.VisitInPerson)
	got, err := s.Reschedule(ctx, vFamily1, b.ID, to.ID)
	vWantErr(t, err, "", "")
	if got.Status != detention.BookingPending || got.SlotID != to.ID || got.Mode != detention.VisitInPerson || got.RoomID != "" || !got.StartsAt.Equal(to.StartsAt) {
		t.Fatalf("rescheduled booking %+v, want pending in the new slot without a room", got)
	}
	if f.st.slots[b.SlotID].Booked != 0 || f.st.slots[to.ID].Booked != 1 {
		t.Fatalf("seats: old %d new %d, want 0 and 1", f.st.slots[b.SlotID].Booked, f.st.slots[to.ID].Booked)
	}
	var orders int
	for _, o := range f.st.orders {
		if o.ResourceID == b.ID && o.Kind == detention.OrderVisitApproval {
			orders++
		}
	}
	if orders != 2 {
		t.Fatalf("%d work orders for the booking, want one more for the new time", orders)
	}
	_, err = s.Reschedule(ctx, vFamily1, b.ID, f.slotAt(t, 20, "2026-08-06", "09:00", detention.VisitInPerson).ID)
	vWantErr(t, err, domain.KindInvalid, "")
}

func TestThreeNoShowsSuspendForThirtyDays(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	days := []string{"2026-08-04", "2026-08-05", "2026-08-06"}
	var ids []int64
	for _, d := range days {
		b, _, err := s.Book(ctx, vFamily1, vBooking(1, f.slotAt(t, 10, d, "09:00", detention.VisitInPerson).ID), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	for i, id := range ids {
		f.now = f.st.bookings[id].StartsAt.Add(time.Hour)
		if _, err := s.MarkAttendance(ctx, vStaff, id, detention.AttendanceNoShow); err != nil {
			t.Fatal(err)
		}
		if suspended := len(f.st.suspensions) > 0; suspended != (i == 2) {
			t.Fatalf("after %d no-shows suspended=%v", i+1, suspended)
		}
	}
	sp := f.st.suspensions[0]
	if sp.UserID != 101 || !sp.Until.Equal(f.now.AddDate(0, 0, 30)) {
		t.Fatalf("suspension %+v", sp)
	}
	_, _, err := s.Book(ctx, vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-08", "09:00", detention.VisitInPerson).ID), "")
	vWantErr(t, err, domain.KindFailedPrecondition, "visit_booking.suspended")
	// Another family member of the same detainee books on.
	_, _, err = s.Book(ctx, vFamily2, vBooking(1, f.slotAt(t, 10, "2026-08-08", "09:00", detention.VisitInPerson).ID), "")
	vWantErr(t, err, "", "")
}

func TestCancelFutureForEndsTheDetaineesBookings(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	pending := vBooked(t, s, f, detention.VisitInPerson)
	approved := vBooked(t, s, f, detention.VisitRemote)
	if _, err := s.Approve(ctx, vStaff, approved.ID); err != nil {
		t.Fatal(err)
	}
	other, _, err := s.Book(ctx, vFamily3, vBooking(2, f.slotAt(t, 10, "2026-08-06", "09:00", detention.VisitInPerson).ID), "")
	if err != nil {
		t.Fatal(err)
	}
	err = f.WithTx(ctx, func(ctx context.Context) error { return s.CancelFutureFor(ctx, 1, "已释放") })
	vWantErr(t, err, "", "")
	for _, id := range []int64{pending.ID, approved.ID} {
		b := f.st.bookings[id]
		if b.Status != detention.BookingCancelled || b.Reason != "已释放" || b.CancelledBy != 0 || f.st.slots[b.SlotID].Booked != 0 {
			t.Fatalf("booking %+v after the release, slot %+v", b, f.st.slots[b.SlotID])
		}
		if n := f.st.notices["visit_booking:"+vItoa(id)+":cancelled:v"+vItoa(int64(b.Version-1))]; n.UserID != 101 || n.Kind != detention.NoticeVisitCancelled {
			t.Fatalf("the family was not told of booking %d: %+v", id, f.st.notices)
		}
	}
	if f.st.bookings[other.ID].Status != detention.BookingPending {
		t.Fatalf("another detainee's booking was cancelled")
	}
}

func TestRemindTomorrowOnceEach(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	tomorrow := vBooked(t, s, f, detention.VisitRemote)
	if _, err := s.Approve(ctx, vStaff, tomorrow.ID); err != nil {
		t.Fatal(err)
	}
	vBooked(t, s, f, detention.VisitInPerson) // pending: no reminder
	later, _, _ := s.Book(ctx, vFamily1, vBooking(1, f.slotAt(t, 10, "2026-08-06", "09:00", detention.VisitInPerson).ID), "")
	if _, err := s.Approve(ctx, vStaff, later.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.RemindTomorrow(ctx, vMonday.Add(32*time.Hour)); err != nil { // 18:00 on Tuesday
			t.Fatal(err)
		}
	}
	var reminders []vNotice
	for _, n := range f.st.notices {
		if n.Kind == detention.NoticeVisitReminder {
			reminders = append(reminders, n)
		}
	}
	if len(reminders) != 1 || reminders[0].BookingID != tomorrow.ID || reminders[0].UserID != 101 {
		t.Fatalf("reminders %+v, want one for booking %d", reminders, tomorrow.ID)
	}
}

func TestBlockingADayClosesItAndCancelsItsBookings(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	b := vBooked(t, s, f, detention.VisitInPerson)
	_, err := s.BlockDate(ctx, vFamily1, 10, "2026-08-05", "x")
	vWantErr(t, err, domain.KindForbidden, "")
	_, err = s.BlockDate(ctx, vStaff, 10, "2026-08-02", "过去")
	vWantErr(t, err, domain.KindInvalid, "")
	if _, err := s.BlockDate(ctx, vStaff, 10, "2026-08-05", "上级检查"); err != nil {
		t.Fatal(err)
	}
	if got := f.st.bookings[b.ID]; got.Status != detention.BookingCancelled || !strings.Contains(got.Reason, "上级检查") {
		t.Fatalf("booking on a blocked day %+v", got)
	}
	slots, _ := s.VisitSlots(ctx, 10, "2026-08-05", "2026-08-05")
	if len(slots) != 0 {
		t.Fatalf("a blocked day offers %d slots", len(slots))
	}
	if err := s.UnblockDate(ctx, vStaff, 10, "2026-08-05"); err != nil {
		t.Fatal(err)
	}
	slots, _ = s.VisitSlots(ctx, 10, "2026-08-05", "2026-08-05")
	if len(slots) != 2 {
		t.Fatalf("an unblocked day offers %d slots, want 2", len(slots))
	}
	vWantErr(t, s.UnblockDate(ctx, vStaff, 10, "2026-08-05"), domain.KindNotFound, "")
}

func TestListBookingsBySide(t *testing.T) {
	s, f := newVisits(t)
	ctx := context.Background()
	mine := vBooked(t, s, f, detention.VisitInPerson)
	theirs, _, _ := s.Book(ctx, vFamily3, vBooking(2, f.slotAt(t, 10, "2026-08-05", "09:00", detention.VisitInPerson).ID), "")
	elsewhere, _, _ := s.Book(ctx, vFamily1, vBooking(3, f.slotAt(t, 20, "2026-08-05", "09:00", detention.VisitInPerson).ID), "")
	ids := func(bs []detention.BookingItem) (out []int64) {
		for _, b := range bs {
			out = append(out, b.ID)
		}
		return out
	}
	got, _ := s.ListBookings(ctx, vFamily1, detention.BookingFilter{Centres: []int64{10, 20}, All: true})
	if want := []int64{elsewhere.ID, mine.ID}; !vEqual(ids(got), want) {
		t.Fatalf("family list %v, want %v", ids(got), want)
	}
	got, _ = s.ListBookings(ctx, vStaff, detention.BookingFilter{})
	if want := []int64{theirs.ID, mine.ID}; !vEqual(ids(got), want) {
		t.Fatalf("staff list %v, want %v", ids(got), want)
	}
	got, _ = s.ListBookings(ctx, vStaff, detention.BookingFilter{Centres: []int64{20}})
	if len(got) != 0 {
		t.Fatalf("staff narrowed to another centre saw %v", ids(got))
	}
}

func vEqual(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func vItoa(n int64) string { return strconv.FormatInt(n, 10) }

// A slot is listed only while it can be booked: one that has begun or starts
// closer than min_days_ahead would show seats that every booking refuses.
func TestListedSlotsAreTheBookableOnes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		minAhead  int
		wantFirst time.Duration // from vMonday 10:00
		wantCount int
	}{
		{"with min_days_ahead 0 today's later slot is listed, not the one that began", 0, 4 * time.Hour, 1 + 14*2},
		{"with min_days_ahead 1 tomorrow's slots come first", 1, 23 * time.Hour, 14 * 2},
		{"with min_days_ahead 2 tomorrow's slots are not listed", 2, 47 * time.Hour, 13 * 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := newVisits(t)
			rules := detention.DefaultVisitRules()
			rules.MinDaysAhead = tt.minAhead
			_, err := s.SetVisitRules(ctx, vStaff, 10, rules)
			vWantErr(t, err, "", "")
			slots, err := s.VisitSlots(ctx, 10, "", "")
			vWantErr(t, err, "", "")
			if len(slots) != tt.wantCount || slots[0].StartsAt.Sub(vMonday) != tt.wantFirst {
				t.Fatalf("%d slots from %s, want %d from %s", len(slots), slots[0].StartsAt, tt.wantCount, vMonday.Add(tt.wantFirst))
			}
			// Every listed slot with seats can be booked.
			_, _, err = s.Book(ctx, vFamily1, vBooking(1, slots[0].ID), "")
			vWantErr(t, err, "", "")
			// And one before the first listed cannot.
			if tt.minAhead == 2 {
				tomorrow := f.slotAt(t, 10, "2026-08-04", "09:00", detention.VisitInPerson)
				_, _, err = s.Book(ctx, vFamily3, vBooking(2, tomorrow.ID), "")
				vWantErr(t, err, domain.KindInvalid, "validation.failed")
			}
		})
	}
}

// endedRooms records the owners whose live rooms the rules ended.
type endedRooms []string

func (e *endedRooms) EndRoomsOf(ownerType string, ownerID int64, reason string) {
	*e = append(*e, ownerType+":"+vItoa(ownerID)+":"+reason)
}

// A remote visit's live room ends the moment its approved booking is
// cancelled (issue 16: rooms outlive their booking); a failed cancel ends
// nothing.
func TestCancellingAnApprovedVisitEndsItsLiveRoom(t *testing.T) {
	s, f := newVisits(t)
	ended := &endedRooms{}
	s.LiveRooms = ended
	ctx := context.Background()
	b := vBooked(t, s, f, detention.VisitRemote)
	if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cancel(ctx, vStaff, b.ID, ""); err == nil {
		t.Fatal("a staff cancel without a reason went through")
	}
	if len(*ended) != 0 {
		t.Fatalf("a refused cancel ended rooms: %v", *ended)
	}
	f.now = b.StartsAt.Add(-time.Hour)
	if _, err := s.Cancel(ctx, vStaff, b.ID, "所内临时管控"); err != nil {
		t.Fatal(err)
	}
	if want := "visit:" + vItoa(b.ID) + ":booking_ended"; len(*ended) != 1 || (*ended)[0] != want {
		t.Fatalf("ended %v, want [%s]", *ended, want)
	}
}
