package detention_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

func TestJointStateMachine(t *testing.T) {
	const consulting, agreed, failed = detention.JointConsulting, detention.JointAgreed, detention.JointFailed
	cases := []struct {
		name    string
		from    detention.JointState
		action  detention.JointAction
		outcome string
		to      detention.JointState // empty: refused
	}{
		{"units post while consulting", consulting, detention.JointPost, "", consulting},
		{"an agreement ends the consultation", consulting, detention.JointDecide, detention.OutcomeAgreed, agreed},
		{"so does a failure", consulting, detention.JointDecide, detention.OutcomeFailed, failed},
		{"a decision needs a known outcome", consulting, detention.JointDecide, "maybe", ""},
		{"no early release before a decision", consulting, detention.JointEarlyRelease, "", ""},
		{"an agreement may ground an early release", agreed, detention.JointEarlyRelease, "", agreed},
		{"the thread is closed after an agreement", agreed, detention.JointPost, "", ""},
		{"an agreement is not decided again", agreed, detention.JointDecide, detention.OutcomeFailed, ""},
		{"a failure grounds no early release", failed, detention.JointEarlyRelease, "", ""},
		{"the thread is closed after a failure", failed, detention.JointPost, "", ""},
		{"a failure is not decided again", failed, detention.JointDecide, detention.OutcomeAgreed, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to, err := detention.NextJoint(c.from, c.action, c.outcome)
			if c.to == "" {
				wantKind(t, err, domain.KindFailedPrecondition, "joint_mediation.illegal_transition")
				return
			}
			if err != nil || to != c.to {
				t.Fatalf("NextJoint(%s, %s, %q) = %s, %v; want %s", c.from, c.action, c.outcome, to, err, c.to)
			}
		})
	}
}

func TestDefaultBusinessLinesAreTwelveAndDistinct(t *testing.T) {
	lines := detention.DefaultBusinessLines()
	seen := map[string]bool{}
	for _, l := range lines {
		if l.Code == "" || l.Name == "" || seen[l.Code] || seen[l.Name] {
			t.Fatalf("line %+v is empty or repeated", l)
		}
		seen[l.Code], seen[l.Name] = true, true
	}
	if len(lines) != 12 {
		t.Fatalf("%d lines, want 12", len(lines))
	}
	for _, name := range []string{"法院执行和解", "吸毒人员帮教", "治安纠纷调解", "信访矛盾化解", "归正人员安置"} {
		if !seen[name] {
			t.Fatalf("the seed's line %s is missing", name)
		}
	}
}

