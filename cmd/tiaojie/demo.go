package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// DemoPassword is every demo staff account's password (README lists them).
const DemoPassword = "demo-pass-2026"

// DemoCitizenPhone is the demo citizen; in embedded mode its login code
// appears in the log.
const DemoCitizenPhone = "13800138000"

type demoOrgs struct {
	district, detention, justice, firm1, firm2, court, women int64
	stations                                                 [3]int64
}

// seedDemo creates the demo district once: a district bureau with three
// police stations, a detention centre, a justice office, two law firms with
// four lawyers, a mediator, police and detention staff, a partner unit, a
// supervisor and an admin. It does nothing when the admin exists.
func seedDemo(ctx context.Context, svc *services, log *slog.Logger) error {
	acc := svc.accounts
	if _, found, err := acc.Users.UserByUsername(ctx, "admin"); err != nil || found {
		return err
	}
	sys := domain.System
	var o demoOrgs
	mk := func(parent int64, kind account.OrgKind, name string) int64 {
		if o.district < 0 {
			return 0
		}
		org, err := acc.CreateOrg(ctx, sys, parent, kind, name)
		if err != nil {
			o.district = -1
			return 0
		}
		return org.ID
	}
	o.district = mk(0, account.OrgDistrict, "渝北区公安分局")
	for i, name := range []string{"双凤桥派出所", "回兴派出所", "两路派出所"} {
		o.stations[i] = mk(o.district, account.OrgStation, name)
	}
	o.detention = mk(o.district, account.OrgDetentionCenter, "渝北区拘留所")
	o.justice = mk(o.district, account.OrgJusticeOffice, "双凤桥司法所")
	o.firm1 = mk(0, account.OrgLawFirm, "重庆渝北律师事务所")
	o.firm2 = mk(0, account.OrgLawFirm, "重庆两江律师事务所")
	o.court = mk(0, account.OrgPartner, "渝北区人民法院执行局")
	o.women = mk(0, account.OrgPartner, "渝北区妇女联合会")
	if o.district < 0 {
		return errors.New("could not create the demo organisations")
	}
	s1, s2, s3 := o.stations[0], o.stations[1], o.stations[2]
	staff := []account.NewStaff{
		{Username: "admin", Name: "系统管理员", Roles: []string{account.RoleAdmin}, OrgID: o.district},
		{Username: "supervisor1", Name: "王督导", Roles: []string{account.RoleSupervisor}, OrgID: o.district},
		// A second supervisor: two-level approval takes two people, and at a
		// station whose only officer wrote the record a supervisor stands in
		// at the first level.
		{Username: "supervisor2", Name: "孙督导", Roles: []string{account.RoleSupervisor}, OrgID: o.district},
		{Username: "police1", Name: "李警官", Roles: []string{account.RolePolice}, OrgID: s1},
		{Username: "police2", Name: "赵警官", Roles: []string{account.RolePolice}, OrgID: s2},
		{Username: "police3", Name: "钱警官", Roles: []string{account.RolePolice}, OrgID: s3},
		{Username: "lawyer1", Name: "杨律师", Roles: []string{account.RoleLawyer}, OrgID: o.firm1, FirmID: o.firm1, StationIDs: []int64{s1, s2}},
		{Username: "lawyer2", Name: "陈律师", Roles: []string{account.RoleLawyer, account.RoleFirmHead}, OrgID: o.firm1, FirmID: o.firm1, StationIDs: []int64{s1}},
		{Username: "lawyer3", Name: "周律师", Roles: []string{account.RoleLawyer}, OrgID: o.firm2, FirmID: o.firm2, StationIDs: []int64{s2, s3}},
		{Username: "lawyer4", Name: "吴律师", Roles: []string{account.RoleLawyer}, OrgID: o.firm2, FirmID: o.firm2, StationIDs: []int64{s3}},
		{Username: "mediator1", Name: "郑调解员", Roles: []string{account.RoleMediator}, OrgID: o.justice, StationIDs: []int64{s1}},
		{Username: "staff1", Name: "孙管教", Roles: []string{account.RoleDetentionStaff}, OrgID: o.detention},
		{Username: "partner1", Name: "冯法官", Roles: []string{account.RolePartner}, OrgID: o.court},
		{Username: "partner2", Name: "何主任", Roles: []string{account.RolePartner}, OrgID: o.women},
		{Username: "terminal1", Name: "拘留所视频终端一", Roles: []string{account.RoleDetentionTerminal}, OrgID: o.detention},
	}
	profiles := map[string]account.ProfileFacts{
		"lawyer1":   {Specialties: []string{"family", "neighbour"}, Languages: []string{"普通话", "四川话"}, YearsOfPractice: 12, Bio: "婚姻家庭、邻里纠纷调解经验丰富"},
		"lawyer2":   {Specialties: []string{"labour", "debt"}, Languages: []string{"普通话"}, YearsOfPractice: 6, Bio: "专注劳动争议与债务纠纷"},
		"lawyer3":   {Specialties: []string{"traffic", "compensation"}, Languages: []string{"普通话"}, YearsOfPractice: 9, Bio: "交通事故赔偿"},
		"lawyer4":   {Specialties: []string{"property", "consumer"}, Languages: []string{"普通话", "英语"}, YearsOfPractice: 4, Bio: "物业与消费纠纷"},
		"mediator1": {Specialties: []string{"neighbour", "family"}, Languages: []string{"四川话"}, YearsOfPractice: 20, Bio: "人民调解员"},
	}
	var staff1 *account.User
	for _, n := range staff {
		n.Password = DemoPassword
		u, err := acc.CreateStaff(ctx, sys, n)
		if err != nil {
			return err
		}
		if n.Username == "staff1" {
			staff1 = u
		}
		if f, ok := profiles[n.Username]; ok {
			if err := svc.accountStore.SaveProfileFacts(ctx, u.ID, f); err != nil {
				return err
			}
		}
	}
	now := time.Now().UTC()
	citizen := &account.User{Phone: DemoCitizenPhone, Name: "张三", Roles: []string{account.RoleCitizen}, CreatedAt: now, UpdatedAt: now}
	if err := acc.Users.CreateUser(ctx, citizen); err != nil {
		return err
	}
	if err := seedTagVocabulary(ctx, svc, o.district, s1, now); err != nil {
		return fmt.Errorf("demo tag vocabulary: %w", err)
	}
	if err := seedDVFlags(ctx, svc, s1, now); err != nil {
		return fmt.Errorf("demo domestic-violence flag: %w", err)
	}
	if err := seedDetention(ctx, svc, staff1, o.detention, s1, citizen.ID); err != nil {
		return fmt.Errorf("demo detention data: %w", err)
	}
	if err := seedConcludedCase(ctx, svc, s3); err != nil {
		return fmt.Errorf("demo concluded case: %w", err)
	}
	if err := seedFusionOffices(ctx, svc, o.district, o.justice, s1, s2); err != nil {
		return fmt.Errorf("demo police–justice fusion: %w", err)
	}
	if err := seedFusionWork(ctx, svc, o.district, o.stations); err != nil {
		return fmt.Errorf("demo pairing and expert pool: %w", err)
	}
	if err := seedYubei(ctx, svc, s1, s3); err != nil {
		return fmt.Errorf("demo duty work and case review: %w", err)
	}
	if err := seedYuyao(ctx, svc); err != nil {
		return fmt.Errorf("demo 拘调融合 data: %w", err)
	}
	log.Warn("DEMO DATA seeded: staff accounts admin, supervisor1-2, police1-3, lawyer1-4, mediator1, staff1, partner1-2, justice1-2, legal1-2, expert1-2, terminal1 with password " +
		DemoPassword + "; demo citizen 138****8000 logs in by SMS code (the code is written to this log); 渝北区拘留所 holds three demo detainees and 14 days of visit slots; " +
		"a second demo citizen (138****8001) has a concluded case at 两路派出所, filed 100 days ago, judicially confirmed, followed up by phone and rated in the app")
	return nil
}

