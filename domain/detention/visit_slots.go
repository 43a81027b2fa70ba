package detention

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Limits of the slot set-up.
const (
	maxVisitTemplates = 100
	maxSlotCapacity   = 500
	maxSlotRangeDays  = 62
)

var clockTime = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)

// VisitRulesOf are the centre's booking rules (its own or the defaults);
// anyone signed in may read them, families need them to plan.
func (s *Visits) VisitRulesOf(ctx context.Context, centreID int64) (VisitRules, error) {
	if err := s.centre(ctx, centreID); err != nil {
		return VisitRules{}, err
	}
	return s.rulesOf(ctx, centreID)
}

// SetVisitRules changes the centre's rules (its staff only) and makes the
// slots of a longer horizon.
func (s *Visits) SetVisitRules(ctx context.Context, a domain.Actor, centreID int64, r VisitRules) (VisitRules, error) {
	if err := r.Validate(); err != nil {
		return r, err
	}
	if err := s.staffOfCentre(ctx, a, centreID); err != nil {
		return r, err
	}
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		if err := s.Store.SaveVisitRules(ctx, centreID, r, now); err != nil {
			return err
		}
		if err := s.audit(ctx, a, now, "visit.rules_set", "detention_center", centreID, ""); err != nil {
			return err
		}
		_, err := s.materialise(ctx, centreID, now)
		return err
	})
	return r, err
}

// VisitTemplates are the centre's weekly slot templates (its staff only).
func (s *Visits) VisitTemplates(ctx context.Context, a domain.Actor, centreID int64) ([]VisitTemplate, error) {
	if err := s.staffOfCentre(ctx, a, centreID); err != nil {
		return nil, err
	}
	return s.Store.VisitTemplates(ctx, centreID)
}

