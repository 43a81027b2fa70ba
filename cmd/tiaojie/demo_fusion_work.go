package main

import (
	"context"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/expert"
	"github.com/tiaojie/tiaojie/domain/pairing"
)

// Demo data of the police–justice fusion work (issue 19 parts 3–5):
//
//   - the county cadre (县级包联干部) is supervisor1 (王督导), paired with
//     双凤桥派出所 and 回兴派出所; 两路派出所 is left unpaired, so the coverage
//     view shows a gap, and the county level's weekly visits fall due a week
//     after seeding;
//   - the expert pool: 渝北区警法融合专业人才库 (a partner unit) with expert1
//     (退休法官) and expert2 (退休民警), partner accounts serving no station
//     (routing never picks them);
//   - the legal workers brought into incidents at 双凤桥派出所 are the ones
//     already serving it: mediator1 of 双凤桥司法所 (a justice officer) and
//     lawyer1 (a legal-service worker); nothing new serves a station, so the
//     other demo flows route as before.
//
// Organisations and accounts are looked up by name first and created only
// when absent, so that other demo parts may create the same ones.
func seedFusionWork(ctx context.Context, svc *services, district int64, stations [3]int64) error {
	acc, sys := svc.accounts, domain.System
	pool, err := demoOrg(ctx, svc, "渝北区警法融合专业人才库", account.OrgPartner, 0)
	if err != nil {
		return err
	}
	experts := []struct {
		username, name string
		kind           expert.Kind
		specialties    []string
		bio            string
	}{
		{"expert1", "钱法官（退休）", expert.RetiredJudge, []string{"人身损害赔偿", "民间借贷", "婚姻家庭"}, "原区人民法院民庭庭长，从事民事审判三十年"},
		{"expert2", "孙警官（退休）", expert.RetiredPolice, []string{"治安调解", "邻里纠纷"}, "原派出所所长，擅长治安案件调解"},
	}
	for _, e := range experts {
		u, found, err := acc.Users.UserByUsername(ctx, e.username)
		if err != nil {
			return err
		}
		if !found {
			if u, err = acc.CreateStaff(ctx, sys, account.NewStaff{Username: e.username, Name: e.name, Roles: []string{account.RolePartner},
				OrgID: pool, Password: DemoPassword}); err != nil {
				return err
			}
		}
		if _, err := svc.fusion.experts.SaveExpert(ctx, sys, 0, expert.Expert{UserID: u.ID, Kind: e.kind, Specialties: e.specialties, Bio: e.bio,
			Active: true}); err != nil && !domain.IsKind(err, domain.KindConflict) {
			return err
		}
	}
	cadre, found, err := acc.Users.UserByUsername(ctx, "supervisor1")
	if err != nil || !found {
		return err
	}
	admin := domain.Actor{UserID: cadre.ID, Roles: cadre.Roles, OrgID: district}
	for _, st := range stations[:2] {
		if _, err := svc.fusion.pairing.Pair(ctx, admin, cadre.ID, pairing.County, st); err != nil && !domain.IsKind(err, domain.KindConflict) {
			return err
		}
	}
	return nil
}

// demoOrg is the organisation of that name, created under parent when absent.
func demoOrg(ctx context.Context, svc *services, name string, kind account.OrgKind, parent int64) (int64, error) {
	orgs, err := svc.accounts.Orgs.Orgs(ctx, "", "")
	if err != nil {
		return 0, err
	}
	for _, o := range orgs {
		if o.Name == name {
			return o.ID, nil
		}
	}
	o, err := svc.accounts.CreateOrg(ctx, domain.System, parent, kind, name)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}