// seedDetention registers three detainees at the demo centre — one of each
// risk label, the red one first, with the demo citizen as family — and
// visit slots for the next 14 days, in person mornings and by video
// afternoons.
func seedDetention(ctx context.Context, svc *services, staff1 *account.User, centre, station, citizenID int64) error {
	staff := domain.Actor{UserID: staff1.ID, Roles: staff1.Roles, OrgID: staff1.OrgID}
	now := time.Now()
	intakes := []detention.NewIntake{
		{Name: "刘某", IDNumber: "500112198803150012", CaseCause: "因宅基地纠纷持刀威胁邻居", Punishment: "行政拘留十日",
			HealthNotes: "有抑郁症病史", DisputeBackground: "与邻居宅基地边界纠纷多年未解决", PriorRecords: "2019年因打架被行政拘留五日",
			Family: []detention.NewFamilyLink{{UserID: citizenID, Relationship: "配偶"}}},
		{Name: "陈某", IDNumber: "500112199107220031", CaseCause: "拒不支付劳动报酬", Punishment: "司法拘留十五日",
			DisputeBackground: "拖欠工人工资，法院执行中", PriorRecords: "2020年因盗窃被行政拘留"},
		{Name: "王某", IDNumber: "500112200001010055", CaseCause: "醉酒驾驶", Punishment: "行政拘留五日"},
	}
	for _, in := range intakes {
		in.CentreID, in.HomeStationID = centre, station
		in.PunishmentFrom, in.PunishmentTo = now.AddDate(0, 0, -2), now.AddDate(0, 0, 13)
		if _, err := svc.custody.Intake(ctx, staff, in); err != nil {
			return err
		}
	}
	var templates []detention.VisitTemplate
	for day := 1; day <= 7; day++ {
		templates = append(templates,
			detention.VisitTemplate{Weekday: day, Start: "09:00", End: "10:00", Mode: detention.VisitInPerson, Capacity: 5, ValidFrom: now.Format("2006-01-02")},
			detention.VisitTemplate{Weekday: day, Start: "14:00", End: "15:00", Mode: detention.VisitRemote, Capacity: 3, ValidFrom: now.Format("2006-01-02")})
	}
	_, err := svc.visits.ReplaceVisitTemplates(ctx, staff, centre, templates)
	return err
}
