package incident

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// State is where an incident stands.
type State string

const (
	Open      State = "open"      // the officer recorded it
	Assisting State = "assisting" // a legal worker has been brought in
	Resolved  State = "resolved"  // settled on the spot (当场化解)
	Referred  State = "referred"  // turned into a mediation case
	Closed    State = "closed"    // ended otherwise (e.g. the parties were told how to sue, 引导依法维权)
)

// Action is what is done to an incident.
type Action string

const (
	ActBringIn   Action = "bring_in"  // bring a legal worker in
	ActAssist    Action = "assist"    // a worker records their part
	ActCalculate Action = "calculate" // attach a compensation calculation
	ActResolve   Action = "resolve"
	ActRefer     Action = "refer"
	ActClose     Action = "close"
)

// Actions lists every action, for the table test.
var Actions = []Action{ActBringIn, ActAssist, ActCalculate, ActResolve, ActRefer, ActClose}

// States lists every state, for the table test.
var States = []State{Open, Assisting, Resolved, Referred, Closed}

// Next is the state machine: while the incident is open or being assisted
// anything may happen to it; a worker can only record their part once they
// are in; the three endings are final.
func Next(from State, a Action) (State, error) {
	live := from == Open || from == Assisting
	switch {
	case live && a == ActBringIn:
		return Assisting, nil
	case from == Assisting && a == ActAssist:
		return Assisting, nil
	case live && a == ActCalculate:
		return from, nil
	case live && a == ActResolve:
		return Resolved, nil
	case live && a == ActRefer:
		return Referred, nil
	case live && a == ActClose:
		return Closed, nil
	}
	return from, domain.Errorf(domain.KindFailedPrecondition, "incident.illegal_transition", "An incident that is %s cannot take the action %s.", from, a)
}

// CaseType is the nature of the matter behind the call.
type CaseType string

const (
	CaseCivil          CaseType = "civil"           // 民事纠纷
	CasePublicSecurity CaseType = "public_security" // 治安案件
	CaseMinorCriminal  CaseType = "minor_criminal"  // 轻微刑事案件 (its civil part)
)

// Incident is one dispute call a station handled.
type Incident struct {
	ID         int64
	StationID  int64
	OfficerID  int64 // who recorded it
	CallNo     string
	CaseType   CaseType
	Summary    string
	Place      string
	OccurredAt time.Time
	State      State
	Outcome    string // how it ended
	RequestID  int64  // the mediation case it became (Referred)
	Workers    []Worker
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int
}

// WorkerRole is what kind of legal worker is brought in.
type WorkerRole string

const (
	JusticeOfficer     WorkerRole = "justice_officer"      // 司法所干警 (a mediator account of a justice office)
	LegalServiceWorker WorkerRole = "legal_service_worker" // 基层法律服务工作者 / 律师 (a lawyer account)
)

// Worker is a legal worker brought into an incident and their part.
type Worker struct {
	UserID     int64
	OrgID      int64
	Name       string
	Role       WorkerRole
	InvitedBy  int64
	InvitedAt  time.Time
	Opinion    string // their part: the facts as they judge them, the nature, the advice (协助判断案情、准确定性)
	AssistedAt *time.Time
}

// Involved reports whether user is one of the incident's workers.
func (in *Incident) Involved(user int64) bool {
	for _, w := range in.Workers {
		if w.UserID == user {
			return true
		}
	}
	return false
}
