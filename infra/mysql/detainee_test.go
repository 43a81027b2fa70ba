package mysql_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// The detention service over the real stores and audit log; the
// organisation tree, work orders, bookings and accounts are small stand-ins
// (their own stores are tested in their areas).

const (
	detDistrict, detCentre, detStation, detCourt, detJustice = 1, 2, 3, 6, 7
)

var (
	detStaff      = domain.Actor{UserID: 10, Roles: []string{"detention_staff"}, OrgID: detCentre}
	detOfficer    = domain.Actor{UserID: 13, Roles: []string{"police"}, OrgID: detStation}
	detSupervisor = domain.Actor{UserID: 12, Roles: []string{"supervisor"}, OrgID: detDistrict}
	detCourtClerk = domain.Actor{UserID: 15, Roles: []string{"partner"}, OrgID: detCourt}
)

type detOrgs struct{}

var detTree = map[int64]detention.Org{
	detDistrict: {ID: detDistrict, Kind: "district", Path: "/1/"},
	detCentre:   {ID: detCentre, ParentID: detDistrict, Kind: detention.OrgKindCentre, Name: "拘留所", Path: "/1/2/"},
	detStation:  {ID: detStation, ParentID: detDistrict, Kind: detention.OrgKindStation, Path: "/1/3/"},
	detCourt:    {ID: detCourt, Kind: "partner", Path: "/6/"},
	detJustice:  {ID: detJustice, Kind: "partner", Path: "/7/"},
}

func (detOrgs) Org(_ context.Context, id int64) (detention.Org, error) {
	if o, ok := detTree[id]; ok {
		return o, nil
	}
	return detention.Org{}, domain.Errorf(domain.KindNotFound, "org.not_found", "No such organisation.")
}

