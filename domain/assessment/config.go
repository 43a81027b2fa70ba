package assessment

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseConfig reads "cases_target=10,cases=30,success=30,satisfaction=20,
// attendance=20,excellent=85,pass=60,fails_for_review=3" over base; the four
// weights must add up to 100.
func ParseConfig(spec string, base Config) (Config, error) {
	c := base
	err := eachPair(spec, func(k string, v float64) error {
		switch k {
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
	if err == nil && c.WeightCases+c.WeightSuccess+c.WeightSatisfaction+c.WeightAttendance != 100 {
		err = fmt.Errorf("the weights of cases, success, satisfaction and attendance add up to %v, not 100",
			c.WeightCases+c.WeightSuccess+c.WeightSatisfaction+c.WeightAttendance)
	}
	if err == nil && !(c.PassFrom < c.ExcellentFrom) {
		err = fmt.Errorf("pass (%v) must be below excellent (%v)", c.PassFrom, c.ExcellentFrom)
	}
	return c, err
}

// ParseMoney reads "simple=200,normal=500,complex=1000,fee_high=30000,
// fee_mid=25000,fee_low=20000,high_from=80,mid_from=60" over base (yuan).
func ParseMoney(spec string, base Money) (Money, error) {
	m := base
	m.SubsidyByTier = map[string]int{}
	for k, v := range base.SubsidyByTier {
		m.SubsidyByTier[k] = v
	}
	err := eachPair(spec, func(k string, v float64) error {
		switch k {
		case "simple", "normal", "complex":
			m.SubsidyByTier[k] = int(v)
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
