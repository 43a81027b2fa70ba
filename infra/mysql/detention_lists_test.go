package mysql_test

import (
	"context"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The detention desk's lists over the real store: joint mediations of the
// centre by state and detainee, newest first and paged; follow-ups for the
// centre's staff and the home station's police, not for other stations.
func TestDetentionDeskListsOverTheStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, _, _ := newCustody(db, t0)
		a := must(svc.Intake(ctx, detStaff, detIntake("330281199001011234")))
		b := must(svc.Intake(ctx, detStaff, detIntake("330281199001015678", func(n *detention.NewIntake) { n.Name = "王五" })))
		ja := must(svc.StartJoint(ctx, detStaff, detention.NewJoint{DetaineeID: a.ID, BusinessLine: "public_order_dispute", Summary: "一",
			PartnerUnitIDs: []int64{detCourt}}))
		jb := must(svc.StartJoint(ctx, detStaff, detention.NewJoint{DetaineeID: b.ID, BusinessLine: "court_enforcement", Summary: "二",
			PartnerUnitIDs: []int64{detCourt, detJustice}}))
		must(svc.DecideJoint(ctx, detStaff, ja.ID, detention.JointDecision{At: t0, Place: "调解室", Participants: []string{"甲"}, Outcome: detention.OutcomeAgreed}))

		all := must(svc.ListJoints(ctx, detStaff, detention.JointFilter{}))
		if len(all) != 2 || all[0].ID != jb.ID || all[0].DetaineeName != "王五" || len(all[0].Partners) != 2 || all[1].DetaineeName != "李四" {
			t.Fatalf("joint mediations: %+v", all)
		}
		if page := must(svc.ListJoints(ctx, detStaff, detention.JointFilter{BeforeID: jb.ID, Limit: 1})); len(page) != 1 || page[0].ID != ja.ID {
			t.Fatalf("the page after %d: %+v", jb.ID, page)
		}
		if agreed := must(svc.ListJoints(ctx, detSupervisor, detention.JointFilter{State: detention.JointAgreed})); len(agreed) != 1 || agreed[0].ID != ja.ID {
			t.Fatalf("agreed, as the supervisor above the centre: %+v", agreed)
		}
		if of := must(svc.ListJoints(ctx, detStaff, detention.JointFilter{DetaineeID: b.ID})); len(of) != 1 || of[0].ID != jb.ID {
			t.Fatalf("of detainee %d: %+v", b.ID, of)
		}
		// An invited unit's staff list the mediations their unit was invited
		// to, and no other: the court both, the justice bureau the second.
		if court := must(svc.ListJoints(ctx, detCourtClerk, detention.JointFilter{})); len(court) != 2 || court[0].ID != jb.ID || court[1].ID != ja.ID {
			t.Fatalf("the court's clerk lists %+v", court)
		}
		justiceClerk := domain.Actor{UserID: 16, Roles: []string{"partner"}, OrgID: detJustice}
		if justice := must(svc.ListJoints(ctx, justiceClerk, detention.JointFilter{})); len(justice) != 1 || justice[0].ID != jb.ID {
			t.Fatalf("the justice bureau's clerk lists %+v", justice)
		}
		stranger := domain.Actor{UserID: 17, Roles: []string{"partner"}, OrgID: 99}
		if none := must(svc.ListJoints(ctx, stranger, detention.JointFilter{})); len(none) != 0 {
			t.Fatalf("a unit never invited lists %+v", none)
		}
		if _, err := svc.ListJoints(ctx, detStaff, detention.JointFilter{State: "maybe"}); !domain.IsKind(err, domain.KindInvalid) {
			t.Fatalf("an unknown state: %v", err)
		}

		_, fu := must2(svc.Release(ctx, detStaff, b.ID, detention.Departure{On: t0, Reason: "期满"}))
		for _, who := range []domain.Actor{detStaff, detOfficer, detSupervisor} {
			list := must(svc.ListFollowUps(ctx, who, detention.FollowUpFilter{State: detention.FollowUpOpen}))
			if len(list) != 1 || list[0].FollowUp.ID != fu.ID || list[0].Detainee.Name != "王五" {
				t.Fatalf("follow-ups of %v: %+v", who.Roles, list)
			}
		}
		other := domain.Actor{UserID: 14, Roles: []string{"police"}, OrgID: 99}
		if list := must(svc.ListFollowUps(ctx, other, detention.FollowUpFilter{})); len(list) != 0 {
			t.Fatalf("another station's officer lists %+v", list)
		}
		if list := must(svc.ListFollowUps(ctx, detStaff, detention.FollowUpFilter{State: detention.FollowUpClosed})); len(list) != 0 {
			t.Fatalf("closed follow-ups: %+v", list)
		}
		if n := auditCount(t, db, "follow_up.list"); n != 3 {
			t.Fatalf("%d follow-up list audit lines, want 3 (the lists that showed someone)", n)
		}
	})
}
