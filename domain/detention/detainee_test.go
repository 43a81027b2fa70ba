package detention_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

func TestIntakeKeepsOnlyTheMaskedIDNumberAndItsHash(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) {
		n.IDNumber = "33028119900101123x"
		n.Family = []detention.NewFamilyLink{{Phone: "13800138000", Relationship: "配偶"}, {UserID: 101}}
	})))
	if d.IDNumberMasked != "3302**********123X" || len(d.IDNumberHash) != 64 || strings.Contains(d.IDNumberHash, "330281") {
		t.Fatalf("stored ID number %q / %q: want the mask and an HMAC only", d.IDNumberMasked, d.IDNumberHash)
	}
	if d.Status != detention.Detained || d.Label != detention.RiskBlue || d.CentreID != centre || d.CreatedBy != staff.UserID {
		t.Fatalf("detainee %+v", d)
	}
	if ok, _ := f.IsFamily(ctx, d.ID, 100); !ok {
		t.Fatal("the family member named by phone was not linked")
	}
	if ok, _ := f.IsFamily(ctx, d.ID, 101); !ok {
		t.Fatal("the family member named by account was not linked")
	}
	if got := actions(f.w.audit); !slices.Contains(got, "detainee.intake detainee:1") {
		t.Fatalf("audit %v lacks the intake", got)
	}
	for _, o := range f.w.orders {
		t.Fatalf("a blue intake created a work order: %+v", o)
	}

	// The same person (the number in another case) is recognised while detained.
	_, err := s.Intake(ctx, staff, intake(func(n *detention.NewIntake) { n.IDNumber = "33028119900101123X" }))
	wantKind(t, err, domain.KindConflict, "detainee.already_detained")
	if _, err := s.Intake(ctx, otherStaff, intake()); err != nil {
		t.Fatalf("another centre may take in the same person: %v", err)
	}
}

func TestIntakeValidation(t *testing.T) {
	cases := []struct {
		name   string
		change func(*detention.NewIntake)
		field  string
	}{
		{"a name is required", func(n *detention.NewIntake) { n.Name = " " }, "name"},
		{"an ID number has 18 characters", func(n *detention.NewIntake) { n.IDNumber = "12345" }, "id_number"},
		{"the punishment ends after it starts", func(n *detention.NewIntake) { n.PunishmentTo = n.PunishmentFrom.AddDate(0, 0, -1) }, "punishment_to"},
		{"the home station must be a station", func(n *detention.NewIntake) { n.HomeStationID = otherCentre }, "home_station_id"},
		{"a family phone must have an account", func(n *detention.NewIntake) {
			n.Family = []detention.NewFamilyLink{{Phone: "13700137000"}}
		}, "family[0].phone"},
		{"a family user must be a citizen", func(n *detention.NewIntake) { n.Family = []detention.NewFamilyLink{{UserID: staff.UserID}} }, "family[0].user_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, f := newCustody(t)
			_, err := s.Intake(ctx, staff, intake(c.change))
			e, ok := domain.AsError(err)
			if !ok || e.Kind != domain.KindInvalid || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
				t.Fatalf("error %v, want invalid %s", err, c.field)
			}
			if len(f.w.detainees) != 0 {
				t.Fatal("an invalid intake was stored")
			}
		})
	}
}

func TestOnlyTheCentreSeesItsDetainees(t *testing.T) {
	s, _ := newCustody(t)
	d := must(s.Intake(ctx, staff, intake()))
	red := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) {
		n.IDNumber, n.CaseCause, n.HealthNotes = "330281199202021234", "持刀伤人", "精神分裂症"
	})))
	must(s.Intake(ctx, otherStaff, intake()))

	cases := []struct {
		name string
		a    domain.Actor
		sees bool
	}{
		{"the centre's staff", staff, true},
		{"a supervisor of the district above it", supervisor, true},
		{"staff of another centre", otherStaff, false},
		{"the home station's officer", officer, false},
		{"a partner unit", courtClerk, false},
		{"a citizen", citizen, false},
		{"detention staff without an organisation", domain.Actor{UserID: 50, Roles: []string{"detention_staff"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := s.Profile(ctx, c.a, d.ID)
			if c.sees {
				if err != nil || p.Detainee.ID != d.ID {
					t.Fatalf("profile: %v", err)
				}
			} else {
				wantKind(t, err, domain.KindNotFound, "detainee.not_found")
			}
			list, err := s.ListDetainees(ctx, c.a, detention.DetaineeFilter{})
			if err != nil {
				t.Fatal(err)
			}
			listed := slices.ContainsFunc(list, func(x detention.Detainee) bool { return x.ID == d.ID })
			if c.sees != listed {
				t.Fatalf("listed the detainee: %v, want %v", listed, c.sees)
			}
			for _, x := range list {
				if x.CentreID != centre && c.a.OrgID == centre {
					t.Fatalf("centre staff listed a detainee of centre %d", x.CentreID)
				}
			}
		})
	}
	reds := must(s.ListDetainees(ctx, staff, detention.DetaineeFilter{Label: detention.RiskRed}))
	if len(reds) != 1 || reds[0].ID != red.ID {
		t.Fatalf("red filter listed %v", reds)
	}
	page := must(s.ListDetainees(ctx, staff, detention.DetaineeFilter{Limit: 1}))
	next := must(s.ListDetainees(ctx, staff, detention.DetaineeFilter{Limit: 1, BeforeID: page[0].ID}))
	if page[0].ID != red.ID || len(next) != 1 || next[0].ID != d.ID {
		t.Fatalf("paging: %v then %v, want newest first", page, next)
	}
	_, err := s.ListDetainees(ctx, staff, detention.DetaineeFilter{Label: "green"})
	wantKind(t, err, domain.KindInvalid, "")
}