// The seed's loop: a red detainee, a request filed for them, a joint
// mediation with two partner units, a consultation, an agreement that
// settles the dispute, and an early release approved by a supervisor.
func TestJointMediationFromRequestToEarlyRelease(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) {
		n.CaseCause, n.HealthNotes, n.DisputeBackground = "拒不执行判决", "抑郁", "因工程款与债主发生纠纷，扬言报复"
	})))
	if d.Label != detention.RiskRed {
		t.Fatalf("intake label %s, want red (violence 3 + mental health 3 + open dispute 2)", d.Label)
	}
	f.requests[42], f.requests[43] = d.ID, 0
	f.attachments[7], f.attachments[8] = 42, 99

	bad := []struct {
		name string
		a    domain.Actor
		n    detention.NewJoint
		kind domain.Kind
	}{
		{"another centre cannot push this detainee", otherStaff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "court_enforcement", Summary: "x",
			PartnerUnitIDs: []int64{court}}, domain.KindNotFound},
		{"an unknown business line", staff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "lottery", Summary: "x", PartnerUnitIDs: []int64{court}},
			domain.KindInvalid},
		{"no partner unit", staff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "court_enforcement", Summary: "x"}, domain.KindInvalid},
		{"an unknown partner unit", staff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "court_enforcement", Summary: "x",
			PartnerUnitIDs: []int64{999}}, domain.KindInvalid},
		{"a request not filed for a detainee", staff, detention.NewJoint{RequestID: 43, BusinessLine: "court_enforcement", Summary: "x",
			PartnerUnitIDs: []int64{court}}, domain.KindInvalid},
	}
	for _, c := range bad {
		if _, err := s.StartJoint(ctx, c.a, c.n); !domain.IsKind(err, c.kind) {
			t.Fatalf("%s: %v, want %s", c.name, err, c.kind)
		}
	}
	if len(f.w.joints) != 0 {
		t.Fatal("a refused joint mediation was stored")
	}

	j := must(s.StartJoint(ctx, staff, detention.NewJoint{RequestID: 42, BusinessLine: "court_enforcement",
		Summary: "被拘留人愿意分期履行，请法院执行局、司法局联合调解", PartnerUnitIDs: []int64{justice, court, court}}))
	if j.DetaineeID != d.ID || j.CentreID != centre || !slices.Equal(j.Partners, []int64{court, justice}) || j.State != detention.JointConsulting {
		t.Fatalf("joint mediation %+v", j)
	}
	var orderUnits []int64
	for _, o := range f.w.orders {
		if o.Kind == detention.OrderJointMediation && o.ResourceID == j.ID {
			orderUnits = append(orderUnits, o.UnitID)
			if o.DedupeKey != fmt.Sprintf("joint_mediation:%d:unit:%d", j.ID, o.UnitID) || o.Title != "联调联处请求：法院执行和解" {
				t.Fatalf("order %+v", o)
			}
		}
	}
	if !slices.Equal(orderUnits, []int64{court, justice}) {
		t.Fatalf("work orders to %v, want one per partner unit", orderUnits)
	}

	// Who takes part.
	for _, a := range []domain.Actor{staff, supervisor, courtClerk, justiceClerk} {
		if _, err := s.Joint(ctx, a, j.ID); err != nil {
			t.Fatalf("participant %d: %v", a.UserID, err)
		}
	}
	for _, a := range []domain.Actor{womensClerk, otherStaff, officer, citizen} {
		if _, err := s.Joint(ctx, a, j.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("outsider %d: %v, want not found", a.UserID, err)
		}
		if _, err := s.PostJointMessage(ctx, a, j.ID, "偷看", nil); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("outsider %d posted: %v", a.UserID, err)
		}
	}

	// The consultation thread (情况会商).
	must(s.PostJointMessage(ctx, courtClerk, j.ID, "申请人同意分期，首期10万元", []int64{7}))
	must(s.PostJointMessage(ctx, justiceClerk, j.ID, "司法局派调解员参加", nil))
	must(s.PostJointMessage(ctx, staff, j.ID, "定于周五上午在拘留所调解室联合调解", nil))
	if _, err := s.PostJointMessage(ctx, courtClerk, j.ID, "附件", []int64{8}); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("an attachment of another request: %v, want invalid", err)
	}
	page := must(s.JointMessages(ctx, justiceClerk, j.ID, 0, 2))
	rest := must(s.JointMessages(ctx, justiceClerk, j.ID, page[1].ID, 2))
	if len(page) != 2 || page[0].Body != "定于周五上午在拘留所调解室联合调解" || len(rest) != 1 || rest[0].AuthorOrgID != court ||
		!slices.Equal(rest[0].AttachmentIDs, []int64{7}) {
		t.Fatalf("thread pages %+v then %+v", page, rest)
	}

	decision := detention.JointDecision{At: t0, Place: "拘留所调解室", Participants: []string{"法院执行局王法官", "司法局李调解员", "申请人"},
		Outcome: detention.OutcomeAgreed, Notes: "达成分期履行协议"}
	if _, err := s.DecideJoint(ctx, courtClerk, j.ID, decision); !domain.IsKind(err, domain.KindForbidden) {
		t.Fatalf("a partner recorded the decision: %v", err)
	}
	if _, err := s.MarkEarlyRelease(ctx, supervisor, j.ID, detention.EarlyRelease{Kind: detention.EndJudicialDetention}); !domain.IsKind(err, domain.KindFailedPrecondition) {
		t.Fatalf("early release before the decision: %v, want failed precondition", err)
	}
	agreed := must(s.DecideJoint(ctx, staff, j.ID, decision))
	if agreed.State != detention.JointAgreed || agreed.Decision == nil || agreed.Decision.RecordedBy != staff.UserID {
		t.Fatalf("decided %+v", agreed)
	}
	if _, err := s.DecideJoint(ctx, staff, j.ID, decision); !domain.IsKind(err, domain.KindFailedPrecondition) {
		t.Fatalf("deciding twice: %v, want failed precondition", err)
	}
	if _, err := s.PostJointMessage(ctx, courtClerk, j.ID, "补充", nil); !domain.IsKind(err, domain.KindFailedPrecondition) {
		t.Fatalf("posting after the decision: %v, want failed precondition", err)
	}
	after := must(s.Profile(ctx, staff, d.ID))
	if !after.Detainee.DisputeResolved || after.Detainee.Label != detention.RiskRed || after.Detainee.Score != 6 {
		t.Fatalf("after the agreement: resolved %v, %s %d; want resolved, still red at 6", after.Detainee.DisputeResolved,
			after.Detainee.Label, after.Detainee.Score)
	}
	if len(after.Joints) != 1 {
		t.Fatalf("profile lists %d joint mediations", len(after.Joints))
	}

	if _, err := s.MarkEarlyRelease(ctx, staff, j.ID, detention.EarlyRelease{Kind: detention.EndJudicialDetention}); !domain.IsKind(err, domain.KindForbidden) {
		t.Fatalf("staff approved an early release: %v, want forbidden", err)
	}
	if _, err := s.MarkEarlyRelease(ctx, supervisor, j.ID, detention.EarlyRelease{Kind: detention.ShortenAdministrativeDays}); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("shortening by no days: %v, want invalid", err)
	}
	marked := must(s.MarkEarlyRelease(ctx, supervisor, j.ID, detention.EarlyRelease{Kind: detention.EndJudicialDetention, Note: "和解履行，建议提前解除"}))
	if marked.EarlyRelease == nil || marked.EarlyRelease.ApprovedBy != supervisor.UserID || !marked.EarlyRelease.ApprovedAt.Equal(t0) {
		t.Fatalf("early release %+v", marked.EarlyRelease)
	}
	_, err := s.MarkEarlyRelease(ctx, supervisor, j.ID, detention.EarlyRelease{Kind: detention.EndJudicialDetention})
	wantKind(t, err, domain.KindConflict, "joint_mediation.early_release_recorded")

	for _, want := range []string{"joint_mediation.create", "joint_mediation.message", "joint_mediation.decide", "joint_mediation.early_release"} {
		if !slices.Contains(actions(f.w.audit), fmt.Sprintf("%s joint_mediation:%d", want, j.ID)) {
			t.Fatalf("audit lacks %s: %v", want, actions(f.w.audit))
		}
	}
}

