package warning

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Kind is what a rule counts.
type Kind string

const (
	KindSamePerson       Kind = "same_person"        // one person files ≥ N requests in D days
	KindCategoryPlace    Kind = "category_place"     // one category in one community ≥ N in D days
	KindRiskScore        Kind = "risk_score"         // a risk assessment ≥ T
	KindDVHousehold      Kind = "dv_household"       // a household with a domestic-violence flag files ≥ N in D days
	KindLoanConsultation Kind = "loan_consultations" // ≥ N loan-related consultations at one station in D days
	// KindContactMissed fires when a person of the special population
	// register (特殊人群) misses their contact plan; the register decides
	// the fact itself (Service.Raise), nothing is counted.
	KindContactMissed Kind = "contact_missed"
)

// Severity is how urgent a warning is.
type Severity string

const (
	SeverityYellow Severity = "yellow"
	SeverityRed    Severity = "red"
)

// Rule is one configurable warning rule.
type Rule struct {
	ID        int64
	Kind      Kind
	Name      string
	Threshold int           // N events, or the risk score T for KindRiskScore
	Window    time.Duration // D days; unused for KindRiskScore
	Severity  Severity
	Cooldown  time.Duration // after firing for a subject, stay quiet this long
	Notify    []int64       // extra units to notify besides the station
	Enabled   bool
	Version   int
	UpdatedAt time.Time
}

// Counts reports whether the rule keeps a sliding window (all but risk).
func (r Rule) Counts() bool {
	return r.Kind != KindRiskScore && r.Kind != KindContactMissed && r.Kind != KindPairingOverdue
}

// Limits that keep rules sane.
const (
	MaxWindow   = 366 * 24 * time.Hour
	MaxCooldown = 90 * 24 * time.Hour
)

// Validate checks a rule an admin wrote.
func (r *Rule) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	var p domain.Problems
	switch r.Kind {
	case KindSamePerson, KindCategoryPlace, KindDVHousehold, KindLoanConsultation:
		if r.Threshold < 1 || r.Threshold > 1000 {
			p.Add("threshold", domain.FieldOutOfRange, "must be 1 to 1000")
		}
		if r.Window < 24*time.Hour || r.Window > MaxWindow {
			p.Add("window_days", domain.FieldOutOfRange, "must be 1 to 366 days")
		}
	case KindContactMissed:
		r.Threshold, r.Window = 1, 0
	case KindRiskScore:
		if r.Threshold < 0 || r.Threshold > 100 {
			p.Add("threshold", domain.FieldOutOfRange, "a risk score threshold is 0 to 100")
		}
	case KindPairingOverdue: // raised as a fact: neither threshold nor window
	case "":
		p.Add("kind", domain.FieldRequired, "is required")
	default:
		p.Add("kind", domain.FieldUnsupported, "is not a rule kind")
	}
	if r.Name == "" {
		p.Add("name", domain.FieldRequired, "is required")
	} else if utf8.RuneCountInString(r.Name) > 100 {
		p.Add("name", domain.FieldTooLong, "is too long")
	}
	if r.Severity != SeverityYellow && r.Severity != SeverityRed {
		p.Add("severity", domain.FieldUnsupported, "must be yellow or red")
	}
	if r.Cooldown < 0 || r.Cooldown > MaxCooldown {
		p.Add("cooldown_hours", domain.FieldOutOfRange, "must be 0 to 90 days")
	}
	if len(r.Notify) > 20 {
		p.Add("notify_units", domain.FieldOutOfRange, "at most 20 units")
	}
	return p.Err()
}

const day = 24 * time.Hour

// DefaultRules are seeded on a new installation (and in demo mode).
var DefaultRules = []Rule{
	{Kind: KindSamePerson, Name: "同一人30日内多次申请", Threshold: 3, Window: 30 * day, Severity: SeverityYellow, Cooldown: 7 * day, Enabled: true},
	{Kind: KindCategoryPlace, Name: "同一社区7日内同类纠纷多发", Threshold: 3, Window: 7 * day, Severity: SeverityYellow, Cooldown: 3 * day, Enabled: true},
	{Kind: KindRiskScore, Name: "律师风险评估超过阈值", Threshold: 80, Severity: SeverityRed, Enabled: true},
	{Kind: KindDVHousehold, Name: "家暴家庭60日内重复求助", Threshold: 2, Window: 60 * day, Severity: SeverityRed, Cooldown: 7 * day, Enabled: true},
	{Kind: KindLoanConsultation, Name: "同一派出所30日内贷款类咨询集中", Threshold: 5, Window: 30 * day, Severity: SeverityYellow, Cooldown: 7 * day, Enabled: true},
	{Kind: KindContactMissed, Name: "特殊人群未按计划走访", Threshold: 1, Severity: SeverityYellow, Enabled: true},
	{Kind: KindPairingOverdue, Name: "包联干部未按期走访派出所", Severity: SeverityYellow, Enabled: true},
}
