package warning

import (
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Status is where a warning stands.
type Status string

const (
	StatusOpen         Status = "open"
	StatusAcknowledged Status = "acknowledged"
	StatusHandled      Status = "handled"
	StatusClosed       Status = "closed"
)

// Outcome is how a warning was dealt with.
type Outcome string

const (
	OutcomeResolved      Outcome = "resolved"       // 化解
	OutcomeHazardRemoved Outcome = "hazard_removed" // 消除隐患
	OutcomeFalseAlarm    Outcome = "false_alarm"    // 误报
)

// Warning is a rule that fired for a subject, with the events that made it.
type Warning struct {
	ID        int64
	RuleID    int64
	RuleKind  Kind
	RuleName  string
	Subject   string
	Severity  Severity
	StationID int64
	EventIDs  []int64
	Count     int
	Status    Status
	Outcome   Outcome
	Notes     string
	DedupeKey string
	Version   int
	RaisedAt  time.Time
	UpdatedAt time.Time
}

// Handling actions.
const (
	ActionAcknowledge = "acknowledge"
	ActionHandle      = "handle"
	ActionClose       = "close"
)

// Next moves a warning through open → acknowledged → handled → closed;
// handling needs an outcome.
func (w *Warning) Next(action string, outcome Outcome, notes string) error {
	illegal := domain.Errorf(domain.KindFailedPrecondition, "warning.illegal_transition", "A warning that is %s cannot be %sd.", w.Status, action)
	switch action {
	case ActionAcknowledge:
		if w.Status != StatusOpen {
			return illegal
		}
		w.Status = StatusAcknowledged
	case ActionHandle:
		if w.Status != StatusOpen && w.Status != StatusAcknowledged {
			return illegal
		}
		switch outcome {
		case OutcomeResolved, OutcomeHazardRemoved, OutcomeFalseAlarm:
		default:
			return domain.Invalid(domain.FieldError{Field: "outcome", Code: domain.FieldUnsupported, Message: "must be resolved, hazard_removed or false_alarm"})
		}
		w.Status, w.Outcome = StatusHandled, outcome
	case ActionClose:
		if w.Status != StatusHandled {
			return illegal
		}
		w.Status = StatusClosed
	default:
		return domain.Invalid(domain.FieldError{Field: "action", Code: domain.FieldUnsupported, Message: "must be acknowledge, handle or close"})
	}
	if notes != "" {
		w.Notes = notes
	}
	return nil
}
