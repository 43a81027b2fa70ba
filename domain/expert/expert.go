// Package expert is the expert pool (专业人才库) of the police–justice fusion
// programme: retired judges, prosecutors and police officers, lawyers and
// other people with a legal background, with their specialties. Staff
// invite one to a difficult case or a joint mediation; the expert gets a
// work order, accepts or declines, and gives their opinion.
package expert

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Kind is an expert's background.
type Kind string

const (
	RetiredJudge      Kind = "retired_judge"      // 退休法官
	RetiredProsecutor Kind = "retired_prosecutor" // 退休检察官
	RetiredPolice     Kind = "retired_police"     // 退休警察
	Lawyer            Kind = "lawyer"             // 律师
	JusticeOfficer    Kind = "justice_officer"    // 司法行政干警
	Other             Kind = "other"              // 其他行家里手
)

// Kinds lists the kinds.
var Kinds = []Kind{RetiredJudge, RetiredProsecutor, RetiredPolice, Lawyer, JusticeOfficer, Other}

// Expert is one member of the pool. They work through a staff account
// (UserID), whose organisation's queue holds their orders.
type Expert struct {
	ID          int64
	UserID      int64
	UnitID      int64
	Name        string
	Kind        Kind
	Specialties []string
	Bio         string
	Active      bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// State is where an invitation stands.
type State string

const (
	Invited   State = "invited"
	Accepted  State = "accepted"
	Declined  State = "declined"
	Concluded State = "concluded" // the expert gave their opinion
	Withdrawn State = "withdrawn"
)

// Action is what is done to an invitation.
type Action string

const (
	ActAccept   Action = "accept"
	ActDecline  Action = "decline"
	ActConclude Action = "conclude"
	ActWithdraw Action = "withdraw"
)

// States and Actions list every state and action, for the table test.
var (
	States  = []State{Invited, Accepted, Declined, Concluded, Withdrawn}
	Actions = []Action{ActAccept, ActDecline, ActConclude, ActWithdraw}
)

// Next is the invitation's state machine.
func Next(from State, a Action) (State, error) {
	switch {
	case from == Invited && a == ActAccept:
		return Accepted, nil
	case from == Invited && a == ActDecline:
		return Declined, nil
	case from == Accepted && a == ActConclude:
		return Concluded, nil
	case (from == Invited || from == Accepted) && a == ActWithdraw:
		return Withdrawn, nil
	}
	return from, domain.Errorf(domain.KindFailedPrecondition, "expert.illegal_transition", "An invitation that is %s cannot take the action %s.", from, a)
}

// Purpose is what the expert is invited to.
type Purpose string

const (
	DifficultCase  Purpose = "difficult_case"  // 疑难案件
	JointMediation Purpose = "joint_mediation" // 联合调解
)

// Invitation asks an expert to help with a case: a mediation request or a
// police incident.
type Invitation struct {
	ID           int64
	ExpertID     int64
	ExpertUserID int64
	ResourceType string // "request" or "incident"
	ResourceID   int64
	Purpose      Purpose
	Note         string
	State        State
	InvitedBy    int64
	Reply        string
	Opinion      string
	CreatedAt    time.Time
	AnsweredAt   *time.Time
	ConcludedAt  *time.Time
	UpdatedAt    time.Time
	Version      int
}
