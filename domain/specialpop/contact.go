package specialpop

import (
	"context"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// CheckContacts finds the managed people whose contact plan date has
// passed and, for each, in one transaction: marks them overdue, writes a
// "missed" line, raises a contact_missed warning at the area's station
// (its instruction sheet goes to the station) and gives the responsible
// officer a make-up visit order (补访), which the next visit ends. Each
// miss is raised once (the dedupe keys carry the missed date). It returns
// how many it found.
func (s *Service) CheckContacts(ctx context.Context) (int, error) {
	n := 0
	for {
		now := s.Clock.Now()
		due, err := s.Store.MissedContacts(ctx, now, 100)
		if err != nil || len(due) == 0 {
			return n, err
		}
		areas, err := s.areaMap(ctx)
		if err != nil {
			return n, err
		}
		for i := range due {
			if err := s.missed(ctx, &due[i], areas[due[i].AreaID], now); err != nil {
				return n, err
			}
			n++
		}
		if len(due) < 100 {
			return n, nil
		}
	}
}

func (s *Service) areaMap(ctx context.Context) (map[int64]Area, error) {
	all, err := s.Store.Areas(ctx)
	m := make(map[int64]Area, len(all))
	for _, a := range all {
		m[a.ID] = a
	}
	return m, err
}

func (s *Service) missed(ctx context.Context, p *Person, ar Area, now time.Time) error {
	return s.Tx.WithTx(ctx, func(ctx context.Context) error {
		cur, err := s.Store.Person(ctx, p.ID)
		if err != nil {
			return err
		}
		if !cur.Overdue(now) || cur.OverdueSince != nil {
			return nil // visited or changed meanwhile
		}
		missedOn := cur.NextContactDue.Format("2006-01-02")
		cur.OverdueSince, cur.UpdatedAt = &now, now
		if ok, err := s.Store.UpdatePerson(ctx, cur); err != nil || !ok {
			return err // a concurrent change: the next round looks again
		}
		if err := s.Store.AddRecord(ctx, &Record{PersonID: cur.ID, AreaID: cur.AreaID, Type: RecMissed, At: now,
			Note: "contact plan due " + missedOn}); err != nil {
			return err
		}
		key := "special:" + strconv.FormatInt(cur.ID, 10) + ":" + missedOn
		if _, err := s.Warnings.Raise(ctx, warning.KindContactMissed, "special_person:"+strconv.FormatInt(cur.ID, 10), ar.StationID, "contact_missed:"+key); err != nil {
			return err
		}
		priority := 2
		if cur.RiskLevel == RiskHigh {
			priority = 1
		}
		if err := s.Orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindSpecialContact, UnitID: ar.StationID, PersonID: cur.OfficerID,
			Priority: priority, Title: "特殊人群未按计划走访，请补访：" + cur.Name, ResourceType: ResourceType, ResourceID: cur.ID,
			DedupeKey: "special_contact:" + key}); err != nil {
			return err
		}
		return s.Audit.Audit(ctx, domain.AuditOf(domain.System, now, "special_person.missed", ResourceType, cur.ID, missedOn))
	})
}

// Patrols asks for holiday or special-period patrols (节假日重点巡查).
type Patrols struct {
	AreaID   int64  // 0: every area of the caller
	From, To string // YYYY-MM-DD in the deployment's zone, at most 31 days
	Reason   string // 国庆节, 春节, 重要会议期间…
}

// GeneratePatrols gives every person under management (or lost contact)
// in the areas a patrol order to the responsible officer, due at the end
// of the period, the high-risk first; a visit ends it. Asking again for
// the same period adds nothing. It returns the number of orders made.
func (s *Service) GeneratePatrols(ctx context.Context, a domain.Actor, req Patrols) (int, error) {
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	var p domain.Problems
	from, ferr := time.ParseInLocation("2006-01-02", req.From, loc)
	to, terr := time.ParseInLocation("2006-01-02", req.To, loc)
	if ferr != nil {
		p.Add("from", domain.FieldInvalid, "must be YYYY-MM-DD")
	}
	if terr != nil {
		p.Add("to", domain.FieldInvalid, "must be YYYY-MM-DD")
	}
	if ferr == nil && terr == nil && (to.Before(from) || to.Sub(from) > 31*24*time.Hour) {
		p.Add("to", domain.FieldOutOfRange, "must be on or after from, at most 31 days later")
	}
	if p.Require("reason", req.Reason) && len([]rune(req.Reason)) > 50 {
		p.Add("reason", domain.FieldTooLong, "is too long")
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	areas, err := s.AreasOf(ctx, a)
	if err != nil {
		return 0, err
	}
	if req.AreaID != 0 {
		ar, err := s.VisibleArea(ctx, a, req.AreaID)
		if err != nil {
			return 0, err
		}
		areas = []Area{*ar}
	}
	if len(areas) == 0 {
		return 0, errAreaNotFound
	}
	due := to.AddDate(0, 0, 1) // the end of the last day
	n := 0
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		for _, ar := range areas {
			for _, st := range []State{Managed, LostContact} {
				people, err := s.Store.People(ctx, Filter{AreaIDs: []int64{ar.ID}, State: st, Limit: 10000})
				if err != nil {
					return err
				}
				for _, pr := range people {
					priority := 3
					switch pr.RiskLevel {
					case RiskHigh:
						priority = 1
					case RiskMedium:
						priority = 2
					}
					if err := s.Orders.Create(ctx, workorder.NewOrder{Kind: workorder.KindSpecialPatrol, UnitID: ar.StationID, PersonID: pr.OfficerID,
						Priority: priority, Title: "节假日重点巡查（" + req.Reason + " " + req.From + "至" + req.To + "）：" + pr.Name,
						ResourceType: ResourceType, ResourceID: pr.ID, DueAt: &due,
						DedupeKey: "special_patrol:" + strconv.FormatInt(pr.ID, 10) + ":" + req.From + ":" + req.To}); err != nil {
						return err
					}
					n++
				}
			}
		}
		return s.Audit.Audit(ctx, domain.AuditOf(a, s.Clock.Now(), "special_person.patrols", "fusion_area", req.AreaID, req.From+"~"+req.To))
	})
	return n, err
}

// Summary is the register's figures for the actor's areas.
type Summary struct {
	Counts     []Count
	Managed    int // under management
	OnPlan     int // of them, contact plan not passed
	Compliance float64
}

// Summarise counts the register of the given areas (nil: the actor's).
func (s *Service) Summarise(ctx context.Context, a domain.Actor, areaIDs []int64) (*Summary, error) {
	if areaIDs == nil {
		var err error
		if areaIDs, err = s.AreaIDs(ctx, a); err != nil {
			return nil, err
		}
	}
	out := &Summary{Counts: []Count{}, Compliance: 1}
	if len(areaIDs) == 0 {
		return out, nil
	}
	var err error
	if out.Counts, err = s.Store.Counts(ctx, areaIDs); err != nil {
		return nil, err
	}
	if out.Managed, out.OnPlan, err = s.Store.PlanCompliance(ctx, areaIDs, s.Clock.Now()); err != nil {
		return nil, err
	}
	if out.Managed > 0 {
		out.Compliance = float64(out.OnPlan) / float64(out.Managed)
	}
	return out, nil
}

// Changes are the areas' register lines written in [from, to): what the
// monthly meeting's agenda lists as special-population changes.
func (s *Service) Changes(ctx context.Context, areaIDs []int64, from, to time.Time) ([]Record, error) {
	return s.Store.RecordsBetween(ctx, areaIDs, from, to)
}
