package detention

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// JointMediation is 联调联处: the centre pushes a detainee's dispute to
// partner units (法院执行局, 司法局, 妇联, 律所 …), they consult in a thread,
// the centre records the joint decision, and an agreement may be grounds
// for ending judicial detention early or shortening administrative
// detention.
type JointMediation struct {
	ID           int64
	CentreID     int64
	DetaineeID   int64
	RequestID    int64 // the mediation request it came from, if any
	BusinessLine string
	Summary      string
	Partners     []int64 // the invited units
	State        JointState
	CreatedBy    int64
	Decision     *JointDecision
	EarlyRelease *EarlyRelease
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
}

// JointState is where a joint mediation stands.
type JointState string

const (
	JointConsulting JointState = "consulting" // 情况会商: the units discuss
	JointAgreed     JointState = "agreed"     // the joint mediation succeeded
	JointFailed     JointState = "failed"
)

// JointAction is what is done to a joint mediation.
type JointAction string

const (
	JointPost         JointAction = "message"
	JointDecide       JointAction = "decide"
	JointEarlyRelease JointAction = "early_release"
)

// Outcomes of a joint decision.
const (
	OutcomeAgreed = "agreed"
	OutcomeFailed = "failed"
)

// NextJoint is the state machine: the units consult until the decision,
// which ends the thread; only an agreement may then be marked as grounds
// for an early release.
func NextJoint(from JointState, action JointAction, outcome string) (JointState, error) {
	switch {
	case from == JointConsulting && action == JointPost:
		return from, nil
	case from == JointConsulting && action == JointDecide && outcome == OutcomeAgreed:
		return JointAgreed, nil
	case from == JointConsulting && action == JointDecide && outcome == OutcomeFailed:
		return JointFailed, nil
	case from == JointAgreed && action == JointEarlyRelease:
		return from, nil
	}
	msg := "The joint mediation has been decided."
	if action == JointEarlyRelease {
		msg = "Only an agreed joint mediation can be grounds for an early release."
	}
	return from, domain.Errorf(domain.KindFailedPrecondition, "joint_mediation.illegal_transition", "%s", msg)
}

// JointDecision is the decision of the joint mediation session.
type JointDecision struct {
	At           time.Time // when the session took place
	Place        string
	Participants []string
	Outcome      string // OutcomeAgreed or OutcomeFailed
	Notes        string
	RecordedBy   int64
}

// Kinds of early release an agreement may ground.
const (
	EndJudicialDetention       = "end_judicial"           // 停止执行司法拘留
	ShortenAdministrativeDays  = "shorten_administrative" // 减少行政拘留期限
	maxShortenAdministrativeBy = 15
)

// EarlyRelease records that an agreement is grounds for ending detention
// early, and which supervisor approved it.
type EarlyRelease struct {
	Kind       string
	Days       int // days shortened (shorten_administrative)
	Note       string
	ApprovedBy int64
	ApprovedAt time.Time
}

// JointMessage is one message of the consultation thread (情况会商).
type JointMessage struct {
	ID            int64
	MediationID   int64
	AuthorID      int64
	AuthorOrgID   int64
	Body          string
	AttachmentIDs []int64 // attachments of the mediation's request
	CreatedAt     time.Time
}

// BusinessLine is one of the kinds of dispute joint mediation covers.
type BusinessLine struct {
	Code string
	Name string
}

// DefaultBusinessLines are the 12 business lines. The seed names five (法院执行
// 和解, 吸毒人员帮教, 治安纠纷调解, 信访矛盾化解, 归正人员安置); the other
// seven follow the partners and means it lists (妇联, 关工委, 乡镇街道,
// 心理咨询机构, 律师释法 …). Deployments configure their own list.
func DefaultBusinessLines() []BusinessLine {
	return []BusinessLine{
		{"court_enforcement", "法院执行和解"},
		{"drug_rehabilitation", "吸毒人员帮教"},
		{"public_order_dispute", "治安纠纷调解"},
		{"petition", "信访矛盾化解"},
		{"resettlement", "归正人员安置"},
		{"family_dispute", "婚姻家庭纠纷调解"},
		{"juvenile_support", "未成年人帮教"},
		{"neighbourhood_dispute", "邻里纠纷调解"},
		{"labour_dispute", "劳资纠纷调解"},
		{"compensation", "损害赔偿协商"},
		{"legal_explanation", "律师释法说理"},
		{"psychological_counselling", "心理疏导"},
	}
}

// BusinessLines are the configured lines.
func (s *Custody) BusinessLines() []BusinessLine {
	if len(s.Lines) > 0 {
		return s.Lines
	}
	return DefaultBusinessLines()
}

func (s *Custody) businessLine(code string) (BusinessLine, bool) {
	for _, l := range s.BusinessLines() {
		if l.Code == code {
			return l, true
		}
	}
	return BusinessLine{}, false
}
