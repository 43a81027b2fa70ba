package jointmeeting

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/inbox"
	"github.com/tiaojie/tiaojie/domain/specialpop"
)

// Digest is the weekly liaison exchange (联络员每周交换) of one area.
type Digest struct {
	AreaID         int64
	WeekStart      time.Time
	Disputes       int
	OpenWarnings   int
	SpecialChanges int
	OpenActions    int
	OverdueActions int
	Recipients     []int64
	Text           string
}

// WeekOf is the Monday 00:00 (in the deployment's zone) of t's week.
func (s *Service) WeekOf(t time.Time) time.Time {
	t = t.In(s.loc())
	d := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-d, 0, 0, 0, 0, s.loc())
}

// SendDigest prepares the area's digest of the week starting at the Monday
// of week (zero: this week) and puts it in the inbox of each of the three
// liaisons, once per area and week.
func (s *Service) SendDigest(ctx context.Context, a domain.Actor, areaID int64, week time.Time) (*Digest, error) {
	if week.IsZero() {
		week = s.Clock.Now()
	}
	areas, err := s.Register.AreasOf(ctx, a)
	if err != nil {
		return nil, err
	}
	for _, ar := range areas {
		if ar.ID == areaID {
			return s.digest(ctx, ar, s.WeekOf(week))
		}
	}
	return nil, domain.Errorf(domain.KindNotFound, "fusion_area.not_found", "No such area.")
}

// SendDigests sends every area's digest of the week before now's (the
// scheduled job: repeated calls add nothing); an area set up after that
// week has none.
func (s *Service) SendDigests(ctx context.Context, all []specialpop.Area) (int, error) {
	week := s.WeekOf(s.Clock.Now()).AddDate(0, 0, -7)
	n := 0
	for _, ar := range all {
		if ar.CreatedAt.After(week.AddDate(0, 0, 7)) {
			continue // the area did not exist that week
		}
		if _, err := s.digest(ctx, ar, week); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Service) digest(ctx context.Context, ar specialpop.Area, week time.Time) (*Digest, error) {
	ag, err := s.agenda(ctx, LevelArea, []specialpop.Area{ar}, week, week.AddDate(0, 0, 7))
	if err != nil {
		return nil, err
	}
	open, err := s.Store.OpenActions(ctx, []int64{ar.ID}, nil)
	if err != nil {
		return nil, err
	}
	d := &Digest{AreaID: ar.ID, WeekStart: week, Disputes: len(ag.Disputes), OpenWarnings: len(ag.OpenWarnings), SpecialChanges: len(ag.SpecialChanges),
		OpenActions: len(open), Recipients: ar.Liaisons()}
	now := s.Clock.Now()
	for _, x := range open {
		if x.Overdue(now) {
			d.OverdueActions++
		}
	}
	d.Text = fmt.Sprintf("%s %s 起一周：新增纠纷 %d 件，未处置预警 %d 条，特殊人群变动 %d 条，会商事项未办结 %d 项（逾期 %d 项）。",
		ar.Name, week.Format("2006-01-02"), d.Disputes, d.OpenWarnings, d.SpecialChanges, d.OpenActions, d.OverdueActions)
	if d.Recipients == nil {
		d.Recipients = []int64{}
	}
	err = s.Tx.WithTx(ctx, func(ctx context.Context) error {
		for _, u := range d.Recipients {
			if err := s.Inbox.Send(ctx, inbox.Notification{UserID: u, Kind: "liaison_digest", Title: "联络员每周交换：" + ar.Name, Body: d.Text,
				ResourceType: "fusion_area", ResourceID: ar.ID,
				DedupeKey: "liaison_digest:" + strconv.FormatInt(ar.ID, 10) + ":" + week.Format("2006-01-02") + ":" + strconv.FormatInt(u, 10)}); err != nil {
				return err
			}
		}
		return nil
	})
	return d, err
}

// Summarise counts the meetings and action items of the actor's areas and
// districts in [from, to).
func (s *Service) Summarise(ctx context.Context, a domain.Actor, from, to time.Time) (Tally, error) {
	sc, err := s.scope(ctx, a)
	if err != nil || len(sc.areas) == 0 {
		return Tally{}, err
	}
	var ids []int64
	for _, ar := range sc.areas {
		ids = append(ids, ar.ID)
	}
	return s.Store.Tally(ctx, ids, sc.districts, from, to, s.Clock.Now())
}
