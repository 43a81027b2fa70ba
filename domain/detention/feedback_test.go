package detention_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/detention"
)

// fakeFeedback is an in-memory detention.FeedbackStore that counts the
// reads of a person's feedback (one per list, not one per row).
type fakeFeedback struct {
	rows  []detention.Feedback
	reads int
}

func (f *fakeFeedback) AddFeedback(_ context.Context, fb *detention.Feedback) error {
	for _, r := range f.rows {
		if r.Subject == fb.Subject && r.SubjectID == fb.SubjectID && r.UserID == fb.UserID {
			return domain.Errorf(domain.KindConflict, "duplicate", "It already exists.")
		}
	}
	fb.ID = int64(len(f.rows) + 1)
	f.rows = append(f.rows, *fb)
	return nil
}

func (f *fakeFeedback) FeedbackBy(_ context.Context, userID int64, subject string, ids []int64) (map[int64]detention.Feedback, error) {
	f.reads++
	out := map[int64]detention.Feedback{}
	for _, r := range f.rows {
		if r.UserID == userID && r.Subject == subject && slices.Contains(ids, r.SubjectID) {
			out[r.SubjectID] = r
		}
	}
	return out, nil
}

func (f *fakeFeedback) FeedbackTallies(context.Context, int64, time.Time, time.Time) ([]detention.FeedbackTally, error) {
	return nil, nil
}

// The family scene: 张三 (citizen 100's husband) has a decided and a
// consulting joint mediation, 李四 (citizen 101's son) a decided one; the
// court (a partner of all three) and citizen 100 rate 张三's decided one.
type familyScene struct {
	s                          *detention.Custody
	f                          *fake
	fb                         *fakeFeedback
	decided, consulting, other *detention.JointMediation
}

func newFamilyScene(t *testing.T) familyScene {
	t.Helper()
	s, f := newCustody(t)
	fb := &fakeFeedback{}
	s.Feedback = fb
	zhang := must(s.Intake(ctx, staff, intake()))
	li := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) { n.Name, n.IDNumber = "李四", "330281199202021234" })))
	must(s.LinkFamily(ctx, staff, zhang.ID, detention.NewFamilyLink{UserID: 100, Relationship: "配偶"}))
	must(s.LinkFamily(ctx, staff, li.ID, detention.NewFamilyLink{UserID: 101, Relationship: "母亲"}))
	start := func(d *detention.Detainee, line string) *detention.JointMediation {
		return must(s.StartJoint(ctx, staff, detention.NewJoint{DetaineeID: d.ID, BusinessLine: line, Summary: "联合调解",
			PartnerUnitIDs: []int64{court, justice}}))
	}
	decide := func(j *detention.JointMediation) *detention.JointMediation {
		return must(s.DecideJoint(ctx, staff, j.ID, detention.JointDecision{At: t0, Place: "会见室", Participants: []string{"管教"},
			Outcome: detention.OutcomeAgreed, Notes: "提前解除的理由"}))
	}
	sc := familyScene{s: s, f: f, fb: fb}
	sc.decided = decide(start(zhang, "court_enforcement"))
	sc.consulting = start(zhang, "petition")
	sc.other = decide(start(li, "family_dispute"))
	must(s.JointFeedback(ctx, courtClerk, sc.decided.ID, 4, "配合到位"))
	must(s.JointFeedback(ctx, citizen, sc.decided.ID, 5, "放心了"))
	f.w.audit = nil
	return sc
}