// ReplaceVisitTemplates makes ts the centre's templates (its staff only)
// and brings the slots of the booking horizon in line: new times appear,
// changed ones take the new end and capacity (never below the seats already
// booked), and times no template offers any more are closed — bookings on
// them stand until staff cancel them.
func (s *Visits) ReplaceVisitTemplates(ctx context.Context, a domain.Actor, centreID int64, ts []VisitTemplate) ([]VisitTemplate, error) {
	if err := validTemplates(ts); err != nil {
		return nil, err
	}
	if err := s.staffOfCentre(ctx, a, centreID); err != nil {
		return nil, err
	}
	out := make([]VisitTemplate, len(ts))
	err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		for i, t := range ts {
			t.ID, t.CentreID, t.CreatedBy, t.CreatedAt = 0, centreID, a.UserID, now
			out[i] = t
		}
		if err := s.Store.ReplaceVisitTemplates(ctx, centreID, out); err != nil {
			return err
		}
		if err := s.audit(ctx, a, now, "visit.templates_replace", "detention_center", centreID, strconv.Itoa(len(out))+" templates"); err != nil {
			return err
		}
		_, err := s.materialise(ctx, centreID, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func validTemplates(ts []VisitTemplate) error {
	var p domain.Problems
	if len(ts) > maxVisitTemplates {
		p.Add("templates", domain.FieldOutOfRange, "at most 100 templates")
		return p.Err()
	}
	for i, t := range ts {
		f := "templates[" + strconv.Itoa(i) + "]."
		if t.Weekday < 1 || t.Weekday > 7 {
			p.Add(f+"weekday", domain.FieldOutOfRange, "is 1 (Monday) to 7 (Sunday)")
		}
		startOK, endOK := clockTime.MatchString(t.Start), clockTime.MatchString(t.End)
		if !startOK {
			p.Add(f+"start", domain.FieldInvalid, "is a time like 09:00")
		}
		if !endOK {
			p.Add(f+"end", domain.FieldInvalid, "is a time like 10:00")
		}
		if startOK && endOK && t.End <= t.Start {
			p.Add(f+"end", domain.FieldOutOfRange, "must be after start")
		}
		if !t.Mode.Valid() {
			p.Add(f+"mode", domain.FieldUnsupported, "is in_person or remote")
		}
		if t.Capacity < 1 || t.Capacity > maxSlotCapacity {
			p.Add(f+"capacity", domain.FieldOutOfRange, "is 1 to 500")
		}
		if _, err := time.Parse(dayLayout, t.ValidFrom); err != nil {
			p.Add(f+"valid_from", domain.FieldInvalid, "is a date like 2026-08-01")
		}
		if t.ValidTo != "" {
			if _, err := time.Parse(dayLayout, t.ValidTo); err != nil {
				p.Add(f+"valid_to", domain.FieldInvalid, "is a date like 2026-12-31")
			} else if t.ValidTo < t.ValidFrom {
				p.Add(f+"valid_to", domain.FieldOutOfRange, "must not be before valid_from")
			}
		}
		for j := range i {
			if overlaps(ts[j], t) {
				p.Add(f+"start", domain.FieldNotAllowed, "overlaps templates["+strconv.Itoa(j)+"] (same weekday and mode)")
				break
			}
		}
	}
	return p.Err()
}

// overlaps reports whether two templates offer the same mode at
// overlapping times of a day they both cover.
func overlaps(a, b VisitTemplate) bool {
	if a.Weekday != b.Weekday || a.Mode != b.Mode || a.Start >= b.End || b.Start >= a.End {
		return false
	}
	aTo, bTo := a.ValidTo, b.ValidTo
	if aTo == "" {
		aTo = "9999-12-31"
	}
	if bTo == "" {
		bTo = "9999-12-31"
	}
	return a.ValidFrom <= bTo && b.ValidFrom <= aTo
}

// isoWeekday is 1 for Monday … 7 for Sunday.
func isoWeekday(t time.Time) int { return (int(t.Weekday())+6)%7 + 1 }

type slotKey struct {
	mode  VisitMode
	start int64 // Unix seconds
}

type slotShape struct {
	start, end time.Time
	capacity   int
}

// occurrences are the slots the templates offer on the days from first to
// last (local dates, inclusive) that are not blocked.
func (s *Visits) occurrences(ts []VisitTemplate, first, last string, blocked map[string]bool) map[slotKey]slotShape {
	out := map[slotKey]slotShape{}
	day, err := s.dayStart(first)
	if err != nil {
		return out
	}
	for d := day; d.Format(dayLayout) <= last; d = d.AddDate(0, 0, 1) {
		name := d.Format(dayLayout)
		if blocked[name] {
			continue
		}
		for _, t := range ts {
			if t.Weekday != isoWeekday(d) || name < t.ValidFrom || (t.ValidTo != "" && name > t.ValidTo) {
				continue
			}
			start, _ := time.ParseInLocation(dayLayout+" 15:04", name+" "+t.Start, s.loc())
			end, _ := time.ParseInLocation(dayLayout+" 15:04", name+" "+t.End, s.loc())
			out[slotKey{t.Mode, start.Unix()}] = slotShape{start: start, end: end, capacity: t.Capacity}
		}
	}
	return out
}

// materialise makes the stored slots of the booking horizon (today to
// MaxDaysAhead) match the templates and blocked days, in the caller's
// transaction. Slots that have started are left alone. It answers how many
// slots it created.
func (s *Visits) materialise(ctx context.Context, centreID int64, now time.Time) (int, error) {
	r, err := s.rulesOf(ctx, centreID)
	if err != nil {
		return 0, err
	}
	ts, err := s.Store.VisitTemplates(ctx, centreID)
	if err != nil {
		return 0, err
	}
	first := s.dayOf(now)
	firstStart, _ := s.dayStart(first)
	lastStart := firstStart.AddDate(0, 0, r.MaxDaysAhead)
	last := lastStart.Format(dayLayout)
	bl, err := s.Store.BlockedDates(ctx, centreID, first, last)
	if err != nil {
		return 0, err
	}
	blocked := make(map[string]bool, len(bl))
	for _, b := range bl {
		blocked[b.Day] = true
	}
	want := s.occurrences(ts, first, last, blocked)
	have, err := s.Store.Slots(ctx, centreID, now, lastStart.AddDate(0, 0, 1), now, true)
	if err != nil {
		return 0, err
	}
	for _, h := range have {
		k := slotKey{h.Mode, h.StartsAt.Unix()}
		w, ok := want[k]
		delete(want, k)
		switch {
		case ok && (h.Closed || !h.EndsAt.Equal(w.end) || h.Capacity != max(w.capacity, h.Booked)):
			err = s.Store.ReshapeSlot(ctx, h.ID, w.end, w.capacity, false, now)
		case !ok && !h.Closed:
			err = s.Store.ReshapeSlot(ctx, h.ID, h.EndsAt, h.Capacity, true, now)
		}
		if err != nil {
			return 0, err
		}
	}
	created := 0
	for k, w := range want {
		if !w.start.After(now) {
			continue
		}
		slot := &VisitSlot{CentreID: centreID, Mode: k.mode, StartsAt: w.start, EndsAt: w.end, Capacity: w.capacity, CreatedAt: now, UpdatedAt: now}
		ok, err := s.Store.InsertSlot(ctx, slot)
		if err != nil {
			return created, err
		}
		if ok {
			created++
		}
	}
	return created, nil
}

// GenerateSlots makes every centre's slots for the booking horizon; the
// server runs it daily (each day one more day comes into reach). Each
// centre is its own transaction. It answers how many slots it created.
func (s *Visits) GenerateSlots(ctx context.Context, now time.Time) (int, error) {
	centres, err := s.Store.TemplateCentres(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, c := range centres {
		err := s.Tx.WithTx(ctx, func(ctx context.Context) error {
			n, err := s.materialise(ctx, c, now)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// VisitSlots are the centre's open slots starting on the days from fromDay
// to toDay (inclusive; today and the end of the booking horizon when
// empty), with the seats a booker may still take. Only slots that can be
// booked now are listed: one that has begun, or starts sooner than
// min_days_ahead or later than max_days_ahead, would show free seats that
// every booking attempt refuses.
func (s *Visits) VisitSlots(ctx context.Context, centreID int64, fromDay, toDay string) ([]VisitSlot, error) {
	if err := s.centre(ctx, centreID); err != nil {
		return nil, err
	}
	r, err := s.rulesOf(ctx, centreID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	from, to, err := s.dayRange(fromDay, toDay, now, r.MaxDaysAhead)
	if err != nil {
		return nil, err
	}
	slots, err := s.Store.Slots(ctx, centreID, from, to, now, false)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slots, func(sl VisitSlot) bool { return !s.bookableAt(r, sl.StartsAt, now) }), nil
}

// dayRange reads a from–to pair of days into [from, to) times.
func (s *Visits) dayRange(fromDay, toDay string, now time.Time, horizon int) (time.Time, time.Time, error) {
	var p domain.Problems
	if fromDay == "" {
		fromDay = s.dayOf(now)
	}
	from, err := s.dayStart(fromDay)
	if err != nil {
		p.Add("from", domain.FieldInvalid, "is a date like 2026-08-01")
	}
	if toDay == "" && err == nil {
		toDay = s.dayOf(from.AddDate(0, 0, horizon))
	}
	to, err2 := s.dayStart(toDay)
	if err2 != nil {
		p.Add("to", domain.FieldInvalid, "is a date like 2026-08-14")
	}
	if err == nil && err2 == nil {
		if to.Before(from) {
			p.Add("to", domain.FieldOutOfRange, "must not be before from")
		} else if to.Sub(from) > maxSlotRangeDays*24*time.Hour {
			p.Add("to", domain.FieldOutOfRange, "at most 62 days after from")
		}
	}
	return from, to.AddDate(0, 0, 1), p.Err()
}

// BlockedDates are the centre's blocked days from today on.
func (s *Visits) BlockedDates(ctx context.Context, a domain.Actor, centreID int64) ([]BlockedDate, error) {
	if err := s.staffOfCentre(ctx, a, centreID); err != nil {
		return nil, err
	}
	return s.Store.BlockedDates(ctx, centreID, s.dayOf(s.Clock.Now()), "")
}

// BlockDate stops visits on a day (its staff only): the day's slots close
// and its pending and approved bookings are cancelled with the reason, the
// families told. Blocking a blocked day again changes nothing.
func (s *Visits) BlockDate(ctx context.Context, a domain.Actor, centreID int64, day, reason string) (*BlockedDate, error) {
	var p domain.Problems
	start, err := s.dayStart(day)
	if err != nil {
		p.Add("date", domain.FieldInvalid, "is a date like 2026-08-01")
	} else if day < s.dayOf(s.Clock.Now()) {
		p.Add("date", domain.FieldOutOfRange, "must not be in the past")
	}
	reason = checkReason(&p, "reason", reason, true)
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := s.staffOfCentre(ctx, a, centreID); err != nil {
		return nil, err
	}
	b := &BlockedDate{CentreID: centreID, Day: day, Reason: reason, CreatedBy: a.UserID}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		b.CreatedAt = now
		created, err := s.Store.BlockDate(ctx, b)
		if err != nil || !created {
			return err
		}
		if err := s.audit(ctx, a, now, "visit.date_block", "detention_center", centreID, day); err != nil {
			return err
		}
		if _, err := s.materialise(ctx, centreID, now); err != nil {
			return err
		}
		// Visits of the day that have begun stay as they are.
		bookings, err := s.Store.Bookings(ctx, BookingFilter{Centres: []int64{centreID}, Statuses: []BookingStatus{BookingPending, BookingApproved},
			StartsFrom: maxTime(start, now), StartsTo: start.AddDate(0, 0, 1), Limit: 10000})
		if err != nil {
			return err
		}
		return s.cancelAll(ctx, a, bookings, "会见日停止接待："+reason, now)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// UnblockDate opens a blocked day again (its staff only); its slots come
// back as the templates offer them.
func (s *Visits) UnblockDate(ctx context.Context, a domain.Actor, centreID int64, day string) error {
	if _, err := s.dayStart(day); err != nil {
		return domain.Errorf(domain.KindNotFound, "visit.blocked_date_not_found", "This day is not blocked.")
	}
	if err := s.staffOfCentre(ctx, a, centreID); err != nil {
		return err
	}
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		ok, err := s.Store.UnblockDate(ctx, centreID, day)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.KindNotFound, "visit.blocked_date_not_found", "This day is not blocked.")
		}
		now := s.Clock.Now()
		if err := s.audit(ctx, a, now, "visit.date_unblock", "detention_center", centreID, day); err != nil {
			return err
		}
		_, err = s.materialise(ctx, centreID, now)
		return err
	})
}

// checkReason reads a reason: trimmed, at most 200 characters.
func checkReason(p *domain.Problems, field, v string, required bool) string {
	v = clipText(v, 1000)
	switch {
	case v == "" && required:
		p.Add(field, domain.FieldRequired, "is required")
	case len([]rune(v)) > 200:
		p.Add(field, domain.FieldTooLong, "at most 200 characters")
	}
	return v
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
