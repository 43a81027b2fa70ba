package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// DemoCaseCitizenPhone is the second demo citizen, whose concluded case
// shows a whole civil mediation, its return visit and both kinds of
// satisfaction. A citizen of their own, so that the first demo citizen's
// requests and warnings start empty.
const DemoCaseCitizenPhone = "13800138001"

// demoCaseAge dates the concluded demo case back: by more than a quarter,
// so that it sits in an earlier month and quarter than anything filed on a
// fresh demo and shows in the reports of its own period.
const demoCaseAge = 100 * 24 * time.Hour

// seedConcludedCase walks one civil dispute at 两路派出所 through the
// services, dated demoCaseAge back: filed by the second demo citizen,
// led by lawyer4 with police3 assisting, record approved at both levels,
// the agreement judicially confirmed by 渝北区人民法院执行局 (partner1),
// closed, followed up by phone by police3 (satisfaction 5) and rated 4 in
// the app.
func seedConcludedCase(ctx context.Context, svc *services, station int64) error {
	users := map[string]*account.User{}
	for _, name := range []string{"lawyer4", "police3", "supervisor1", "partner1"} {
		u, ok, err := svc.accounts.Users.UserByUsername(ctx, name)
		if err != nil || !ok {
			return fmt.Errorf("demo user %s: %v", name, err)
		}
		users[name] = u
	}
	actor := func(u *account.User) domain.Actor { return domain.Actor{UserID: u.ID, Roles: u.Roles, OrgID: u.OrgID} }
	lawyer, police, sup, judge := actor(users["lawyer4"]), actor(users["police3"]), actor(users["supervisor1"]), actor(users["partner1"])
	then := time.Now().Add(-demoCaseAge)
	citizenUser := &account.User{Phone: DemoCaseCitizenPhone, Name: "李四", Roles: []string{account.RoleCitizen}, CreatedAt: then, UpdatedAt: then}
	if err := svc.accounts.Users.CreateUser(ctx, citizenUser); err != nil {
		return err
	}
	citizen := domain.Actor{UserID: citizenUser.ID, Roles: citizenUser.Roles}

	// The same rules on a clock that runs a day's steps from `then`; the
	// filing commits on its own, not in the batches /metrics counts as
	// traffic.
	med := *svc.mediation
	med.Filings = nil
	step := 0
	med.Clock = domain.ClockFunc(func() time.Time { step++; return then.Add(time.Duration(step) * 2 * time.Hour) })
	req, _, err := med.File(ctx, citizen, mediation.Filing{Kind: mediation.KindMediation, Category: "property",
		Description: "小区物业费争议，物业公司停水催缴", Place: "两路街道空港小区", StationID: station, ChosenID: lawyer.UserID}, "demo-concluded-case")
	if err != nil {
		return err
	}
	id := req.ID
	if req, err = med.Screen(ctx, police, id, mediation.Screening{Classification: mediation.ClassCivil}); err != nil {
		return err
	}
	if req.LeadID != lawyer.UserID || req.AssistantID != police.UserID { // routing went by duty at seeding time: staff it by hand
		if _, err = med.Assign(ctx, police, id, mediation.Staffing{LeadID: lawyer.UserID, AssistantID: police.UserID}); err != nil {
			return err
		}
	}
	steps := []func() error{
		func() error { _, err := med.Transition(ctx, lawyer, id, mediation.ActionStart, ""); return err },
		func() error { return seedCaseRoom(ctx, &med, lawyer, id) },
		func() error {
			_, err := med.SaveRecord(ctx, lawyer, id, mediation.RecordInput{Outcome: mediation.OutcomeAgreed, RiskScore: 10,
				Sessions:  []mediation.Session{{HeldAt: then.Add(24 * time.Hour), Place: "两路派出所调解室", Attendees: []string{"李四", "物业公司代表"}, Summary: "物业公司恢复供水，业主分期缴纳物业费"}},
				Agreement: &mediation.Agreement{Terms: "恢复供水；欠缴物业费分三期缴清", AmountFen: 360000}})
			return err
		},
		func() error { _, err := med.Transition(ctx, lawyer, id, mediation.ActionAgree, ""); return err },
		func() error { _, err := med.Review(ctx, lawyer, id, mediation.ReviewSubmit, ""); return err },
		func() error {
			_, err := med.Review(ctx, police, id, mediation.ReviewApprove, "记录完整")
			return err
		},
		func() error { _, err := med.Review(ctx, sup, id, mediation.ReviewApprove, ""); return err },
		func() error {
			_, err := med.RequestConfirmation(ctx, lawyer, id, judge.OrgID, "双方共同申请司法确认")
			return err
		},
		func() error {
			_, err := med.DecideConfirmation(ctx, judge, id, mediation.Decision{Result: mediation.JudicialConfirmed,
				DecidedOn: then.AddDate(0, 0, 5).In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"), DocumentNo: "(2026)渝0112民特1号"})
			return err
		},
		func() error { _, err := med.Transition(ctx, police, id, mediation.ActionClose, "结案"); return err },
		func() error {
			_, err := med.TransitionAnswered(ctx, police, id, mediation.ActionFollowUp, "电话回访",
				&mediation.Answer{Stars: 5, Comment: "已恢复供水，对调解结果满意", Channel: mediation.ChannelPhone})
			return err
		},
		func() error { _, err := med.Rate(ctx, citizen, id, 4, "处理及时"); return err },
	}
	for i, s := range steps {
		if err := s(); err != nil {
			return fmt.Errorf("demo case %d, step %d: %w", id, i+1, err)
		}
	}
	return nil
}