func TestFamilyJointList(t *testing.T) {
	stranger := domain.Actor{UserID: 102, Roles: []string{"citizen"}}
	otherFamily := domain.Actor{UserID: 101, Roles: []string{"citizen"}}
	type row struct {
		id      int64
		detenu  string
		line    string
		state   detention.JointState
		myStars int // 0: no feedback of the caller
	}
	cases := []struct {
		name  string
		a     func(sc familyScene) domain.Actor
		want  func(sc familyScene) []row
		kind  domain.Kind
		audit string // the detail of the list's audit entry
	}{
		{"a family sees its detainee's joint mediations, newest first, with its own rating",
			func(familyScene) domain.Actor { return citizen },
			func(sc familyScene) []row {
				return []row{{sc.consulting.ID, "张三", "信访矛盾化解", detention.JointConsulting, 0},
					{sc.decided.ID, "张三", "法院执行和解", detention.JointAgreed, 5}}
			}, "", "2 shown:"},
		{"another family sees only its own detainee's, unrated by it",
			func(familyScene) domain.Actor { return otherFamily },
			func(sc familyScene) []row {
				return []row{{sc.other.ID, "李四", "婚姻家庭纠纷调解", detention.JointAgreed, 0}}
			}, "", "1 shown:"},
		{"a citizen linked to nobody gets an empty list",
			func(familyScene) domain.Actor { return stranger },
			func(familyScene) []row { return []row{} }, "", "0 shown"},
		{"a partner unit's staff member has no family list",
			func(familyScene) domain.Actor { return courtClerk }, nil, domain.KindForbidden, ""},
		{"nor has the centre's staff",
			func(familyScene) domain.Actor { return staff }, nil, domain.KindForbidden, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := newFamilyScene(t)
			sc.fb.reads = 0
			list, err := sc.s.MyJoints(ctx, c.a(sc))
			if c.kind != "" {
				wantKind(t, err, c.kind, "auth.role_forbidden")
				if len(sc.f.w.audit) != 0 {
					t.Fatalf("a refused list was audited: %v", actions(sc.f.w.audit))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if list == nil {
				t.Fatal("the list is nil, want an empty list")
			}
			got := []row{}
			for _, j := range list {
				r := row{j.Joint.ID, j.DetaineeName, j.LineName, j.Joint.State, 0}
				if j.MyFeedback != nil {
					r.myStars = j.MyFeedback.Stars
					if j.MyFeedback.UserID != c.a(sc).UserID {
						t.Fatalf("joint %d carries someone else's feedback %+v", j.Joint.ID, j.MyFeedback)
					}
				}
				if j.CentreName != "拘留所" {
					t.Fatalf("joint %d at %q, want the centre's name", j.Joint.ID, j.CentreName)
				}
				got = append(got, r)
			}
			if want := c.want(sc); !slices.Equal(got, want) {
				t.Fatalf("list %+v, want %+v", got, want)
			}
			if len(list) > 0 && sc.fb.reads != 1 {
				t.Fatalf("%d reads of the caller's feedback, want one for the whole list", sc.fb.reads)
			}
			if len(sc.f.w.audit) != 1 || sc.f.w.audit[0].Action != "joint_mediation.family_list" ||
				!strings.HasPrefix(sc.f.w.audit[0].Detail, c.audit) {
				t.Fatalf("audit %+v, want one joint_mediation.family_list entry %q…", sc.f.w.audit, c.audit)
			}
		})
	}
}

// Each caller sees their own rating, not another's: the court's on its
// staff member's view, the family's on theirs, none for a unit that has
// not rated or for the centre's staff.
func TestJointViewsCarryTheCallersOwnFeedback(t *testing.T) {
	sc := newFamilyScene(t)
	cases := []struct {
		name  string
		a     domain.Actor
		stars int // 0: none
	}{
		{"the court's clerk sees the court's rating", courtClerk, 4},
		{"the justice bureau has not rated", justiceClerk, 0},
		{"the centre's staff do not rate", staff, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := must(sc.s.Joint(ctx, c.a, sc.decided.ID))
			if got := stars(v.MyFeedback); got != c.stars || v.ID != sc.decided.ID {
				t.Fatalf("joint %d: my feedback %+v, want %d stars", v.ID, v.MyFeedback, c.stars)
			}
		})
	}
	t.Run("the centre's list carries the lister's own rating, read once", func(t *testing.T) {
		sc.fb.reads = 0
		list := must(sc.s.ListJoints(ctx, staff, detention.JointFilter{}))
		if len(list) != 3 || sc.fb.reads != 1 {
			t.Fatalf("%d joints, %d feedback reads; want 3 and 1", len(list), sc.fb.reads)
		}
		for _, j := range list {
			if j.MyFeedback != nil {
				t.Fatalf("staff list shows feedback %+v on joint %d", j.MyFeedback, j.ID)
			}
		}
	})
	t.Run("an invited unit's list holds its joint mediations with its own rating", func(t *testing.T) {
		list := must(sc.s.ListJoints(ctx, courtClerk, detention.JointFilter{}))
		var rated *detention.JointListItem
		for i, j := range list {
			if !slices.Contains(j.Partners, court) {
				t.Fatalf("the court lists joint %d, which did not invite it (%v)", j.ID, j.Partners)
			}
			if j.ID == sc.decided.ID {
				rated = &list[i]
			}
		}
		if rated == nil || stars(rated.MyFeedback) != 4 {
			t.Fatalf("the court's list %+v lacks the decided joint with its 4 stars", list)
		}
		if none := must(sc.s.ListJoints(ctx, womensClerk, detention.JointFilter{})); len(none) != 0 {
			t.Fatalf("the women's federation, never invited, lists %+v", none)
		}
	})
	t.Run("after rating, the justice bureau's view shows it", func(t *testing.T) {
		must(sc.s.JointFeedback(ctx, justiceClerk, sc.decided.ID, 3, ""))
		if got := stars(must(sc.s.Joint(ctx, justiceClerk, sc.decided.ID)).MyFeedback); got != 3 {
			t.Fatalf("justice bureau's feedback %d stars, want 3", got)
		}
		_, err := sc.s.JointFeedback(ctx, justiceClerk, sc.decided.ID, 5, "")
		wantKind(t, err, domain.KindConflict, "feedback.already_given")
	})
	t.Run("the other family rates its joint and sees it in its list", func(t *testing.T) {
		fam := domain.Actor{UserID: 101, Roles: []string{"citizen"}}
		if got := must(sc.s.MyJoints(ctx, fam)); len(got) != 1 || got[0].MyFeedback != nil {
			t.Fatalf("before rating: %+v", got)
		}
		must(sc.s.JointFeedback(ctx, fam, sc.other.ID, 2, "还要再跟进"))
		got := must(sc.s.MyJoints(ctx, fam))
		if len(got) != 1 || stars(got[0].MyFeedback) != 2 || got[0].MyFeedback.Comment != "还要再跟进" {
			t.Fatalf("after rating: %+v", got)
		}
		// Rating a joint of another family's detainee is not found.
		_, err := sc.s.JointFeedback(ctx, fam, sc.decided.ID, 5, "")
		wantKind(t, err, domain.KindNotFound, "joint_mediation.not_found")
	})
}

