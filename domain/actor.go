package domain

import (
	"context"
	"time"
)

// Actor is who is doing something, as far as the rules of every area need to
// know: the user, their roles and organisation, and where the request came
// from (for the audit log). The HTTP door builds it from the verified token.
type Actor struct {
	UserID    int64
	Roles     []string
	OrgID     int64 // 0 for citizens
	IP        string
	RequestID string
}

// Has reports whether the actor holds any of roles.
func (a Actor) Has(roles ...string) bool {
	for _, have := range a.Roles {
		for _, want := range roles {
			if have == want {
				return true
			}
		}
	}
	return false
}

// PrimaryRole is the first role, for timelines and audit lines.
func (a Actor) PrimaryRole() string {
	if len(a.Roles) == 0 {
		return ""
	}
	return a.Roles[0]
}

// System is the actor of things the server does by itself (routing, timers).
var System = Actor{Roles: []string{"system"}}

// AuditEntry is one line of the append-only audit log: who did what to which
// resource, when, from where. Reads of personal data are audited too.
type AuditEntry struct {
	At           time.Time
	ActorID      int64
	ActorRole    string
	Action       string // e.g. request.file, request.read, record.approve
	ResourceType string
	ResourceID   int64
	Detail       string // short, never personal data
	IP           string
	RequestID    string
}

// Auditor writes audit entries; called inside the transaction of the change.
type Auditor interface {
	Audit(ctx context.Context, entries ...AuditEntry) error
}

// AuditOf fills an entry's who and where from an actor.
func AuditOf(a Actor, at time.Time, action, resourceType string, resourceID int64, detail string) AuditEntry {
	return AuditEntry{At: at, ActorID: a.UserID, ActorRole: a.PrimaryRole(), Action: action, ResourceType: resourceType,
		ResourceID: resourceID, Detail: detail, IP: a.IP, RequestID: a.RequestID}
}

// Clock tells the time; tests inject a fixed one.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now implements Clock.
func (f ClockFunc) Now() time.Time { return f() }
