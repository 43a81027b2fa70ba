package detention

import (
	"context"
	"time"
)

// RiskLabel is a detainee's risk label (人员画像): 正常, 关注, 危险.
type RiskLabel string

const (
	RiskBlue   RiskLabel = "blue"   // 正常
	RiskYellow RiskLabel = "yellow" // 关注
	RiskRed    RiskLabel = "red"    // 危险
)

// Status is where a detainee is.
type Status string

const (
	Detained    Status = "detained"
	Released    Status = "released"
	Transferred Status = "transferred"
)

// Detainee is one person held at a detention centre.
type Detainee struct {
	ID                int64
	CentreID          int64 // the detention centre (an organisation)
	HomeStationID     int64 // the police station of their home, which does the follow-up
	Name              string
	IDNumberMasked    string // 身份证号, shown masked (110***********1234); the full number is never stored
	IDNumberHash      string // HMAC of the full number, to find a returning person
	CaseCause         string // 案由
	Punishment        string // e.g. 行政拘留十日
	PunishmentFrom    time.Time
	PunishmentTo      time.Time
	HealthNotes       string
	DisputeBackground string
	PriorRecords      string
	Status            Status
	Label             RiskLabel
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int

	// DisputeResolved is set when the dispute behind the detention was
	// settled (a joint mediation agreed); an open dispute is a risk factor.
	DisputeResolved bool
	// Score is the risk score the label was last computed from.
	Score int
	// LabelOverridden says staff set the label by hand (LabelReason says
	// why); a re-evaluation keeps it unless it finds a higher risk.
	LabelOverridden bool
	LabelReason     string
	CreatedBy       int64
	// LeftAt, LeaveReason and Destination are set by a release or transfer.
	LeftAt      *time.Time
	LeaveReason string
	Destination string // where a transferred detainee went
}

// DetaineeStore keeps detainees; methods join the transaction ctx carries.
// Other parts of the package (visits) need only these reads; intake and
// profiles use the wider ProfileStore (detainee_ports.go).
type DetaineeStore interface {
	Detainee(ctx context.Context, id int64) (*Detainee, error)
	// IsFamily reports whether the user is registered as family of the
	// detainee (the people who may book visits and file on their behalf).
	IsFamily(ctx context.Context, detaineeID, userID int64) (bool, error)
}
