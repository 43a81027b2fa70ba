package assessment

import (
	"strconv"
	"strings"
	"testing"
)

func TestScoreAndGrade(t *testing.T) {
	c := DefaultConfig
	busy := Indicators{Consultations: 20, EducationSessions: 2, PoliceAssists: 5} // the other three duties at their targets
	with := func(in Indicators, duties Indicators) Indicators {
		in.Consultations, in.EducationSessions, in.PoliceAssists = duties.Consultations, duties.EducationSessions, duties.PoliceAssists
		return in
	}
	cases := []struct {
		name  string
		in    Indicators
		score float64
		grade Grade
	}{
		{"perfect in all four duties", with(Indicators{CasesHandled: 12, SuccessRate: 1, Satisfaction: 5, AttendanceRate: 1}, busy), 100, Excellent},
		{"perfect cases but no other duty recorded", Indicators{CasesHandled: 12, SuccessRate: 1, Satisfaction: 5, AttendanceRate: 1}, 80, Pass},
		{"half the consultations earn half their weight", with(Indicators{CasesHandled: 10, SuccessRate: 1, Satisfaction: 5, AttendanceRate: 1},
			Indicators{Consultations: 10, EducationSessions: 2, PoliceAssists: 5}), 95, Excellent},
		{"at the excellent line", with(Indicators{CasesHandled: 10, SuccessRate: 0.4, Satisfaction: 5, AttendanceRate: 1}, busy), 85, Excellent},
		{"middling", with(Indicators{CasesHandled: 5, SuccessRate: 0.6, Satisfaction: 4, AttendanceRate: 0.9}, Indicators{Consultations: 10, EducationSessions: 1}), 60.5, Pass},
		{"idle and absent", Indicators{CasesHandled: 1, SuccessRate: 0, Satisfaction: 0, AttendanceRate: 0.5}, 10, Fail},
		{"police help beyond the target earns no more", with(Indicators{CasesHandled: 10, SuccessRate: 1, Satisfaction: 5, AttendanceRate: 1},
			Indicators{Consultations: 20, EducationSessions: 2, PoliceAssists: 50}), 100, Excellent},
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
	c, err := ParseConfig("cases=35,success=15", DefaultConfig)
	if err != nil || c.WeightCases != 35 || c.WeightSuccess != 15 || c.WeightConsultation != 10 {
		t.Fatalf("%+v %v", c, err)
	}
	// A configuration from before the other three duties counted stays valid
	// and weighs them 0.
	old, err := ParseConfig("cases_target=10,cases=30,success=30,satisfaction=20,attendance=20,excellent=85,pass=60,fails_for_review=3", DefaultConfig)
	if err != nil || old.WeightConsultation+old.WeightEducation+old.WeightPoliceAssist != 0 || old.WeightCases != 30 {
		t.Fatalf("the old configuration: %+v %v", old, err)
	}
	duties, err := ParseConfig("cases=20,success=20,satisfaction=10,attendance=10,consultation=20,education=10,police_assist=10,education_target=4", DefaultConfig)
	if err != nil || duties.WeightConsultation != 20 || duties.EducationTarget != 4 {
		t.Fatalf("the four duties weighed: %+v %v", duties, err)
	}
	for _, bad := range []string{"cases=50", "speed=10", "cases", "excellent=50", "cases=-1,success=61", "cases=30,success=30,satisfaction=20,attendance=20,consultation=5"} {
		if _, err := ParseConfig(bad, DefaultConfig); err == nil {
			t.Errorf("config %q accepted", bad)
		}
	}
	if _, err := ParseMoney("mid_from=90", DefaultMoney); err == nil {
		t.Error("mid above high accepted")
	}
}

// The subsidy tiers: five, each configurable; the three names from before
// five (simple, normal, complex) still set tiers 1, 3 and 5, so an old
// TIAOJIE_SUBSIDIES pays what it paid.
func TestParseMoneyTiers(t *testing.T) {
	tests := []struct {
		name    string
		spec    string
		subsidy [Tiers + 1]int
		classes map[string]int // tier by classification, when checked
		bad     bool
	}{
		{"the default", "", [Tiers + 1]int{0, 200, 350, 500, 750, 1000}, map[string]int{"public_security": 1, "civil": 3, "minor_criminal_civil": 5}, false},
		{"five tiers set one by one", "tier1=100,tier2=200,tier3=300,tier4=400,tier5=500", [Tiers + 1]int{0, 100, 200, 300, 400, 500}, nil, false},
		{"an old three-tier configuration sets tiers 1, 3 and 5", "simple=250,normal=600,complex=1200,fee_high=30000,fee_mid=25000,fee_low=20000,high_from=80,mid_from=60",
			[Tiers + 1]int{0, 250, 350, 600, 750, 1200}, nil, false},
		{"a classification's default tier moves", "civil_tier=2,minor_criminal_civil_tier=4", DefaultMoney.Subsidy, map[string]int{"civil": 2, "minor_criminal_civil": 4, "public_security": 1}, false},
		{"a sixth tier is refused", "tier6=100", [Tiers + 1]int{}, nil, true},
		{"tier zero is refused", "tier0=100", [Tiers + 1]int{}, nil, true},
		{"a classification's tier beyond five is refused", "civil_tier=6", [Tiers + 1]int{}, nil, true},
		{"an unknown classification is refused", "traffic_tier=2", [Tiers + 1]int{}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMoney(tt.spec, DefaultMoney)
			if tt.bad {
				if err == nil {
					t.Fatalf("%q accepted", tt.spec)
				}
				return
			}
			if err != nil || m.Subsidy != tt.subsidy {
				t.Fatalf("subsidies %v, %v; want %v", m.Subsidy, err, tt.subsidy)
			}
			for class, tier := range tt.classes {
				if m.TierOfClass[class] != tier {
					t.Errorf("%s defaults to tier %d, want %d", class, m.TierOfClass[class], tier)
				}
			}
		})
	}
	if DefaultMoney.TierOfClass["civil"] != 3 {
		t.Fatal("parsing changed the default's map")
	}
}

