package assessment

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseConfig reads "cases_target=10,cases=25,success=25,satisfaction=15,
// attendance=15,consultation=10,education=5,police_assist=5,
// consultation_target=20,education_target=2,police_assist_target=5,
// excellent=85,pass=60,fails_for_review=3" over base; the seven weights
// must add up to 100. A spec from before the other three duties counted —
// naming none of their weights, its four weights adding up to 100 — stays
// valid and weighs them 0.
func ParseConfig(spec string, base Config) (Config, error) {
	c := base
	namesDuty := false
	err := eachPair(spec, func(k string, v float64) error {
		switch k {
		case "consultation":
			c.WeightConsultation, namesDuty = v, true
		case "education":
			c.WeightEducation, namesDuty = v, true
		case "police_assist":
			c.WeightPoliceAssist, namesDuty = v, true
		case "consultation_target":
			c.ConsultationTarget = int(v)
		case "education_target":
			c.EducationTarget = int(v)
		case "police_assist_target":
			c.PoliceAssistTarget = int(v)
		case "cases_target":
			c.CasesTarget = int(v)
		case "cases":
			c.WeightCases = v
		case "success":
			c.WeightSuccess = v
		case "satisfaction":
			c.WeightSatisfaction = v
		case "attendance":
			c.WeightAttendance = v
		case "excellent":
			c.ExcellentFrom = v
		case "pass":
			c.PassFrom = v
		case "fails_for_review":
			c.FailsForReview = int(v)
		default:
			return fmt.Errorf("unknown indicator %q", k)
		}
		return nil
	})
	if err == nil && c.weights() != 100 && !namesDuty && c.WeightCases+c.WeightSuccess+c.WeightSatisfaction+c.WeightAttendance == 100 {
		c.WeightConsultation, c.WeightEducation, c.WeightPoliceAssist = 0, 0, 0
	}
	if err == nil && c.weights() != 100 {
		err = fmt.Errorf("the weights of cases, success, satisfaction, attendance, consultation, education and police_assist add up to %v, not 100",
			c.weights())
	}
	if err == nil && !(c.PassFrom < c.ExcellentFrom) {
		err = fmt.Errorf("pass (%v) must be below excellent (%v)", c.PassFrom, c.ExcellentFrom)
	}
	return c, err
}

// ParseMoney reads "tier1=200,tier2=350,tier3=500,tier4=750,tier5=1000,
// public_security_tier=1,civil_tier=3,minor_criminal_civil_tier=5,
// fee_high=30000,fee_mid=25000,fee_low=20000,high_from=80,mid_from=60" over
// base (yuan). The three tiers from before five stay valid: simple is
// tier1, normal tier3 and complex tier5, the classifications' defaults.
func ParseMoney(spec string, base Money) (Money, error) {
	m := base
	m.TierOfClass = map[string]int{}
	for k, v := range base.TierOfClass {
		m.TierOfClass[k] = v
	}
	alias := map[string]string{"simple": "tier1", "normal": "tier3", "complex": "tier5"}
	err := eachPair(spec, func(k string, v float64) error {
		if a, ok := alias[k]; ok {
			k = a
		}
		if t, ok := strings.CutPrefix(k, "tier"); ok {
			n, err := strconv.Atoi(t)
			if err != nil || n < 1 || n > Tiers {
				return fmt.Errorf("unknown tier %q: tier1 to tier%d", k, Tiers)
			}
			m.Subsidy[n] = int(v)
			return nil
		}
		if class, ok := strings.CutSuffix(k, "_tier"); ok {
			switch class {
			case "public_security", "civil", "minor_criminal_civil":
			default:
				return fmt.Errorf("unknown classification %q", class)
			}
			if v < 1 || v > Tiers || v != float64(int(v)) {
				return fmt.Errorf("%s: a tier from 1 to %d", k, Tiers)
			}
			m.TierOfClass[class] = int(v)
			return nil
		}
		switch k {
		case "fee_high":
			m.FeeHigh = int(v)
		case "fee_mid":
			m.FeeMid = int(v)
		case "fee_low":
			m.FeeLow = int(v)
		case "high_from":
			m.HighFrom = v
		case "mid_from":
			m.MidFrom = v
		default:
			return fmt.Errorf("unknown amount %q", k)
		}
		return nil
	})
	if err == nil && !(m.MidFrom < m.HighFrom) {
		err = fmt.Errorf("mid_from (%v) must be below high_from (%v)", m.MidFrom, m.HighFrom)
	}
	return m, err
}

func eachPair(spec string, fn func(string, float64) error) error {
	for _, part := range strings.Split(spec, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil || n < 0 {
			return fmt.Errorf("%q: want name=number", part)
		}
		if err := fn(strings.TrimSpace(k), n); err != nil {
			return err
		}
	}
	return nil
}
