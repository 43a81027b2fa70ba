package main

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/specialpop"
)

// Demo police–justice fusion areas (警法融合 所所共建). The existing
// 双凤桥司法所 stands beside 双凤桥派出所; a legal-service office joins them,
// and 回兴 gets its own justice and legal-service offices, so that each
// area's register is seen by its own offices only.
const (
	DemoLegalService1 = "双凤桥法律服务所"
	DemoJustice2      = "回兴司法所"
	DemoLegalService2 = "回兴法律服务所"
	DemoFusionArea1   = "双凤桥街道"
	DemoFusionArea2   = "回兴街道"
)

// seedFusionOffices creates the offices, their staff (justice1 and legal1
// at 双凤桥, justice2 and legal2 at 回兴, all partner accounts) and the two
// areas with their liaisons (police1 / police2 for the stations), then the
// demo register.
func seedFusionOffices(ctx context.Context, svc *services, district, justice1, station1, station2 int64) error {
	acc, sys := svc.accounts, domain.System
	legal1, err := acc.CreateOrg(ctx, sys, district, account.OrgLegalService, DemoLegalService1)
	if err != nil {
		return err
	}
	justice2, err := acc.CreateOrg(ctx, sys, district, account.OrgJusticeOffice, DemoJustice2)
	if err != nil {
		return err
	}
	legal2, err := acc.CreateOrg(ctx, sys, district, account.OrgLegalService, DemoLegalService2)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, n := range []account.NewStaff{
		{Username: "justice1", Name: "周司法助理员", Roles: []string{account.RolePartner}, OrgID: justice1},
		{Username: "legal1", Name: "吴法律服务工作者", Roles: []string{account.RolePartner}, OrgID: legal1.ID},
		{Username: "justice2", Name: "郭司法助理员", Roles: []string{account.RolePartner}, OrgID: justice2.ID},
		{Username: "legal2", Name: "黄法律服务工作者", Roles: []string{account.RolePartner}, OrgID: legal2.ID},
	} {
		n.Password = DemoPassword
		u, err := acc.CreateStaff(ctx, sys, n)
		if err != nil {
			return err
		}
		ids[n.Username] = u.ID
	}
	for _, name := range []string{"police1", "police2"} {
		u, _, err := acc.Users.UserByUsername(ctx, name)
		if err != nil {
			return err
		}
		ids[name] = u.ID
	}
	area1, err := svc.register.CreateArea(ctx, sys, specialpop.NewArea{Name: DemoFusionArea1, StationID: station1, JusticeOfficeID: justice1,
		LegalServiceID: legal1.ID, StationLiaison: ids["police1"], JusticeLiaison: ids["justice1"], LegalLiaison: ids["legal1"]})
	if err != nil {
		return err
	}
	if _, err := svc.register.CreateArea(ctx, sys, specialpop.NewArea{Name: DemoFusionArea2, StationID: station2, JusticeOfficeID: justice2.ID,
		LegalServiceID: legal2.ID, StationLiaison: ids["police2"], JusticeLiaison: ids["justice2"], LegalLiaison: ids["legal2"]}); err != nil {
		return err
	}
	return seedFusionPeople(ctx, svc, area1.ID, ids["police1"], ids["justice1"], ids["legal1"])
}
