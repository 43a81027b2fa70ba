package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/dutywork"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// seedYubei shows the Yubei programme's duties and case learning (seed
// 000): lawyer1 (重庆渝北律师事务所) gave a legal consultation, held a legal
// education session and helped police1 with a police matter at 双凤桥派出所,
// on the day the concluded demo case was filed (demoCaseAge back, so that
// the work sits in that period's reports and not in a fresh demo's day);
// supervisor1 picked the concluded case at 两路派出所 as an example for the
// district's library.
func seedYubei(ctx context.Context, svc *services, s1, s3 int64) error {
	ids := map[string]int64{}
	roles := map[string][]string{}
	for _, name := range []string{"lawyer1", "police1", "supervisor1"} {
		u, ok, err := svc.accounts.Users.UserByUsername(ctx, name)
		if err != nil || !ok {
			return fmt.Errorf("demo user %s: %v", name, err)
		}
		ids[name], roles[name] = u.ID, u.Roles
		if name == "lawyer1" {
			ids["firm1"] = u.FirmID
		}
	}
	day := time.Now().Add(-demoCaseAge).UTC().Truncate(time.Hour)
	work := []dutywork.Record{
		{Kind: dutywork.Consultation, At: day.Add(time.Hour), Minutes: 25, Person: "刘某", Topic: "房屋租赁押金不退怎么办",
			Summary: "押金依合同约定返还；建议先书面催告，保留聊天记录与转账凭证，协商不成可向法院起诉"},
		{Kind: dutywork.Education, At: day.Add(3 * time.Hour), Minutes: 90, Place: "双凤桥街道碧津社区活动室", Audience: "社区居民",
			Topic: "民法典婚姻家庭编与反家庭暴力法", Attendees: 45, Summary: "发放宣传资料120份，现场解答咨询8人次"},
		{Kind: dutywork.PoliceAssist, At: day.Add(5 * time.Hour), Minutes: 40, Topic: "协助民警向纠纷双方释明治安调解协议的法律效力",
			Summary: "双方当场签订调解协议", OfficerID: ids["police1"]},
	}
	for i := range work {
		w := &work[i]
		w.LawyerID, w.FirmID, w.StationID, w.CreatedAt = ids["lawyer1"], ids["firm1"], s1, w.At
		if err := svc.dutyWork.Store.CreateRecord(ctx, w); err != nil {
			return err
		}
	}
	cases, err := svc.mediation.Requests.RequestsForStaff(ctx, mediation.StaffFilter{StationIDs: []int64{s3}, Page: mediation.Page{Limit: 20}})
	if err != nil {
		return err
	}
	sup := domain.Actor{UserID: ids["supervisor1"], Roles: roles["supervisor1"]}
	if u, _, err := svc.accounts.Users.UserByUsername(ctx, "supervisor1"); err == nil && u != nil {
		sup.OrgID = u.OrgID
	}
	for _, c := range cases {
		if c.Outcome != "" {
			_, err := svc.reviews.Pick(ctx, sup, c.ID, "", "先恢复供水稳定双方情绪，再以分期缴费化解欠费争议，并及时申请司法确认，是物业纠纷调解的范例")
			return err
		}
	}
	return fmt.Errorf("no concluded demo case at station %d to review", s3)
}
