package mediation

import "github.com/tiaojie/tiaojie/domain"

// Status is where a request (and the case it becomes) stands.
type Status string

const (
	StatusFiled                Status = "filed"
	StatusScreened             Status = "screened"
	StatusAssigned             Status = "assigned"
	StatusInMediation          Status = "in_mediation"
	StatusAgreed               Status = "agreed"
	StatusFailed               Status = "failed"
	StatusReferredToLitigation Status = "referred_to_litigation"
	StatusClosed               Status = "closed"
	StatusFollowedUp           Status = "followed_up"
	StatusRejected             Status = "rejected"
	StatusWithdrawn            Status = "withdrawn"
)

// Statuses lists every status, in the order of the happy path.
var Statuses = []Status{
	StatusFiled, StatusScreened, StatusAssigned, StatusInMediation, StatusAgreed, StatusFailed,
	StatusReferredToLitigation, StatusClosed, StatusFollowedUp, StatusRejected, StatusWithdrawn,
}

// Action is something done to a case that may move it.
type Action string

const (
	ActionScreen   Action = "screen"    // staff classify the request (筛选)
	ActionReject   Action = "reject"    // staff turn it away, with a reason
	ActionAssign   Action = "assign"    // routing names a lead and an assistant
	ActionReassign Action = "reassign"  // a new lead or assistant, same stage
	ActionStart    Action = "start"     // the lead opens mediation
	ActionAgree    Action = "agree"     // the parties reached an agreement
	ActionFail     Action = "fail"      // mediation failed
	ActionRefer    Action = "refer"     // sent to litigation
	ActionClose    Action = "close"     // the record is approved twice: the matter is closed
	ActionFollowUp Action = "follow_up" // a return visit was made
	ActionWithdraw Action = "withdraw"  // the citizen withdraws
)

// Actions lists every action.
var Actions = []Action{
	ActionScreen, ActionReject, ActionAssign, ActionReassign, ActionStart, ActionAgree, ActionFail,
	ActionRefer, ActionClose, ActionFollowUp, ActionWithdraw,
}

// transitions is the whole state machine: from → action → to. Anything not
// listed is illegal.
var transitions = map[Status]map[Action]Status{
	StatusFiled: {
		ActionScreen: StatusScreened, ActionReject: StatusRejected, ActionWithdraw: StatusWithdrawn,
	},
	StatusScreened: {
		ActionAssign: StatusAssigned, ActionReject: StatusRejected, ActionWithdraw: StatusWithdrawn,
	},
	StatusAssigned: {
		ActionReassign: StatusAssigned, ActionStart: StatusInMediation, ActionWithdraw: StatusWithdrawn,
	},
	StatusInMediation: {
		ActionReassign: StatusInMediation, ActionAgree: StatusAgreed, ActionFail: StatusFailed,
		ActionRefer: StatusReferredToLitigation, ActionWithdraw: StatusWithdrawn,
	},
	StatusAgreed:               {ActionClose: StatusClosed},
	StatusFailed:               {ActionClose: StatusClosed, ActionRefer: StatusReferredToLitigation},
	StatusReferredToLitigation: {ActionClose: StatusClosed},
	StatusClosed:               {ActionFollowUp: StatusFollowedUp},
}

// Next returns the status an action leads to, or a failed-precondition error
// (answered 409) when the action is not allowed from this status.
func Next(from Status, a Action) (Status, error) {
	if to, ok := transitions[from][a]; ok {
		return to, nil
	}
	return "", domain.Errorf(domain.KindFailedPrecondition, "case.illegal_transition",
		"A case that is %s cannot be %s.", from, pastTense(a))
}

// Terminal reports whether no action leads anywhere from s.
func (s Status) Terminal() bool { return len(transitions[s]) == 0 }

// Open reports whether the case still needs work from its lead (it counts
// towards the lead's load).
func (s Status) Open() bool {
	switch s {
	case StatusAssigned, StatusInMediation, StatusAgreed, StatusFailed, StatusReferredToLitigation:
		return true
	}
	return false
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return statusSet[s] }

var statusSet = func() map[Status]bool {
	m := map[Status]bool{}
	for _, s := range Statuses {
		m[s] = true
	}
	return m
}()

// ParseAction reads an action name from outside input.
func ParseAction(s string) (Action, bool) {
	for _, a := range Actions {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

func pastTense(a Action) string {
	switch a {
	case ActionScreen:
		return "screened"
	case ActionReject:
		return "rejected"
	case ActionAssign:
		return "assigned"
	case ActionReassign:
		return "reassigned"
	case ActionStart:
		return "started"
	case ActionAgree:
		return "marked agreed"
	case ActionFail:
		return "marked failed"
	case ActionRefer:
		return "referred to litigation"
	case ActionClose:
		return "closed"
	case ActionFollowUp:
		return "followed up"
	case ActionWithdraw:
		return "withdrawn"
	}
	return string(a)
}
