package main

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	sp "github.com/tiaojie/tiaojie/domain/specialpop"
)

// seedFusionPeople puts three people on 双凤桥街道's register, registered
// by police1 with justice1 as social worker and legal1 as 法律管家: one under
// community correction (high risk, weekly visits), one released from prison
// (fortnightly), one with a mental disorder (weekly).
func seedFusionPeople(ctx context.Context, svc *services, area, officer, worker, steward int64) error {
	police := domain.Actor{UserID: officer, Roles: []string{account.RolePolice}, OrgID: 0}
	u, err := svc.accounts.Users.User(ctx, officer)
	if err != nil {
		return err
	}
	police.OrgID = u.OrgID
	for _, n := range []sp.NewPerson{
		{Kind: sp.KindCommunityCorrection, Name: "刘某", IDNumber: "500112198805060011", Address: "双凤桥街道碧津社区5栋", RiskLevel: sp.RiskHigh,
			VisitEveryDays: 7, Note: "缓刑考验期至2027年6月"},
		{Kind: sp.KindReleasedPrisoner, Name: "王某", IDNumber: "500112197903120035", Address: "双凤桥街道长港社区12号", RiskLevel: sp.RiskMedium,
			VisitEveryDays: 15, Note: "2026年8月刑满释放，待安置就业"},
		{Kind: sp.KindMentalDisorder, Name: "张某", IDNumber: "50011219920714005X", Address: "双凤桥街道空港社区3栋", RiskLevel: sp.RiskHigh,
			VisitEveryDays: 7, Note: "监护人为其母亲，按时服药"},
	} {
		n.AreaID, n.OfficerID, n.SocialWorkerID, n.LegalStewardID = area, officer, worker, steward
		if _, err := svc.register.Register(ctx, police, n); err != nil {
			return err
		}
	}
	return nil
}