func (detOrgs) OrgsOfKind(_ context.Context, kind string) ([]detention.Org, error) {
	var out []detention.Org
	for _, o := range detTree {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out, nil
}

// detOutside records the calls to the ports of other areas; cancelErr makes
// the booking port fail, to prove a release rolls back with it.
type detOutside struct {
	mu        sync.Mutex
	orders    []string
	settled   []string
	cancelled []int64
	cancelErr error
}

func (o *detOutside) CreateOrder(_ context.Context, kind string, unitID, _ int64, _ int, _, _ string, _ int64, key string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.orders = append(o.orders, kind+" "+key)
	return nil
}

func (o *detOutside) SettleOrders(_ context.Context, _ domain.Actor, cause string, id int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.settled = append(o.settled, cause+"@"+strconv.FormatInt(id, 10))
	return nil
}

func (o *detOutside) CancelFutureFor(_ context.Context, detaineeID int64, _ string) error {
	if o.cancelErr != nil {
		return o.cancelErr
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.cancelled = append(o.cancelled, detaineeID)
	return nil
}

func (o *detOutside) CitizenByPhone(_ context.Context, phone string) (int64, bool, error) {
	return 100, phone == "13800138000", nil
}
func (o *detOutside) IsCitizen(_ context.Context, id int64) (bool, error) { return id == 100, nil }
func (o *detOutside) DetaineeOfRequest(context.Context, int64) (int64, error) {
	return 0, domain.Errorf(domain.KindNotFound, "request.not_found", "No such request.")
}
func (o *detOutside) RequestOfAttachment(context.Context, int64) (int64, error) {
	return 0, domain.Errorf(domain.KindNotFound, "attachment.not_found", "No such attachment.")
}

func newCustody(db *mysql.DB, now time.Time) (*detention.Custody, *mysql.DetentionStore, *detOutside) {
	store, out := mysql.NewDetentionStore(db), &detOutside{}
	return &detention.Custody{Tx: db, Detainees: store, FollowUps: store, Joints: store, Orgs: detOrgs{}, Orders: out, Bookings: out,
		People: out, Requests: out, Attachments: out, Audit: mysql.NewAuditStore(db), Clock: domain.ClockFunc(func() time.Time { return now }),
		IDKey: []byte("k"), Risk: detention.DefaultRiskFactors()}, store, out
}

func detIntake(id string, change ...func(*detention.NewIntake)) detention.NewIntake {
	n := detention.NewIntake{HomeStationID: detStation, Name: "李四", IDNumber: id, CaseCause: "殴打他人", Punishment: "行政拘留十日",
		PunishmentFrom: t0.AddDate(0, 0, -2), PunishmentTo: t0.AddDate(0, 0, 8), HealthNotes: "无", DisputeBackground: "与邻居因排水纠纷",
		PriorRecords: "2020年寻衅滋事", Family: []detention.NewFamilyLink{{Phone: "13800138000", Relationship: "妻子"}}}
	for _, c := range change {
		c(&n)
	}
	return n
}

func auditCount(t *testing.T, db *mysql.DB, action string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Table("audit_log").Where("action = ?", action).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// The whole detainee record survives the round trip through the store.
func TestDetentionStoreRoundTrip(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, store, out := newCustody(db, t0)
		d := must(svc.Intake(ctx, detStaff, detIntake("330281199001011234")))
		got, err := store.Detainee(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		d.Version = got.Version // the label write bumped nothing else
		if got.Name != "李四" || got.IDNumberMasked != "3302**********1234" || got.IDNumberHash != d.IDNumberHash || got.Label != detention.RiskRed ||
			got.Score != 7 || !got.PunishmentFrom.Equal(t0.AddDate(0, 0, -2)) || got.HealthNotes != "无" || got.Status != detention.Detained ||
			got.CreatedBy != detStaff.UserID || got.LeftAt != nil || !got.CreatedAt.Equal(t0) {
			t.Fatalf("round trip: %+v", got)
		}
		if ok, err := store.IsFamily(ctx, d.ID, 100); err != nil || !ok {
			t.Fatalf("IsFamily = %v, %v; the wife linked by phone", ok, err)
		}
		if ok, _ := store.IsFamily(ctx, d.ID, 101); ok {
			t.Fatal("a stranger is family")
		}
		if added, err := store.AddFamily(ctx, &detention.FamilyLink{DetaineeID: d.ID, UserID: 100, CreatedAt: t0}); err != nil || added {
			t.Fatalf("linking twice: added %v, %v; want nothing and no error", added, err)
		}
		if !slices.Equal(out.orders, []string{"detainee_attention detainee:1:label:1"}) {
			t.Fatalf("orders %v, want one attention order for the red intake", out.orders)
		}

		// A versioned write loses to a concurrent one.
		stale := *got
		got.LabelReason = "x"
		if ok, err := store.UpdateDetainee(ctx, got); err != nil || !ok {
			t.Fatalf("first update: %v, %v", ok, err)
		}
		if ok, err := store.UpdateDetainee(ctx, &stale); err != nil || ok {
			t.Fatalf("stale update: %v, %v; want refused", ok, err)
		}
		if _, err := store.Detainee(ctx, 999); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("unknown detainee: %v", err)
		}
		_, err = svc.Intake(ctx, detStaff, detIntake("330281199001011234"))
		if !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second intake of someone detained: %v, want conflict", err)
		}
	})
}