func TestProfileHoldsEverythingAndIsAudited(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) { n.DisputeBackground = "与债主因欠款纠纷" })))
	must(s.RecordBehaviour(ctx, staff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourViolation, Note: "私藏物品"}))
	must(s.LinkFamily(ctx, staff, d.ID, detention.NewFamilyLink{Phone: "13800138000", Relationship: "母亲"}))
	again := must(s.LinkFamily(ctx, staff, d.ID, detention.NewFamilyLink{UserID: 100, Relationship: "母亲"}))
	if again.UserID != 100 {
		t.Fatalf("relinking answered %+v", again)
	}
	_, err := s.LinkFamily(ctx, staff, d.ID, detention.NewFamilyLink{Phone: "13700137000"})
	if e, ok := domain.AsError(err); !ok || e.Kind != domain.KindInvalid || e.Fields[0].Field != "phone" {
		t.Fatalf("linking an unknown phone: %v, want invalid phone", err)
	}
	p := must(s.Profile(ctx, staff, d.ID))
	if len(p.Family) != 1 || len(p.Behaviours) != 1 || len(p.LabelHistory) != 2 || p.Risk.Score != 4 || p.Detainee.Label != detention.RiskYellow {
		t.Fatalf("profile: %d family, %d behaviours, %d label changes, score %d, label %s", len(p.Family), len(p.Behaviours),
			len(p.LabelHistory), p.Risk.Score, p.Detainee.Label)
	}
	if got := actions(f.w.audit); !slices.Contains(got, "detainee.read detainee:1") {
		t.Fatalf("reading the profile was not audited: %v", got)
	}
}

func TestLeave(t *testing.T) {
	cases := []struct {
		from, to detention.Status
		ok       bool
	}{
		{detention.Detained, detention.Released, true},
		{detention.Detained, detention.Transferred, true},
		{detention.Released, detention.Released, false},
		{detention.Released, detention.Transferred, false},
		{detention.Transferred, detention.Released, false},
		{detention.Transferred, detention.Transferred, false},
	}
	for _, c := range cases {
		err := detention.Leave(c.from, c.to)
		if c.ok && err != nil || !c.ok && !domain.IsKind(err, domain.KindFailedPrecondition) {
			t.Errorf("Leave(%s → %s) = %v, want ok %v", c.from, c.to, err, c.ok)
		}
	}
}

func TestTransferCancelsBookingsAndEndsTheDetention(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake()))
	_, err := s.Transfer(ctx, staff, d.ID, detention.Departure{On: t0, Reason: "转押"})
	wantKind(t, err, domain.KindInvalid, "")
	got := must(s.Transfer(ctx, staff, d.ID, detention.Departure{On: t0, Reason: "另案处理", Destination: "市看守所"}))
	if got.Status != detention.Transferred || got.LeftAt == nil || got.Destination != "市看守所" {
		t.Fatalf("transferred detainee %+v", got)
	}
	if !slices.Equal(f.w.cancelled, []int64{d.ID}) {
		t.Fatalf("bookings cancelled for %v, want the detainee", f.w.cancelled)
	}
	if len(f.w.followUps) != 0 {
		t.Fatal("a transfer opened a follow-up")
	}
	_, _, err = s.Release(ctx, staff, d.ID, detention.Departure{On: t0, Reason: "期满"})
	wantKind(t, err, domain.KindFailedPrecondition, "detainee.not_detained")
	_, err = s.RecordBehaviour(ctx, staff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourGood})
	wantKind(t, err, domain.KindFailedPrecondition, "detainee.not_detained")
}
