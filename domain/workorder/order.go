package workorder

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// State is where an order is in its life.
type State string

const (
	Queued    State = "queued"    // in the unit's (or person's) queue, not yet seen by any app
	Delivered State = "delivered" // a staff app acknowledged it
	Claimed   State = "claimed"   // a staff member took it
	Completed State = "completed" // done, with an outcome
	Escalated State = "escalated" // its deadline passed; the parent unit has a new order for it
	Cancelled State = "cancelled" // no longer needed
)

// Open reports whether the order still waits for someone.
func (s State) Open() bool { return s == Queued || s == Delivered || s == Claimed }

// Action is what happens to an order; the transition table below says from
// which states each is allowed.
type Action string

const (
	ActAcknowledge Action = "acknowledge"
	ActClaim       Action = "claim"
	ActComplete    Action = "complete"
	ActReassign    Action = "reassign"
	ActCancel      Action = "cancel"
	ActEscalate    Action = "escalate"
	ActWait        Action = "wait"   // waiting on the citizen: the SLA clock pauses
	ActResume      Action = "resume" // the citizen answered: the clock runs again
	// ActFinish is completion by the domain action that did the order's
	// work (screening, starting the case, approving…), in that action's
	// transaction: nobody has to claim an order whose work is already done.
	ActFinish Action = "finish"
)

var transitions = map[Action]struct {
	from []State
	to   State // "" keeps the state
}{
	ActAcknowledge: {[]State{Queued}, Delivered},
	ActClaim:       {[]State{Queued, Delivered}, Claimed},
	ActComplete:    {[]State{Claimed}, Completed},
	ActReassign:    {[]State{Queued, Delivered, Claimed}, Queued},
	ActCancel:      {[]State{Queued, Delivered, Claimed}, Cancelled},
	ActEscalate:    {[]State{Queued, Delivered, Claimed}, Escalated},
	ActWait:        {[]State{Claimed}, ""},
	ActResume:      {[]State{Claimed}, ""},
	ActFinish:      {[]State{Queued, Delivered, Claimed}, Completed},
}

// Next is the state an action leads to from s, or a failed-precondition
// error naming the state when the action is not allowed there.
func Next(s State, a Action) (State, error) {
	t, ok := transitions[a]
	if !ok {
		return s, domain.Errorf(domain.KindInvalid, "work_order.unknown_action", "Unknown action %q.", a)
	}
	for _, f := range t.from {
		if f == s {
			if t.to == "" {
				return s, nil
			}
			return t.to, nil
		}
	}
	return s, domain.Errorf(domain.KindFailedPrecondition, "work_order.state", "A work order that is %s cannot be %s.", s, pastTense(a))
}

func pastTense(a Action) string {
	switch a {
	case ActAcknowledge:
		return "acknowledged"
	case ActClaim:
		return "claimed"
	case ActComplete:
		return "completed"
	case ActReassign:
		return "reassigned"
	case ActCancel:
		return "cancelled"
	case ActEscalate:
		return "escalated"
	case ActWait:
		return "paused"
	case ActFinish:
		return "finished"
	}
	return "resumed"
}

// Kinds of orders. The SLA policy and who may take each come from the kind.
const (
	KindScreenRequest  = "screen_request"      // a new request for the station to screen
	KindAssignment     = "assignment"          // a case assigned to a person
	KindVisitApproval  = "visit_approval"      // a family visit booking to approve
	KindJointMediation = "joint_mediation"     // a request for a partner unit to join
	KindWarning        = "warning_instruction" // an early-warning instruction sheet (预警指令单)
	KindFollowUp       = "follow_up"           // a return visit after a case closed
	KindRecordReview   = "record_review"       // a mediation record to approve
	KindRecordReturned = "record_returned"     // a record sent back to its author
	KindAttention      = "detainee_attention"  // a yellow or red detainee needs extra staff attention
	KindDetaineeFiling = "detainee_request"    // a family filed for mediation on a detainee's behalf
	// KindJudicialConfirmation is an approved agreement handed to a court
	// for judicial confirmation (司法确认).
	KindJudicialConfirmation = "judicial_confirmation"
	// Police–justice fusion (警法融合): a missed contact plan of a person on
	// the special population register (补访), a holiday or special-period
	// patrol (节假日重点巡查), and a joint meeting's action item (会商事项).
	KindSpecialContact = "special_contact"
	KindSpecialPatrol  = "special_patrol"
	KindMeetingAction  = "meeting_action"
	// Police–justice fusion (警法融合, issue 19): a legal worker brought
	// into a police incident, a station's rectification of a pairing
	// cadre's finding, an expert invited to a case.
	KindIncidentAssist   = "incident_assist"
	KindRectification    = "rectification"
	KindExpertInvitation = "expert_invitation"
	// KindHomeStation tells a detainee's home station of an approved visit
	// or a joint mediation of its resident (拘调融合: the station's officer
	// calls on the family and may join the session).
	KindHomeStation = "home_station_notice"
)

// Order is one work order.
type Order struct {
	ID            int64
	Kind          string
	UnitID        int64 // the organisation whose queue holds it
	PersonID      int64 // the person it is addressed to, if any (0: the whole unit)
	AssigneeID    int64 // who claimed it
	Priority      int   // 1 urgent … 3 routine
	State         State
	Title         string
	ResourceType  string // request, warning, booking, record
	ResourceID    int64
	DedupeKey     string
	EscalatedFrom int64 // the order whose deadline passed, for an escalation
	Outcome       string
	DueAt         *time.Time // the SLA deadline; nil: none
	WarnAt        *time.Time // when the before-breach notice goes out
	WarnedAt      *time.Time
	PausedAt      *time.Time // waiting on the citizen since
	DeliveredAt   *time.Time
	ClaimedAt     *time.Time
	ClosedAt      *time.Time
	PublishedAt   *time.Time // last put on its stream; the reconciler re-sends unacknowledged ones
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int // optimistic lock: every change bumps it
}

// Event is one line of an order's history.
type Event struct {
	OrderID int64
	At      time.Time
	ActorID int64
	Action  string
	Detail  string
}

// Stream names the queue an order travels on: its person's when it is
// addressed to one, else its unit's.
func (o *Order) Stream() string {
	if o.PersonID != 0 {
		return PersonStream(o.PersonID)
	}
	return UnitStream(o.UnitID)
}

// announcement is the message that puts the order on its stream (again).
func (o *Order) announcement() Message {
	return Message{Stream: o.Stream(), Type: "order", OrderID: o.ID, Kind: o.Kind}
}