// The statement's rules: a case is paid by its supervisor's rating, else by
// its classification's tier; a firm serving several stations is paid each
// station's fee by that station's own daily volume.
func TestBill(t *testing.T) {
	m := DefaultMoney
	volume := map[int64]float64{11: 95, 12: 70, 13: 12.5}
	tests := []struct {
		name     string
		cases    map[Difficulty]int
		stations []int64
		byTier   map[string]int
		subsidy  int
		fees     []string // tier:fee per station, in station order
		fee      int
	}{
		{"no cases, one quiet station", nil, []int64{13}, map[string]int{}, 0, []string{"low:20000"}, 20000},
		{"unrated cases go by classification", map[Difficulty]int{{0, "public_security"}: 2, {0, "civil"}: 1, {0, "minor_criminal_civil"}: 1},
			[]int64{12}, map[string]int{"1": 2, "3": 1, "5": 1}, 2*200 + 500 + 1000, []string{"mid:25000"}, 25000},
		{"a supervisor's rating beats the classification", map[Difficulty]int{{2, "civil"}: 1, {4, "public_security"}: 3, {5, "civil"}: 1},
			[]int64{11}, map[string]int{"2": 1, "4": 3, "5": 1}, 350 + 3*750 + 1000, []string{"high:30000"}, 30000},
		{"an unknown classification is paid as civil", map[Difficulty]int{{0, ""}: 2}, nil, map[string]int{"3": 2}, 1000, nil, 0},
		{"three stations, three tiers, three fees", map[Difficulty]int{{1, "civil"}: 1}, []int64{13, 11, 12}, map[string]int{"1": 1}, 200,
			[]string{"high:30000", "mid:25000", "low:20000"}, 75000},
		{"the volume lines are inclusive at 80 and 60", nil, []int64{21, 22, 23}, map[string]int{}, 0, []string{"high:30000", "mid:25000", "low:20000"}, 75000},
	}
	volume[21], volume[22], volume[23] = 80, 60, 59.99
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm := m.Bill(7, tt.cases, tt.stations, volume)
			for tier := 1; tier <= Tiers; tier++ {
				k := strconv.Itoa(tier)
				if fm.CasesByTier[k] != tt.byTier[k] {
					t.Errorf("tier %s: %d cases, want %d", k, fm.CasesByTier[k], tt.byTier[k])
				}
			}
			var fees []string
			for _, s := range fm.Stations {
				fees = append(fees, s.FeeTier+":"+strconv.Itoa(s.Fee))
			}
			if fm.Subsidy != tt.subsidy || fm.Fee != tt.fee || fm.Total != tt.subsidy+tt.fee || strings.Join(fees, ",") != strings.Join(tt.fees, ",") {
				t.Fatalf("subsidy %d fee %d total %d stations %v; want %d, %d, %v", fm.Subsidy, fm.Fee, fm.Total, fees, tt.subsidy, tt.fee, tt.fees)
			}
		})
	}
}
