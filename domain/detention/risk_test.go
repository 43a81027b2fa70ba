package detention_test

import (
	"slices"
	"testing"

	"github.com/tiaojie/tiaojie/domain/detention"
)

func TestScoringWithTheDefaultFactors(t *testing.T) {
	behaviour := func(kinds ...string) []detention.BehaviourRecord {
		var out []detention.BehaviourRecord
		for _, k := range kinds {
			out = append(out, detention.BehaviourRecord{Kind: k, On: t0})
		}
		return out
	}
	cases := []struct {
		name       string
		d          detention.Detainee
		behaviours []detention.BehaviourRecord
		score      int
		label      detention.RiskLabel
		reasons    []string
	}{
		{"a first offence with nothing else is blue", detention.Detainee{CaseCause: "噪音扰民"}, nil, 0, detention.RiskBlue, nil},
		{"prior records written as 无 do not count", detention.Detainee{PriorRecords: "无。"}, nil, 0, detention.RiskBlue, nil},
		{"prior records alone stay blue", detention.Detainee{PriorRecords: "2019年盗窃行政拘留"}, nil, 2, detention.RiskBlue, []string{"prior_records"}},
		{"violence in the case cause makes yellow", detention.Detainee{CaseCause: "殴打他人"}, nil, 3, detention.RiskYellow, []string{"violence"}},
		{"violence in the dispute background counts too, with the open dispute", detention.Detainee{DisputeBackground: "与邻居因宅基地纠纷多次打架"}, nil,
			5, detention.RiskYellow, []string{"violence", "unresolved_dispute"}},
		{"a settled dispute no longer counts", detention.Detainee{DisputeBackground: "欠款纠纷", DisputeResolved: true}, nil, 0, detention.RiskBlue, nil},
		{"prior records and an open dispute make yellow", detention.Detainee{PriorRecords: "有", DisputeBackground: "欠款纠纷"}, nil,
			4, detention.RiskYellow, []string{"prior_records", "unresolved_dispute"}},
		{"violence and a mental-health flag make red", detention.Detainee{CaseCause: "持刀威胁", HealthNotes: "有抑郁症病史"}, nil,
			6, detention.RiskRed, []string{"violence", "mental_health"}},
		{"a health note without a mental-health word does not count", detention.Detainee{HealthNotes: "高血压"}, nil, 0, detention.RiskBlue, nil},
		{"good behaviour does not count", detention.Detainee{}, behaviour(detention.BehaviourGood, detention.BehaviourOther), 0, detention.RiskBlue, nil},
		{"two negative behaviour records make yellow", detention.Detainee{}, behaviour(detention.BehaviourViolation, detention.BehaviourGood, detention.BehaviourConflict),
			4, detention.RiskYellow, []string{"negative_behaviour:2"}},
		{"violence and negative behaviour add up to red", detention.Detainee{CaseCause: "寻衅滋事"}, behaviour(detention.BehaviourThreat, detention.BehaviourRefusal),
			7, detention.RiskRed, []string{"violence", "negative_behaviour:2"}},
	}
	f := detention.DefaultRiskFactors()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := f.Score(&c.d, c.behaviours)
			if got.Score != c.score || got.Label != c.label || !slices.Equal(got.Reasons, c.reasons) {
				t.Fatalf("Score = %d %s %v, want %d %s %v", got.Score, got.Label, got.Reasons, c.score, c.label, c.reasons)
			}
		})
	}
}

func TestScoringFollowsTheConfiguration(t *testing.T) {
	f := detention.RiskFactors{PriorRecords: 5, Violence: 1, ViolenceWords: []string{"Knife"}, NegativeBehaviour: 1,
		NegativeKinds: []string{detention.BehaviourGood}, Yellow: 5, Red: 7}
	d := &detention.Detainee{CaseCause: "carried a KNIFE", PriorRecords: "theft"}
	got := f.Score(d, []detention.BehaviourRecord{{Kind: detention.BehaviourGood}})
	if got.Score != 7 || got.Label != detention.RiskRed {
		t.Fatalf("Score = %+v, want 7 red: words match without case, and the configured kinds count", got)
	}
	if got := f.Score(&detention.Detainee{PriorRecords: "theft"}, nil); got.Label != detention.RiskYellow {
		t.Fatalf("a score at the yellow threshold is %s, want yellow", got.Label)
	}
}

func TestRiskFactorsValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*detention.RiskFactors)
		ok     bool
	}{
		{"the defaults are valid", func(*detention.RiskFactors) {}, true},
		{"red at or below yellow is refused", func(f *detention.RiskFactors) { f.Red = f.Yellow }, false},
		{"a zero yellow threshold is refused", func(f *detention.RiskFactors) { f.Yellow = 0 }, false},
		{"negative points are refused", func(f *detention.RiskFactors) { f.Violence = -1 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := detention.DefaultRiskFactors()
			c.change(&f)
			if err := f.Validate(); (err == nil) != c.ok {
				t.Fatalf("Validate = %v, want ok %v", err, c.ok)
			}
		})
	}
}