func TestBookingsCarryTheFamilysOwnFeedback(t *testing.T) {
	s, f := newVisits(t)
	fb := &fakeFeedback{}
	s.Feedback = fb
	ctx := context.Background()
	rated := vBooked(t, s, f, detention.VisitInPerson)
	unrated := vBooked(t, s, f, detention.VisitRemote)
	for _, b := range []*detention.VisitBooking{rated, unrated} {
		if _, err := s.Approve(ctx, vStaff, b.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.now = unrated.StartsAt.Add(time.Hour)
	for _, b := range []*detention.VisitBooking{rated, unrated} {
		if _, err := s.MarkAttendance(ctx, vStaff, b.ID, detention.AttendanceAttended); err != nil {
			t.Fatal(err)
		}
	}
	if v := must(s.Booking(ctx, vFamily1, rated.ID)); v.MyFeedback != nil {
		t.Fatalf("feedback %+v before rating", v.MyFeedback)
	}
	must(s.VisitFeedback(ctx, vFamily1, rated.ID, 5, "很方便"))

	cases := []struct {
		name string
		a    domain.Actor
		id   int64
		want int // stars; 0: none
	}{
		{"the booker sees their rating on the rated booking", vFamily1, rated.ID, 5},
		{"and none on the one they have not rated", vFamily1, unrated.ID, 0},
		{"the centre's staff see no rating of their own", vStaff, rated.ID, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := stars(must(s.Booking(ctx, c.a, c.id)).MyFeedback); got != c.want {
				t.Fatalf("booking %d: %d stars, want %d", c.id, got, c.want)
			}
		})
	}
	t.Run("the family's list carries its ratings, read once", func(t *testing.T) {
		fb.reads = 0
		got := map[int64]int{}
		for _, b := range must(s.ListBookings(ctx, vFamily1, detention.BookingFilter{})) {
			got[b.ID] = stars(b.MyFeedback)
		}
		if got[rated.ID] != 5 || got[unrated.ID] != 0 || len(got) != 2 || fb.reads != 1 {
			t.Fatalf("stars by booking %v after %d reads, want %d:5 and %d:0 after one", got, fb.reads, rated.ID, unrated.ID)
		}
	})
	t.Run("the staff list carries none", func(t *testing.T) {
		for _, b := range must(s.ListBookings(ctx, vStaff, detention.BookingFilter{})) {
			if b.MyFeedback != nil {
				t.Fatalf("staff list shows feedback on booking %d", b.ID)
			}
		}
	})
	_, err := s.VisitFeedback(ctx, vFamily1, rated.ID, 4, "")
	vWantErr(t, err, domain.KindConflict, "feedback.already_given")
}

func stars(f *detention.Feedback) int {
	if f == nil {
		return 0
	}
	return f.Stars
}