func TestDetentionStoreListsByCentreLabelAndStatus(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, store, _ := newCustody(db, t0)
		blue := func(n *detention.NewIntake) {
			n.CaseCause, n.DisputeBackground, n.PriorRecords, n.Family = "噪音扰民", "", "", nil
		}
		var ids []int64
		for i, id := range []string{"330281199001011111", "330281199001012222", "330281199001013333"} {
			change := []func(*detention.NewIntake){}
			if i != 1 {
				change = append(change, blue)
			}
			ids = append(ids, must(svc.Intake(ctx, detStaff, detIntake(id, change...))).ID)
		}
		must2(svc.Release(ctx, detStaff, ids[2], detention.Departure{On: t0, Reason: "期满"}))
		list := func(f detention.DetaineeFilter) []int64 {
			f.Centres = []int64{detCentre}
			if f.Limit == 0 {
				f.Limit = 10
			}
			ds, err := store.Detainees(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, d := range ds {
				out = append(out, d.ID)
			}
			return out
		}
		cases := []struct {
			name string
			f    detention.DetaineeFilter
			want []int64
		}{
			{"all, newest first", detention.DetaineeFilter{}, []int64{ids[2], ids[1], ids[0]}},
			{"blue only", detention.DetaineeFilter{Label: detention.RiskBlue}, []int64{ids[2], ids[0]}},
			{"red only", detention.DetaineeFilter{Label: detention.RiskRed}, []int64{ids[1]}},
			{"still detained", detention.DetaineeFilter{Status: detention.Detained}, []int64{ids[1], ids[0]}},
			{"released", detention.DetaineeFilter{Status: detention.Released}, []int64{ids[2]}},
			{"a page of one", detention.DetaineeFilter{Limit: 1}, []int64{ids[2]}},
			{"the page after", detention.DetaineeFilter{Limit: 2, BeforeID: ids[2]}, []int64{ids[1], ids[0]}},
		}
		for _, c := range cases {
			if got := list(c.f); !slices.Equal(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		if ds, err := store.Detainees(ctx, detention.DetaineeFilter{Centres: []int64{99}, Limit: 10}); err != nil || len(ds) != 0 {
			t.Fatalf("another centre: %v, %v", ds, err)
		}
	})
}

// A release writes the detainee, the follow-up, its order, the booking
// cancellation and the audit lines in one transaction: a failing booking
// port leaves nothing behind.
func TestReleaseIsOneTransaction(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, store, out := newCustody(db, t0)
		d := must(svc.Intake(ctx, detStaff, detIntake("330281199001011234")))
		out.cancelErr = errors.New("bookings down")
		if _, _, err := svc.Release(ctx, detStaff, d.ID, detention.Departure{On: t0, Reason: "期满"}); err == nil {
			t.Fatal("release succeeded though the bookings could not be cancelled")
		}
		if got := must(store.Detainee(ctx, d.ID)); got.Status != detention.Detained {
			t.Fatalf("status after a failed release: %s", got.Status)
		}
		if _, found, _ := store.FollowUpOf(ctx, d.ID); found {
			t.Fatal("a failed release left a follow-up")
		}
		if n := auditCount(t, db, "detainee.release"); n != 0 {
			t.Fatalf("%d release audit lines after a rollback", n)
		}

		out.cancelErr = nil
		rel, fu := must2(svc.Release(ctx, detStaff, d.ID, detention.Departure{On: t0, Reason: "期满"}))
		if rel.Status != detention.Released || rel.LeftAt == nil || !rel.LeftAt.Equal(t0) || !slices.Equal(out.cancelled, []int64{d.ID}) {
			t.Fatalf("released %+v, bookings cancelled for %v", rel, out.cancelled)
		}
		if n := auditCount(t, db, "detainee.release"); n != 1 {
			t.Fatalf("%d release audit lines, want 1", n)
		}
		if err := store.CreateFollowUp(ctx, &detention.FollowUp{DetaineeID: d.ID, State: detention.FollowUpOpen, ReleasedOn: t0, DueAt: t0,
			CreatedAt: t0, UpdatedAt: t0, Version: 1}); !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("a second follow-up of the detainee: %v, want conflict", err)
		}

		// The follow-up to its sign-off, over the real store.
		later := t0.Add(48 * time.Hour)
		svc.Clock = domain.ClockFunc(func() time.Time { return later })
		must(svc.AddFollowUpVisit(ctx, detOfficer, fu.ID, detention.NewFollowUpVisit{On: later, Method: "home", Note: "上门走访"}))
		must(svc.AssessFollowUp(ctx, detOfficer, fu.ID, detention.AssessFair, "偶有抱怨，无过激言行"))
		closed := must(svc.CloseFollowUp(ctx, detStaff, fu.ID, "结案销号"))
		v := must(svc.FollowUp(ctx, detOfficer, fu.ID))
		if closed.State != detention.FollowUpClosed || v.FollowUp.ClosedAt == nil || !v.FollowUp.ClosedAt.Equal(later) || v.FollowUp.ClosedBy != detStaff.UserID ||
			v.FollowUp.Assessment != detention.AssessFair || v.FollowUp.AssessedAt == nil || !v.FollowUp.DueAt.Equal(t0.AddDate(0, 0, 7)) ||
			len(v.Visits) != 1 || v.Visits[0].Method != "home" || v.Detainee.ID != d.ID {
			t.Fatalf("follow-up %+v with visits %+v", v.FollowUp, v.Visits)
		}
		if !v.FollowUp.UpdatedAt.Equal(later) {
			t.Fatalf("follow-up updated_at %v, want the service clock's %v (not GORM's wall clock)", v.FollowUp.UpdatedAt, later)
		}
		if got := must(store.Detainee(ctx, d.ID)); !got.UpdatedAt.Equal(t0) {
			t.Fatalf("detainee updated_at %v, want the service clock's %v", got.UpdatedAt, t0)
		}
		if _, err := svc.CloseFollowUp(ctx, detStaff, fu.ID, ""); !domain.IsKind(err, domain.KindFailedPrecondition) {
			t.Fatalf("closing twice: %v", err)
		}
		if !slices.Contains(out.orders, "follow_up follow_up:1") {
			t.Fatalf("orders %v lack the follow-up order", out.orders)
		}
	})
}

