package mediation

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Channel is how the return visit (回访) reached the citizen.
type Channel string

const (
	ChannelPhone Channel = "phone" // 电话回访
	ChannelVisit Channel = "visit" // 上门回访
)

// ReturnVisit is the citizen's satisfaction as a staff member heard it at
// the return visit. It is kept apart from the in-app Rating: the
// programmes count what citizens say to a caller separately from the stars
// they give themselves, and many never open the app again.
type ReturnVisit struct {
	Stars   int
	Comment string
	Channel Channel
	ByID    int64 // the staff member who called or visited
	At      time.Time
}

// Answer is what a caller notes of the citizen's satisfaction.
type Answer struct {
	Stars   int
	Comment string
	Channel Channel
}

func (ans *Answer) validate() error {
	ans.Comment = strings.TrimSpace(ans.Comment)
	var p domain.Problems
	if ans.Stars < 1 || ans.Stars > 5 {
		p.Add("satisfaction.stars", domain.FieldOutOfRange, "must be 1 to 5")
	}
	if utf8.RuneCountInString(ans.Comment) > 500 {
		p.Add("satisfaction.comment", domain.FieldTooLong, "is too long")
	}
	switch ans.Channel {
	case ChannelPhone, ChannelVisit:
	case "":
		p.Add("satisfaction.channel", domain.FieldRequired, "is required")
	default:
		p.Add("satisfaction.channel", domain.FieldUnsupported, "must be phone or visit")
	}
	return p.Err()
}

// TransitionAnswered is Transition with the satisfaction heard at the return
// visit: only a follow_up carries one (nil records none — the citizen may
// decline to answer), and it is written with the transition, by whoever
// made it.
func (s *Service) TransitionAnswered(ctx context.Context, a domain.Actor, id int64, action Action, note string, ans *Answer) (*Request, error) {
	note, err := handAction(action, note)
	if err != nil {
		return nil, err
	}
	if ans == nil {
		return s.transition(ctx, a, id, action, note, nil)
	}
	if action != ActionFollowUp {
		return nil, domain.Invalid(domain.FieldError{Field: "satisfaction", Code: domain.FieldUnsupported,
			Message: "is recorded only with the follow_up action"})
	}
	if err := ans.validate(); err != nil {
		return nil, err
	}
	return s.transition(ctx, a, id, action, note, func(r *Request, c *changes) {
		r.ReturnVisit = &ReturnVisit{Stars: ans.Stars, Comment: ans.Comment, Channel: ans.Channel, ByID: a.UserID, At: c.now}
		c.note("return_visit_answered", string(ans.Channel)+" "+strconv.Itoa(ans.Stars))
	})
}