// An agreement settles the dispute: a detainee yellow only because of it
// goes back to blue.
func TestAgreementLowersTheLabelOfASettledDispute(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) {
		n.PriorRecords, n.DisputeBackground = "2018年赌博", "邻里纠纷未化解"
	})))
	if d.Label != detention.RiskYellow {
		t.Fatalf("intake %s, want yellow", d.Label)
	}
	j := must(s.StartJoint(ctx, staff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "public_order_dispute", Summary: "邻里纠纷",
		PartnerUnitIDs: []int64{womens}}))
	must(s.DecideJoint(ctx, staff, j.ID, detention.JointDecision{At: t0, Place: "调解室", Participants: []string{"双方"}, Outcome: detention.OutcomeAgreed}))
	got := must(s.Profile(ctx, staff, d.ID))
	last := f.w.labels[len(f.w.labels)-1]
	if got.Detainee.Label != detention.RiskBlue || last.Source != detention.LabelByMediation || last.From != detention.RiskYellow {
		t.Fatalf("after the agreement: %s, last change %+v", got.Detainee.Label, last)
	}
}

// jointBox records the notices about joint mediations.
type jointBox struct{ sent []jointNote }

type jointNote struct {
	user        int64
	kind, title string
	joint       int64
	key, link   string
}

func (b *jointBox) NotifyJoint(_ context.Context, userID int64, kind, title, _ string, jointID int64, key, link string) error {
	b.sent = append(b.sent, jointNote{userID, kind, title, jointID, key, link})
	return nil
}

// The detainee's registered family hears the decision, whichever it is,
// with the way to their joint mediations (where they rate it); the
// partner units and staff are told by their work orders, not here.
func TestTheFamilyHearsTheJointDecision(t *testing.T) {
	s, _ := newCustody(t)
	box := &jointBox{}
	s.Notices = box
	d := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) {
		n.Family = []detention.NewFamilyLink{{Phone: "13800138000", Relationship: "妻子"}, {Phone: "13900139000", Relationship: "儿子"}}
	})))
	start := func() *detention.JointMediation {
		return must(s.StartJoint(ctx, staff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "court_enforcement", Summary: "执行和解",
			PartnerUnitIDs: []int64{court}}))
	}
	decide := func(j *detention.JointMediation, outcome string) {
		must(s.DecideJoint(ctx, staff, j.ID, detention.JointDecision{At: t0, Place: "调解室", Participants: []string{"双方"}, Outcome: outcome}))
	}
	agreed, failed := start(), start()
	if len(box.sent) != 0 {
		t.Fatalf("notices before any decision: %+v", box.sent)
	}
	decide(agreed, detention.OutcomeAgreed)
	decide(failed, detention.OutcomeFailed)
	want := []struct {
		user  int64
		joint int64
		title string
	}{{100, agreed.ID, "联合调解已结束：调解成功"}, {101, agreed.ID, "联合调解已结束：调解成功"},
		{100, failed.ID, "联合调解已结束：未达成协议"}, {101, failed.ID, "联合调解已结束：未达成协议"}}
	if len(box.sent) != len(want) {
		t.Fatalf("notices %+v, want %d", box.sent, len(want))
	}
	keys := map[string]bool{}
	for i, w := range want {
		n := box.sent[i]
		if n.user != w.user || n.joint != w.joint || n.title != w.title || n.kind != detention.NoticeJointDecided || n.link != detention.FamilyJointsLink {
			t.Errorf("notice %d: %+v, want %+v", i, n, w)
		}
		keys[n.key] = true
	}
	if len(keys) != len(want) {
		t.Fatalf("dedupe keys repeat: %v", keys)
	}
}