func TestRelabel(t *testing.T) {
	const b, y, r = detention.RiskBlue, detention.RiskYellow, detention.RiskRed
	cases := []struct {
		name       string
		current    detention.RiskLabel
		overridden bool
		computed   detention.RiskLabel
		want       detention.RiskLabel
		stillOver  bool
	}{
		{"without an override the computed label applies, up", b, false, r, r, false},
		{"without an override the computed label applies, down", r, false, b, b, false},
		{"an override holds against a lower computed label", y, true, b, y, true},
		{"an override holds against the same computed label", y, true, y, y, true},
		{"a higher computed label ends the override", y, true, r, r, false},
		{"an override down to blue gives way to a computed yellow", b, true, y, y, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, over := detention.Relabel(c.current, c.overridden, c.computed)
			if got != c.want || over != c.stillOver {
				t.Fatalf("Relabel(%s, %v, %s) = %s, %v; want %s, %v", c.current, c.overridden, c.computed, got, over, c.want, c.stillOver)
			}
		})
	}
}

func TestNeedsAttention(t *testing.T) {
	cases := []struct {
		from, to detention.RiskLabel
		want     bool
	}{
		{"", detention.RiskBlue, false},
		{"", detention.RiskYellow, true},
		{"", detention.RiskRed, true},
		{detention.RiskBlue, detention.RiskYellow, true},
		{detention.RiskYellow, detention.RiskRed, true},
		{detention.RiskRed, detention.RiskYellow, false},
		{detention.RiskYellow, detention.RiskBlue, false},
		{detention.RiskYellow, detention.RiskYellow, false},
	}
	for _, c := range cases {
		if got := detention.NeedsAttention(c.from, c.to); got != c.want {
			t.Errorf("NeedsAttention(%q → %q) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// Behaviour records re-evaluate the label; every change is in the history
// and the audit log, and a rise to yellow or red asks for attention.
func TestLabelChangesOverADetention(t *testing.T) {
	s, f := newCustody(t)
	d := must(s.Intake(ctx, staff, intake(func(n *detention.NewIntake) { n.CaseCause = "殴打他人" })))
	if d.Label != detention.RiskYellow || d.Score != 3 {
		t.Fatalf("intake with violence: %s %d, want yellow 3", d.Label, d.Score)
	}
	steps := []struct {
		name  string
		do    func() (*detention.Detainee, error)
		label detention.RiskLabel
		over  bool
	}{
		{"good behaviour changes nothing", func() (*detention.Detainee, error) {
			return s.RecordBehaviour(ctx, staff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourGood, Note: "主动认错"})
		}, detention.RiskYellow, false},
		{"staff lower the label with a reason", func() (*detention.Detainee, error) {
			return s.OverrideLabel(ctx, staff, d.ID, detention.RiskBlue, "谈话后情绪稳定，已与对方和解意向明确")
		}, detention.RiskBlue, true},
		{"one negative record (score 5, yellow) ends the blue override", func() (*detention.Detainee, error) {
			return s.RecordBehaviour(ctx, staff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourConflict, Note: "与同室人员争吵"})
		}, detention.RiskYellow, false},
		{"a second negative record makes red", func() (*detention.Detainee, error) {
			return s.RecordBehaviour(ctx, staff, d.ID, detention.NewBehaviour{On: t0, Kind: detention.BehaviourThreat, Note: "扬言出所后报复"})
		}, detention.RiskRed, false},
		{"staff pin red (no change of label, still audited)", func() (*detention.Detainee, error) {
			return s.OverrideLabel(ctx, staff, d.ID, detention.RiskRed, "持续观察")
		}, detention.RiskRed, true},
	}
	for _, st := range steps {
		got, err := st.do()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got.Label != st.label || got.LabelOverridden != st.over {
			t.Fatalf("%s: label %s overridden %v, want %s %v", st.name, got.Label, got.LabelOverridden, st.label, st.over)
		}
	}
	var history []string
	for _, c := range f.w.labels {
		history = append(history, string(c.From)+"→"+string(c.To)+" "+string(c.Source))
	}
	want := []string{"→yellow intake", "yellow→blue override", "blue→yellow behaviour", "yellow→red behaviour"}
	if !slices.Equal(history, want) {
		t.Fatalf("label history %v, want %v", history, want)
	}
	var attention []int
	for _, o := range f.w.orders {
		if o.Kind == detention.OrderAttention && o.UnitID == centre && o.ResourceID == d.ID {
			attention = append(attention, o.Priority)
		}
	}
	if !slices.Equal(attention, []int{2, 2, 1}) {
		t.Fatalf("attention orders with priorities %v, want yellow intake, back to yellow, red (2, 2, 1)", attention)
	}
	labelAudits := 0
	for _, e := range f.w.audit {
		if e.Action == "detainee.label" || e.Action == "detainee.label_pin" {
			labelAudits++
		}
	}
	if labelAudits != 5 {
		t.Fatalf("%d label lines in the audit log, want 5 (four changes and the pin): %v", labelAudits, actions(f.w.audit))
	}
	if _, err := s.OverrideLabel(ctx, staff, d.ID, detention.RiskRed, " "); err == nil {
		t.Fatal("an override without a reason was accepted")
	}
}
