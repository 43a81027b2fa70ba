package casereview

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// Review is a supervisor's pick of a concluded case as an example.
type Review struct {
	ID             int64
	RequestID      int64
	StationID      int64 // the case's station
	DistrictID     int64 // the unit above it: whose library shows the review
	Category       string
	Comment        string
	ReviewerID     int64
	CreatedAt      time.Time
	WithdrawnBy    int64
	WithdrawnAt    *time.Time
	WithdrawReason string
}

// Session is one mediation session of a case as the library shows it.
type Session struct {
	HeldAt  time.Time
	Summary string
}

// Case is what the library shows of a reviewed case. Texts are masked:
// no phone or ID number, the parties' names cut to a surname and 某; who
// the parties are, their contacts and the place are left out.
type Case struct {
	RequestID      int64
	StationID      int64
	Kind           string
	Category       string
	Classification string
	Outcome        string
	FiledAt        time.Time
	ClosedAt       *time.Time
	Description    string
	Sessions       []Session
	AgreementTerms string
	AmountFen      int64
}

// Facts is a case as the mediation area holds it, with the names to mask.
type Facts struct {
	Case
	Concluded bool     // mediation ended (agreed, failed or referred)
	Names     []string // the filer's, the parties' and the sessions' attendees'
}

// Entry is one review with its masked case.
type Entry struct {
	Review
	Case Case
}

// Cases reads cases from the mediation area.
type Cases interface {
	// CaseFacts is a case with its record, not found when none.
	CaseFacts(ctx context.Context, requestID int64) (*Facts, error)
	// IsCategory reports whether code is a configured dispute category.
	IsCategory(ctx context.Context, code string) (bool, error)
}

// Units places stations in districts and actors in stations.
type Units interface {
	StationScope(ctx context.Context, a domain.Actor) (stations []int64, all bool, err error)
	ParentUnit(ctx context.Context, stationID int64) (int64, error)
}

// Store keeps reviews.
type Store interface {
	// CreateReview inserts a review; a second standing review of the same
	// case is a conflict.
	CreateReview(ctx context.Context, r *Review) error
	Review(ctx context.Context, id int64) (*Review, error)
	// ActiveReviewOf is the standing review of a case, or nil.
	ActiveReviewOf(ctx context.Context, requestID int64) (*Review, error)
	Withdraw(ctx context.Context, id, by int64, reason string, at time.Time) error
	// Library pages the standing reviews of the districts (nil: every
	// district), of one category when given, newest first.
	Library(ctx context.Context, districts []int64, category string, before int64, limit int) ([]Review, error)
	// Categories counts the standing reviews of the districts by category.
	Categories(ctx context.Context, districts []int64) (map[string]int, error)
}

// Service runs case review.
type Service struct {
	Store Store
	Cases Cases
	Units Units
	Tx    domain.TxRunner
	Audit domain.Auditor
	Clock domain.Clock
}
