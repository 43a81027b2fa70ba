package mediation

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tiaojie/tiaojie/domain"
)

// Outcome is what a mediation came to.
type Outcome string

const (
	OutcomeNone     Outcome = ""         // still under way
	OutcomeAgreed   Outcome = "agreed"   // 调解成功
	OutcomeFailed   Outcome = "failed"   // 调解不成
	OutcomeReferred Outcome = "referred" // 转诉讼
)

// JudicialResult is the court's answer to a request for judicial
// confirmation (司法确认) of an agreement.
type JudicialResult string

const (
	JudicialNotRequested JudicialResult = ""
	JudicialPending      JudicialResult = "pending"
	JudicialConfirmed    JudicialResult = "confirmed"
	JudicialRefused      JudicialResult = "refused"
)

// Session is one sitting of a mediation, in a room or by video.
type Session struct {
	HeldAt    time.Time
	Place     string // a room at the station, or empty for video
	RoomID    string // the video room, if held remotely
	Attendees []string
	Summary   string
}

// Agreement is what the parties agreed to.
type Agreement struct {
	Terms                string
	AmountFen            int64 // money in fen (分), never floats
	JudicialConfirmation JudicialResult
}

// Record is the lead's account of a mediation: its sessions, outcome, risk
// assessment and agreement. It is reviewed twice before the case may close.
type Record struct {
	ID        int64
	CaseID    int64
	AuthorID  int64
	Sessions  []Session
	Outcome   Outcome
	RiskScore int // 0–100; 80 and above raises a warning
	RiskNotes string
	Agreement *Agreement
	Review    ReviewStage
	Comments  []ReviewComment
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReviewComment is what a reviewer wrote when approving or returning a record.
type ReviewComment struct {
	ReviewerID int64
	Stage      ReviewStage
	Approved   bool
	Text       string
	At         time.Time
}

// Limits on what a record may hold.
const (
	MaxSessions      = 50
	MaxSummaryRunes  = 5000
	MaxTermsRunes    = 5000
	MaxNotesRunes    = 2000
	MaxAttendees     = 30
	MaxAmountFen     = 100_000_000_000 // ten hundred-million yuan: beyond it is a typo
	RiskWarningScore = 80
)

// Validate checks a record before it is saved or submitted.
func (r *Record) Validate() error {
	var p domain.Problems
	if len(r.Sessions) > MaxSessions {
		p.Add("sessions", domain.FieldOutOfRange, "too many sessions")
	}
	for i, s := range r.Sessions {
		field := "sessions[" + strconv.Itoa(i) + "]"
		if s.HeldAt.IsZero() {
			p.Add(field+".held_at", domain.FieldRequired, "is required")
		}
		if s.Place == "" && s.RoomID == "" {
			p.Add(field+".place", domain.FieldRequired, "a place or a video room is required")
		}
		if utf8.RuneCountInString(s.Summary) > MaxSummaryRunes {
			p.Add(field+".summary", domain.FieldTooLong, "is too long")
		}
		if len(s.Attendees) > MaxAttendees {
			p.Add(field+".attendees", domain.FieldOutOfRange, "too many attendees")
		}
	}
	if r.RiskScore < 0 || r.RiskScore > 100 {
		p.Add("risk_score", domain.FieldOutOfRange, "must be between 0 and 100")
	}
	if utf8.RuneCountInString(r.RiskNotes) > MaxNotesRunes {
		p.Add("risk_notes", domain.FieldTooLong, "is too long")
	}
	switch r.Outcome {
	case OutcomeNone, OutcomeFailed, OutcomeReferred:
		if r.Agreement != nil {
			p.Add("agreement", domain.FieldNotAllowed, "only an agreed outcome has an agreement")
		}
	case OutcomeAgreed:
		if r.Agreement == nil || r.Agreement.Terms == "" {
			p.Add("agreement.terms", domain.FieldRequired, "an agreement needs its terms")
		} else {
			if utf8.RuneCountInString(r.Agreement.Terms) > MaxTermsRunes {
				p.Add("agreement.terms", domain.FieldTooLong, "is too long")
			}
			if r.Agreement.AmountFen < 0 || r.Agreement.AmountFen > MaxAmountFen {
				p.Add("agreement.amount_fen", domain.FieldOutOfRange, "must be between 0 and 1e11 fen")
			}
			switch r.Agreement.JudicialConfirmation {
			case JudicialNotRequested, JudicialPending, JudicialConfirmed, JudicialRefused:
			default:
				p.Add("agreement.judicial_confirmation", domain.FieldUnsupported, "unknown value")
			}
		}
	default:
		p.Add("outcome", domain.FieldUnsupported, "must be agreed, failed or referred")
	}
	return p.Err()
}

// Submittable reports whether the record is complete enough to go to review.
func (r *Record) Submittable() error {
	if len(r.Sessions) == 0 || r.Outcome == OutcomeNone {
		return domain.Errorf(domain.KindFailedPrecondition, "record.incomplete",
			"A record needs at least one session and an outcome before review.")
	}
	return r.Validate()
}
