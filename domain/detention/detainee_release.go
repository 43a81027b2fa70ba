package detention

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Departure is a release or transfer staff record.
type Departure struct {
	On          time.Time // the day the detainee left
	Reason      string
	Destination string // a transfer's destination (another centre, a prison …)
}

func (s *Custody) validDeparture(d Departure, transfer bool) (Departure, error) {
	var p domain.Problems
	if d.On.IsZero() {
		p.Add("date", domain.FieldRequired, "is required")
	} else if d.On.After(s.Clock.Now()) {
		p.Add("date", domain.FieldOutOfRange, "is in the future")
	}
	d.Reason = checkText(&p, "reason", d.Reason, true, 500)
	d.Destination = checkText(&p, "destination", d.Destination, transfer, 200)
	return d, p.Err()
}

// Release records that a detainee left at the end of (or early from) their
// detention: their future visit bookings are cancelled, and the home
// station gets a work order to follow them up for FollowUpDays (跟踪回访).
func (s *Custody) Release(ctx context.Context, a domain.Actor, detaineeID int64, dep Departure) (*Detainee, *FollowUp, error) {
	dep, err := s.validDeparture(dep, false)
	if err != nil {
		return nil, nil, err
	}
	var (
		out *Detainee
		fu  *FollowUp
	)
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		d, now, err := s.depart(ctx, a, detaineeID, Released, dep)
		if err != nil {
			return err
		}
		fu = &FollowUp{DetaineeID: d.ID, CentreID: d.CentreID, StationID: d.HomeStationID, State: FollowUpOpen, ReleasedOn: dep.On,
			DueAt: dep.On.AddDate(0, 0, s.followUpDays()), CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.FollowUps.CreateFollowUp(ctx, fu); err != nil {
			return err
		}
		if err := s.Orders.CreateOrder(ctx, OrderFollowUp, d.HomeStationID, 0, 2, "出所人员跟踪回访："+d.Name, "follow_up", fu.ID,
			fmt.Sprintf("follow_up:%d", fu.ID)); err != nil {
			return err
		}
		out = d
		return s.audit(ctx, a, now, "follow_up.open", "follow_up", fu.ID, fmt.Sprintf("detainee %d", d.ID))
	})
	return out, fu, err
}

// Transfer records that a detainee was moved elsewhere; their future visit
// bookings are cancelled.
func (s *Custody) Transfer(ctx context.Context, a domain.Actor, detaineeID int64, dep Departure) (*Detainee, error) {
	dep, err := s.validDeparture(dep, true)
	if err != nil {
		return nil, err
	}
	var out *Detainee
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		out, _, err = s.depart(ctx, a, detaineeID, Transferred, dep)
		return err
	})
	return out, err
}

// depart moves a detained person to released or transferred and cancels
// their future bookings, in the caller's transaction.
func (s *Custody) depart(ctx context.Context, a domain.Actor, detaineeID int64, to Status, dep Departure) (*Detainee, time.Time, error) {
	d, err := s.visibleDetainee(ctx, a, detaineeID)
	if err != nil {
		return nil, time.Time{}, err
	}
	if err := Leave(d.Status, to); err != nil {
		return nil, time.Time{}, err
	}
	now := s.Clock.Now()
	left := dep.On
	d.Status, d.LeftAt, d.LeaveReason, d.Destination, d.UpdatedAt = to, &left, dep.Reason, dep.Destination, now
	if err := s.updateDetainee(ctx, d); err != nil {
		return nil, now, err
	}
	why := "被拘留人已出所"
	if to == Transferred {
		why = "被拘留人已转所"
	}
	if err := s.Bookings.CancelFutureFor(ctx, d.ID, why); err != nil {
		return nil, now, err
	}
	if err := s.Orders.SettleOrders(ctx, a, "detainee.left", d.ID); err != nil {
		return nil, now, err
	}
	return d, now, s.audit(ctx, a, now, "detainee."+map[Status]string{Released: "release", Transferred: "transfer"}[to], "detainee", d.ID, dep.Reason)
}

// Leave checks a detainee's move out of detention: only a detained person
// can be released or transferred, once.
func Leave(from, to Status) error {
	if from == Detained && (to == Released || to == Transferred) {
		return nil
	}
	if to != Released && to != Transferred {
		return domain.Errorf(domain.KindInternal, "detainee.bad_status", "Unknown move %q.", to)
	}
	return domain.Errorf(domain.KindFailedPrecondition, "detainee.not_detained", "The detainee has already left the centre.")
}
