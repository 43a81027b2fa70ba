package assessment

import "testing"

func TestScoreAndGrade(t *testing.T) {
	c := DefaultConfig
	cases := []struct {
		name  string
		in    Indicators
		score float64
		grade Grade
	}{
		{"perfect", Indicators{CasesHandled: 12, SuccessRate: 1, Satisfaction: 5, AttendanceRate: 1}, 100, Excellent},
		{"at the excellent line", Indicators{CasesHandled: 10, SuccessRate: 0.5, Satisfaction: 5, AttendanceRate: 1}, 85, Excellent},
		{"middling", Indicators{CasesHandled: 5, SuccessRate: 0.6, Satisfaction: 4, AttendanceRate: 0.9}, 67, Pass},
		{"idle and absent", Indicators{CasesHandled: 1, SuccessRate: 0, Satisfaction: 0, AttendanceRate: 0.5}, 13, Fail},
		{"just under pass", Indicators{CasesHandled: 10, SuccessRate: 0, Satisfaction: 2.5, AttendanceRate: 0.95}, 59, Fail},
	}
	for _, k := range cases {
		s := c.Score(k.in)
		if s != k.score || c.GradeOf(s) != k.grade {
			t.Errorf("%s: score %v grade %s, want %v %s", k.name, s, c.GradeOf(s), k.score, k.grade)
		}
	}
}

func TestVolumeTiers(t *testing.T) {
	m := DefaultMoney
	for _, c := range []struct {
		perDay float64
		tier   string
	}{{120, "high"}, {80, "high"}, {79.9, "mid"}, {60, "mid"}, {59.9, "low"}, {0, "low"}} {
		if tier, _ := m.TierOfVolume(c.perDay); tier != c.tier {
			t.Errorf("%v a day: %s, want %s", c.perDay, tier, c.tier)
		}
	}
}

func TestEffectiveGrade(t *testing.T) {
	f := FirmAssessment{Computed: Fail}
	if f.Effective() != Fail {
		t.Fatal("computed")
	}
	f.Override = Pass
	if f.Effective() != Pass {
		t.Fatal("override wins")
	}
}

func TestParseConfigAndMoney(t *testing.T) {
	c, err := ParseConfig("cases=40,success=20", DefaultConfig)
	if err != nil || c.WeightCases != 40 || c.WeightSuccess != 20 {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{"cases=50", "speed=10", "cases", "excellent=50", "cases=-1,success=61"} {
		if _, err := ParseConfig(bad, DefaultConfig); err == nil {
			t.Errorf("config %q accepted", bad)
		}
	}
	m, err := ParseMoney("complex=1500,fee_low=18000", DefaultMoney)
	if err != nil || m.SubsidyByTier["complex"] != 1500 || m.SubsidyByTier["simple"] != 200 || m.FeeLow != 18000 || DefaultMoney.SubsidyByTier["complex"] != 1000 {
		t.Fatalf("%+v %v", m, err)
	}
	if _, err := ParseMoney("mid_from=90", DefaultMoney); err == nil {
		t.Error("mid above high accepted")
	}
}