func TestJointMediationOverTheStore(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, store, out := newCustody(db, t0)
		d := must(svc.Intake(ctx, detStaff, detIntake("330281199001011234")))
		j := must(svc.StartJoint(ctx, detStaff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: "public_order_dispute", Summary: "排水纠纷联合调解",
			PartnerUnitIDs: []int64{detJustice, detCourt}}))
		got := must(store.Joint(ctx, j.ID))
		if !slices.Equal(got.Partners, []int64{detCourt, detJustice}) || got.State != detention.JointConsulting || got.Decision != nil ||
			got.EarlyRelease != nil || got.Summary != "排水纠纷联合调解" || got.CentreID != detCentre {
			t.Fatalf("joint mediation %+v", got)
		}
		if !slices.Contains(out.orders, "joint_mediation joint_mediation:1:unit:6") || !slices.Contains(out.orders, "joint_mediation joint_mediation:1:unit:7") {
			t.Fatalf("orders %v, want one per partner", out.orders)
		}
		var ids []int64
		for _, body := range []string{"一", "二", "三"} {
			ids = append(ids, must(svc.PostJointMessage(ctx, detCourtClerk, j.ID, body, nil)).ID)
		}
		page := must(store.JointMessages(ctx, j.ID, 0, 2))
		rest := must(store.JointMessages(ctx, j.ID, page[1].ID, 2))
		if len(page) != 2 || page[0].ID != ids[2] || page[0].Body != "三" || page[0].AuthorOrgID != detCourt || len(page[0].AttachmentIDs) != 0 ||
			len(rest) != 1 || rest[0].ID != ids[0] {
			t.Fatalf("thread pages %+v, %+v", page, rest)
		}
		if err := store.AddJointMessage(ctx, &detention.JointMessage{MediationID: j.ID, Body: "附件", AttachmentIDs: []int64{4, 9}, CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if m := must(store.JointMessages(ctx, j.ID, 0, 1)); !slices.Equal(m[0].AttachmentIDs, []int64{4, 9}) {
			t.Fatalf("attachment IDs came back as %v", m[0].AttachmentIDs)
		}

		decided := must(svc.DecideJoint(ctx, detStaff, j.ID, detention.JointDecision{At: t0, Place: "拘留所调解室",
			Participants: []string{"司法局调解员", "法院执行法官"}, Outcome: detention.OutcomeAgreed, Notes: "达成协议"}))
		must(svc.MarkEarlyRelease(ctx, detSupervisor, j.ID, detention.EarlyRelease{Kind: detention.ShortenAdministrativeDays, Days: 3, Note: "减少三日"}))
		got = must(store.Joint(ctx, j.ID))
		if got.State != detention.JointAgreed || got.Decision == nil || !slices.Equal(got.Decision.Participants, decided.Decision.Participants) ||
			got.Decision.Place != "拘留所调解室" || !got.Decision.At.Equal(t0) || got.Decision.RecordedBy != detStaff.UserID ||
			got.EarlyRelease == nil || got.EarlyRelease.Days != 3 || got.EarlyRelease.ApprovedBy != detSupervisor.UserID || got.Version != 3 {
			t.Fatalf("after decision and early release: %+v / %+v / %+v", got, got.Decision, got.EarlyRelease)
		}
		if !got.UpdatedAt.Equal(t0) {
			t.Fatalf("joint mediation updated_at %v, want the service clock's %v", got.UpdatedAt, t0)
		}
		list := must(store.JointsOf(ctx, d.ID))
		if len(list) != 1 || list[0].ID != j.ID || len(list[0].Partners) != 2 {
			t.Fatalf("JointsOf = %+v", list)
		}
		after := must(store.Detainee(ctx, d.ID))
		history := must(store.LabelHistory(ctx, d.ID))
		if !after.DisputeResolved || after.Score != 5 || after.Label != detention.RiskYellow || len(history) != 2 ||
			history[1].Source != detention.LabelByMediation || history[1].From != detention.RiskRed {
			t.Fatalf("after the agreement: %+v, history %+v", after, history)
		}
		if _, err := store.Joint(ctx, 999); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("unknown joint mediation: %v", err)
		}
	})
}

