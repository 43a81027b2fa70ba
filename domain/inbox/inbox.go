// Package inbox is the citizen's notification inbox (站内消息): short
// notices about their cases — assigned, agreed, closed, a video session
// scheduled — written by the areas whose events cause them and read in the
// apps.
//
// A notice is written in the transaction of the change it reports, so it
// exists exactly when the change does, and once per dedupe key, so a retried
// change tells nobody twice. An outside channel (mini-program subscription
// messages) is fed from the same transaction through the optional Pusher.
package inbox

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Notification is one message in a user's inbox.
type Notification struct {
	ID, UserID   int64
	Kind         string // case_assigned, case_agreed, case_closed, session_scheduled, request_rejected, …
	Title, Body  string
	ResourceType string // what the message is about ("request"), for the app to link to
	ResourceID   int64
	// Link is a path in the citizen app to open with one tap (the video room
	// of a scheduled session: /h5/room/<room>); empty when there is none.
	Link      string
	DedupeKey string // a second notice with the same key adds nothing; empty means no dedupe
	CreatedAt time.Time
	ReadAt    *time.Time
}

// Store keeps notifications.
type Store interface {
	// Add stores n and sets its ID; a DedupeKey already stored adds nothing
	// and answers created=false.
	Add(ctx context.Context, n *Notification) (created bool, err error)
	// List pages a user's notifications newest first: IDs below beforeID (0
	// for the newest), at most limit of them.
	List(ctx context.Context, userID int64, unreadOnly bool, beforeID int64, limit int) ([]Notification, error)
	// MarkRead marks the user's own unread notifications among ids (all of
	// them when ids is empty) read at at, and says how many it marked.
	// Anyone else's IDs are left alone.
	MarkRead(ctx context.Context, userID int64, ids []int64, at time.Time) (int, error)
	// Unread counts a user's unread notifications.
	Unread(ctx context.Context, userID int64) (int, error)
}

// Pusher hands a new notification to an outside channel (for example a
// mini-program subscription message). It is called in the transaction of
// the notice and must only enqueue — an outbox row — never send.
type Pusher interface {
	Push(ctx context.Context, n Notification) error
}

// Limits of a notification and of the reads.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
	MaxMarkIDs      = 500 // IDs in one mark-read call

	MaxTitleRunes = 200  // title VARCHAR(200)
	MaxBodyRunes  = 1000 // body VARCHAR(1000)
	maxKeyRunes   = 200  // dedupe_key VARCHAR(200)
	maxCodeRunes  = 32   // kind, resource_type VARCHAR(32)
	maxLinkRunes  = 200  // link VARCHAR(200)
)

// Service holds the rules of the inbox.
type Service struct {
	Store Store
	Push  Pusher // may be nil: no outside channel
	Clock domain.Clock
}

// Send puts n in its user's inbox, once per dedupe key, and hands it to the
// outside channel when it is new. It is meant to run inside the transaction
// of the change n reports (ctx from domain.TxRunner.WithTx). A title or body
// too long for the inbox is shortened rather than refused: the change that
// caused the notice matters more than its wording.
func (s *Service) Send(ctx context.Context, n Notification) error {
	n.Title, n.Body = clip(strings.TrimSpace(n.Title), MaxTitleRunes), clip(strings.TrimSpace(n.Body), MaxBodyRunes)
	var p domain.Problems
	if n.UserID <= 0 {
		p.Add("user_id", domain.FieldRequired, "names the user the notice is for")
	}
	p.Require("title", n.Title)
	for _, f := range []struct {
		name, value string
		limit       int
	}{{"kind", n.Kind, maxCodeRunes}, {"resource_type", n.ResourceType, maxCodeRunes}, {"dedupe_key", n.DedupeKey, maxKeyRunes}} {
		if utf8.RuneCountInString(f.value) > f.limit {
			p.Add(f.name, domain.FieldTooLong, "is too long")
		}
	}
	if n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") || utf8.RuneCountInString(n.Link) > maxLinkRunes) {
		p.Add("link", domain.FieldInvalid, "is a path in the app, at most 200 characters")
	}
	if err := p.Err(); err != nil {
		return err
	}
	n.ID, n.CreatedAt, n.ReadAt = 0, s.Clock.Now(), nil
	created, err := s.Store.Add(ctx, &n)
	if err != nil || !created || s.Push == nil {
		return err
	}
	return s.Push.Push(ctx, n)
}

// Notify sends a notice about a mediation request (the mediation area's
// Notices port), so that *Service can be wired there as it is.
func (s *Service) Notify(ctx context.Context, userID int64, kind, title, body string, requestID int64, dedupeKey string) error {
	return s.Send(ctx, Notification{UserID: userID, Kind: kind, Title: title, Body: body, ResourceType: "request",
		ResourceID: requestID, DedupeKey: dedupeKey})
}

// NotifyLink is Notify with a link into the app (the mediation area's
// LinkNotices port): the notice of a scheduled video session opens its room.
func (s *Service) NotifyLink(ctx context.Context, userID int64, kind, title, body string, requestID int64, dedupeKey, link string) error {
	return s.Send(ctx, Notification{UserID: userID, Kind: kind, Title: title, Body: body, ResourceType: "request",
		ResourceID: requestID, DedupeKey: dedupeKey, Link: link})
}

// List pages the actor's own notifications, newest first, with the number
// still unread. limit is 1 to MaxPageSize, 0 meaning DefaultPageSize.
func (s *Service) List(ctx context.Context, a domain.Actor, unreadOnly bool, beforeID int64, limit int) ([]Notification, int, error) {
	if err := signedIn(a); err != nil {
		return nil, 0, err
	}
	var p domain.Problems
	if limit == 0 {
		limit = DefaultPageSize
	} else if limit < 1 || limit > MaxPageSize {
		p.Add("limit", domain.FieldOutOfRange, "must be 1 to 100")
	}
	if beforeID < 0 {
		p.Add("before", domain.FieldOutOfRange, "must be a notification ID")
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	items, err := s.Store.List(ctx, a.UserID, unreadOnly, beforeID, limit)
	if err != nil {
		return nil, 0, err
	}
	unread, err := s.Store.Unread(ctx, a.UserID)
	if err != nil {
		return nil, 0, err
	}
	return items, unread, nil
}

// MarkRead marks the actor's notifications among ids read (every unread one
// when ids is empty) and says how many were marked. IDs that are not the
// actor's, or already read, are passed over without comment, so that they
// reveal nothing.
func (s *Service) MarkRead(ctx context.Context, a domain.Actor, ids []int64) (int, error) {
	if err := signedIn(a); err != nil {
		return 0, err
	}
	if len(ids) > MaxMarkIDs {
		return 0, domain.Invalid(domain.FieldError{Field: "ids", Code: domain.FieldTooLong, Message: "at most 500 IDs at a time"})
	}
	for _, id := range ids {
		if id <= 0 {
			return 0, domain.Invalid(domain.FieldError{Field: "ids", Code: domain.FieldInvalid, Message: "holds notification IDs"})
		}
	}
	return s.Store.MarkRead(ctx, a.UserID, ids, s.Clock.Now())
}

// signedIn refuses the system actor: an inbox belongs to a user.
func signedIn(a domain.Actor) error {
	if a.UserID <= 0 {
		return domain.Errorf(domain.KindForbidden, "inbox.no_user", "Only a signed-in user has an inbox.")
	}
	return nil
}

// clip fits s into n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
