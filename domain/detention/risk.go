package detention

import (
	"strconv"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// RiskFactors are the configurable rules of the risk label (人员画像): points
// for each factor present, and the scores at which a detainee becomes a
// 关注对象 (yellow) or a 危险对象 (red).
type RiskFactors struct {
	PriorRecords      int      // points when prior records (前科) are present
	Violence          int      // points when the case cause or dispute background speaks of violence
	ViolenceWords     []string // what "speaks of violence" means
	MentalHealth      int      // points when the health notes flag a mental-health condition
	MentalHealthWords []string
	UnresolvedDispute int      // points while the dispute behind the detention is open
	NegativeBehaviour int      // points for each behaviour record of a negative kind
	NegativeKinds     []string // which behaviour kinds are negative
	Yellow            int      // a score at or above this is yellow
	Red               int      // a score at or above this is red
}

// DefaultRiskFactors are the factors a deployment starts with: one serious
// factor (violence, a mental-health flag) makes a detainee yellow, two make
// them red; prior records or an open dispute alone do not.
func DefaultRiskFactors() RiskFactors {
	return RiskFactors{
		PriorRecords:      2,
		Violence:          3,
		ViolenceWords:     []string{"殴打", "伤害", "打架", "斗殴", "持刀", "凶器", "暴力", "报复", "威胁", "寻衅滋事", "杀"},
		MentalHealth:      3,
		MentalHealthWords: []string{"精神病", "精神障碍", "精神分裂", "抑郁", "躁狂", "双相", "自杀", "自残", "轻生"},
		UnresolvedDispute: 2,
		NegativeBehaviour: 2,
		NegativeKinds:     []string{BehaviourViolation, BehaviourConflict, BehaviourRefusal, BehaviourSelfHarm, BehaviourThreat},
		Yellow:            3,
		Red:               6,
	}
}

// Validate checks a configuration once at start.
func (f RiskFactors) Validate() error {
	var p domain.Problems
	if f.Yellow <= 0 {
		p.Add("yellow", domain.FieldOutOfRange, "must be above zero")
	}
	if f.Red <= f.Yellow {
		p.Add("red", domain.FieldOutOfRange, "must be above the yellow threshold")
	}
	for _, pts := range []int{f.PriorRecords, f.Violence, f.MentalHealth, f.UnresolvedDispute, f.NegativeBehaviour} {
		if pts < 0 {
			p.Add("points", domain.FieldOutOfRange, "must not be negative")
			break
		}
	}
	return p.Err()
}

// RiskScore is what the factors make of a detainee: the score, its label
// and the factors that counted, as stable codes ("violence",
// "negative_behaviour:2").
type RiskScore struct {
	Score   int
	Label   RiskLabel
	Reasons []string
}

// Score rates a detainee with their behaviour records.
func (f RiskFactors) Score(d *Detainee, behaviours []BehaviourRecord) RiskScore {
	var r RiskScore
	add := func(points int, reason string) {
		if points > 0 {
			r.Score += points
			r.Reasons = append(r.Reasons, reason)
		}
	}
	if !blankish(d.PriorRecords) {
		add(f.PriorRecords, "prior_records")
	}
	if mentions(d.CaseCause+"\n"+d.DisputeBackground, f.ViolenceWords) {
		add(f.Violence, "violence")
	}
	if mentions(d.HealthNotes, f.MentalHealthWords) {
		add(f.MentalHealth, "mental_health")
	}
	if !blankish(d.DisputeBackground) && !d.DisputeResolved {
		add(f.UnresolvedDispute, "unresolved_dispute")
	}
	negative := 0
	for _, b := range behaviours {
		for _, k := range f.NegativeKinds {
			if b.Kind == k {
				negative++
				break
			}
		}
	}
	if negative > 0 {
		add(f.NegativeBehaviour*negative, "negative_behaviour:"+strconv.Itoa(negative))
	}
	r.Label = f.labelOf(r.Score)
	return r
}

func (f RiskFactors) labelOf(score int) RiskLabel {
	switch {
	case score >= f.Red:
		return RiskRed
	case score >= f.Yellow:
		return RiskYellow
	}
	return RiskBlue
}

// Severity orders labels: blue 0, yellow 1, red 2 (-1 for anything else).
func (l RiskLabel) Severity() int {
	switch l {
	case RiskBlue:
		return 0
	case RiskYellow:
		return 1
	case RiskRed:
		return 2
	}
	return -1
}

// Valid reports whether l is one of the three labels.
func (l RiskLabel) Valid() bool { return l.Severity() >= 0 }

// Relabel is the label a detainee carries after their score is computed
// anew: the computed label, unless staff set one by hand and the computed
// one is not more severe — a manual label holds until the facts show a
// higher risk, which then takes over (and ends the override).
func Relabel(current RiskLabel, overridden bool, computed RiskLabel) (label RiskLabel, stillOverridden bool) {
	if overridden && computed.Severity() <= current.Severity() {
		return current, true
	}
	return computed, false
}

// blankish is empty text or a way of writing "none" (无, 没有, 暂无 …).
func blankish(s string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(s), "。.")) {
	case "", "无", "没有", "暂无", "否", "none", "no", "n/a", "-", "/":
		return true
	}
	return false
}

func mentions(text string, words []string) bool {
	text = strings.ToLower(text)
	for _, w := range words {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" && strings.Contains(text, w) {
			return true
		}
	}
	return false
}
