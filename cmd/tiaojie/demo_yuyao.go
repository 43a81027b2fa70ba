package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// seedYuyao shows what the 拘调融合 programme added, on the demo centre's
// red detainee 刘某 (the demo citizen is his family): a remote visit three
// days ago that took place and that the family rated; a joint mediation
// with 渝北区人民法院执行局 (its home station, 双凤桥派出所, got a
// home_station_notice), decided, and rated by the court's partner1 and by
// the family; and a second decided one nobody has rated yet, for the family
// to rate in the phone app. The centre's statistics show both averages.
func seedYuyao(ctx context.Context, svc *services) error {
	users := map[string]*account.User{}
	for _, name := range []string{"staff1", "partner1"} {
		u, ok, err := svc.accounts.Users.UserByUsername(ctx, name)
		if err != nil || !ok {
			return fmt.Errorf("demo user %s: %v", name, err)
		}
		users[name] = u
	}
	family, ok, err := svc.accounts.Users.UserByPhone(ctx, DemoCitizenPhone)
	if err != nil || !ok {
		return fmt.Errorf("demo citizen: %v", err)
	}
	actor := func(u *account.User) domain.Actor { return domain.Actor{UserID: u.ID, Roles: u.Roles, OrgID: u.OrgID} }
	staff, partner, citizen := actor(users["staff1"]), actor(users["partner1"]), actor(family)
	detainees, err := svc.custody.ListDetainees(ctx, staff, detention.DetaineeFilter{Limit: 50})
	if err != nil {
		return err
	}
	var liu *detention.Detainee
	for i := range detainees {
		if detainees[i].Name == "刘某" {
			liu = &detainees[i]
		}
	}
	if liu == nil {
		return fmt.Errorf("demo detainee 刘某 not found")
	}

	// A remote visit that took place three days ago (stored as the visit
	// service leaves one after attendance: booking times are in the past,
	// which the service itself refuses to book).
	day := time.Now().In(chinaTime).AddDate(0, 0, -3)
	starts := time.Date(day.Year(), day.Month(), day.Day(), 14, 0, 0, 0, chinaTime).UTC()
	marked := starts.Add(70 * time.Minute)
	b := &detention.VisitBooking{CentreID: liu.CentreID, DetaineeID: liu.ID, BookerID: family.ID, Relationship: "配偶",
		Visitors: []detention.Visitor{{Name: "张三", IDNumber: "500112********1234", Phone: "138****8000"}},
		Mode:     detention.VisitRemote, StartsAt: starts, EndsAt: starts.Add(time.Hour), Status: detention.BookingAttended,
		DecidedBy: staff.UserID, DecidedAt: &marked, MarkedBy: staff.UserID, MarkedAt: &marked,
		CreatedAt: starts.Add(-48 * time.Hour), UpdatedAt: marked, Version: 3}
	if err := svc.visits.Store.CreateBooking(ctx, b); err != nil {
		return err
	}
	if _, err := svc.visits.VisitFeedback(ctx, citizen, b.ID, 5, "远程视频会见很方便，不用专程跑一趟，孩子也见到了爸爸"); err != nil {
		return fmt.Errorf("visit feedback: %w", err)
	}

	lines := svc.custody.BusinessLines()
	j, err := svc.custody.StartJoint(ctx, staff, detention.NewJoint{DetaineeID: liu.ID, BusinessLine: lines[0].Code,
		Summary: "宅基地边界纠纷，邀请法院执行局共同调处", PartnerUnitIDs: []int64{partner.OrgID}})
	if err != nil {
		return fmt.Errorf("joint mediation: %w", err)
	}
	if _, err := svc.custody.DecideJoint(ctx, staff, j.ID, detention.JointDecision{At: time.Now(), Place: "渝北区拘留所会见室",
		Participants: []string{"孙管教", "执行局法官", "刘某", "邻居代表"}, Outcome: detention.OutcomeAgreed, Notes: "双方确认边界，刘某赔礼道歉"}); err != nil {
		return fmt.Errorf("joint decision: %w", err)
	}
	if _, err := svc.custody.JointFeedback(ctx, partner, j.ID, 4, "会商及时，拘留所配合到位"); err != nil {
		return fmt.Errorf("partner feedback: %w", err)
	}
	if _, err := svc.custody.JointFeedback(ctx, citizen, j.ID, 5, "矛盾化解了，放心了"); err != nil {
		return fmt.Errorf("family feedback: %w", err)
	}

	// A second one, decided and rated by nobody yet: the family rates it
	// in the phone app (我的家属 → 联调联处), the court in the console.
	line := lines[0]
	for _, l := range lines {
		if l.Code == "compensation" {
			line = l
		}
	}
	k, err := svc.custody.StartJoint(ctx, staff, detention.NewJoint{DetaineeID: liu.ID, BusinessLine: line.Code,
		Summary: "邻居房屋外墙受损，协商赔偿数额与分期", PartnerUnitIDs: []int64{partner.OrgID}})
	if err != nil {
		return fmt.Errorf("second joint mediation: %w", err)
	}
	if _, err := svc.custody.DecideJoint(ctx, staff, k.ID, detention.JointDecision{At: time.Now(), Place: "渝北区拘留所会见室",
		Participants: []string{"孙管教", "执行局法官", "刘某", "邻居代表"}, Outcome: detention.OutcomeAgreed, Notes: "赔偿三千元，分两期付清"}); err != nil {
		return fmt.Errorf("second joint decision: %w", err)
	}
	return nil
}

// chinaTime is UTC+8 all year (demo dates are the centre's days).
var chinaTime = time.FixedZone("CST", 8*3600)