func TestBehaviourAndLabelHistoryRoundTrip(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		svc, store, _ := newCustody(db, t0)
		d := must(svc.Intake(ctx, detStaff, detIntake("330281199001011234", func(n *detention.NewIntake) {
			n.CaseCause, n.PriorRecords, n.DisputeBackground = "噪音扰民", "", ""
		})))
		must(svc.RecordBehaviour(ctx, detStaff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourRefusal, Note: "拒绝整理内务"}))
		must(svc.RecordBehaviour(ctx, detStaff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourConflict, Note: "与同室人员争吵"}))
		must(svc.OverrideLabel(ctx, detStaff, d.ID, detention.RiskYellow, "经谈话情绪平复"))
		p := must(svc.Profile(ctx, detStaff, d.ID))
		var labels []string
		for _, c := range p.LabelHistory {
			labels = append(labels, string(c.From)+"→"+string(c.To)+" "+string(c.Source))
		}
		if len(p.Behaviours) != 2 || p.Behaviours[0].Kind != detention.BehaviourRefusal || !p.Behaviours[1].On.Equal(t0) ||
			p.Behaviours[1].RecordedBy != detStaff.UserID || p.Risk.Score != 4 || !p.Detainee.LabelOverridden ||
			p.Detainee.LabelReason != "经谈话情绪平复" || len(p.Family) != 1 || p.Family[0].Relationship != "妻子" {
			t.Fatalf("profile %+v", p)
		}
		if !slices.Equal(labels, []string{"→blue intake", "blue→yellow behaviour"}) {
			t.Fatalf("label history %v: pinning the same label is no change", labels)
		}
		if n := auditCount(t, db, "detainee.read"); n != 1 {
			t.Fatalf("%d profile reads audited, want 1", n)
		}
		if got := must(store.LabelHistory(ctx, d.ID)); got[1].Score != 4 || got[1].ActorID != detStaff.UserID || !got[1].At.Equal(t0) {
			t.Fatalf("label change %+v", got[1])
		}
	})
}
