package workorder

import (
	"strconv"
	"strings"
)

// UnitStream and PersonStream are the names of the queues (Redis Streams,
// without the deployment's key prefix) orders are published on.
func UnitStream(unitID int64) string     { return "wo:unit:" + strconv.FormatInt(unitID, 10) }
func PersonStream(personID int64) string { return "wo:person:" + strconv.FormatInt(personID, 10) }

// ParseStream is the inverse: ("unit", 12) for "wo:unit:12".
func ParseStream(name string) (kind string, id int64, ok bool) {
	rest, found := strings.CutPrefix(name, "wo:")
	if !found {
		return "", 0, false
	}
	kind, num, found := strings.Cut(rest, ":")
	if !found || (kind != "unit" && kind != "person") {
		return "", 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	if err != nil || id <= 0 {
		return "", 0, false
	}
	return kind, id, true
}

// Message is what the outbox carries to a stream: an order to deliver, or
// a notice (an SLA warning, an escalation) to show once.
type Message struct {
	Stream  string `json:"-"`    // where it goes; not part of the payload
	Type    string `json:"type"` // "order" or "notice"
	OrderID int64  `json:"order_id"`
	Kind    string `json:"kind,omitempty"`   // the order's kind
	Notice  string `json:"notice,omitempty"` // sla_warning, escalated
	Text    string `json:"text,omitempty"`
}

// App kinds: the staff apps, each reading the streams as one consumer group.
const (
	AppPolice    = "police"
	AppDetention = "detention"
	AppLawyer    = "lawyer"
	AppManager   = "manager"
	AppPartner   = "partner"
)

// AppFor is the staff app a role uses.
func AppFor(roles []string) string {
	for _, r := range roles {
		switch r {
		case "police":
			return AppPolice
		case "detention_staff":
			return AppDetention
		case "lawyer", "mediator":
			return AppLawyer
		case "supervisor", "admin":
			return AppManager
		case "partner":
			return AppPartner
		}
	}
	return ""
}

// audience says which apps see an order of each kind live when it goes to a
// whole unit (an order addressed to a person reaches that person's app).
var audience = map[string][]string{
	KindScreenRequest:  {AppPolice, AppManager},
	KindVisitApproval:  {AppDetention, AppManager},
	KindAttention:      {AppDetention, AppManager},
	KindDetaineeFiling: {AppDetention, AppManager},
	KindJointMediation: {AppPolice, AppLawyer, AppPartner, AppManager},
	KindWarning:        {AppPolice, AppManager},
	KindRecordReview:   {AppPolice, AppManager},
	// The court's staff take an agreement to confirm.
	KindJudicialConfirmation: {AppPartner, AppManager},
	KindIncidentAssist:       {AppLawyer, AppManager},
	KindRectification:        {AppPolice, AppManager},
	KindExpertInvitation:     {AppLawyer, AppPartner, AppManager},
	KindHomeStation:          {AppPolice, AppManager},
}

// ForApp reports whether app should be shown a unit order of kind.
func ForApp(kind, app string) bool {
	apps, ok := audience[kind]
	if !ok {
		return true
	}
	for _, a := range apps {
		if a == app {
			return true
		}
	}
	return false
}
