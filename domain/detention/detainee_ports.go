package detention

import (
	"context"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// ProfileStore keeps detainees with everything their profile shows: family
// links, behaviour records and the history of their risk label. Every
// method joins the transaction ctx carries.
type ProfileStore interface {
	DetaineeStore
	// CreateDetainee sets d.ID.
	CreateDetainee(ctx context.Context, d *Detainee) error
	// UpdateDetainee writes d if the stored version is still d.Version,
	// bumping both; false means someone changed it first.
	UpdateDetainee(ctx context.Context, d *Detainee) (bool, error)
	// DetainedByIDHash finds a person still detained at the centre by the
	// hash of their ID number.
	DetainedByIDHash(ctx context.Context, centreID int64, hash string) (*Detainee, bool, error)
	// Detainees lists newest first; see DetaineeFilter.
	Detainees(ctx context.Context, f DetaineeFilter) ([]Detainee, error)
	// AddFamily links a family member; an existing link adds nothing and
	// answers false.
	AddFamily(ctx context.Context, l *FamilyLink) (bool, error)
	Family(ctx context.Context, detaineeID int64) ([]FamilyLink, error)
	// FamilyLinksOf lists the links of one family member (a citizen), oldest first.
	FamilyLinksOf(ctx context.Context, userID int64) ([]FamilyLink, error)
	AddBehaviour(ctx context.Context, b *BehaviourRecord) error
	Behaviours(ctx context.Context, detaineeID int64) ([]BehaviourRecord, error)
	AddLabelChange(ctx context.Context, c *LabelChange) error
	LabelHistory(ctx context.Context, detaineeID int64) ([]LabelChange, error)
}

// DetaineeFilter selects detainees for a staff list: those of Centres (never
// empty when asked), narrowed by label and status, paged by ID.
type DetaineeFilter struct {
	Centres  []int64
	Label    RiskLabel
	Status   Status
	BeforeID int64 // cursor: detainees with a smaller ID (newest first)
	Limit    int
}

// FollowUpStore keeps the follow-ups after release and their visit records.
type FollowUpStore interface {
	// CreateFollowUp sets f.ID; a detainee has at most one follow-up (a
	// second is a conflict).
	CreateFollowUp(ctx context.Context, f *FollowUp) error
	FollowUp(ctx context.Context, id int64) (*FollowUp, error)
	FollowUpOf(ctx context.Context, detaineeID int64) (*FollowUp, bool, error)
	// UpdateFollowUp is a versioned write, like UpdateDetainee.
	UpdateFollowUp(ctx context.Context, f *FollowUp) (bool, error)
	AddFollowUpVisit(ctx context.Context, v *FollowUpVisit) error
	FollowUpVisits(ctx context.Context, followUpID int64) ([]FollowUpVisit, error)
	// FollowUps lists newest first; see FollowUpFilter.
	FollowUps(ctx context.Context, f FollowUpFilter) ([]FollowUp, error)
}

// JointStore keeps joint mediations, their invited units and their
// consultation threads.
type JointStore interface {
	// CreateJoint sets j.ID and stores j.Partners with it.
	CreateJoint(ctx context.Context, j *JointMediation) error
	Joint(ctx context.Context, id int64) (*JointMediation, error)
	// UpdateJoint is a versioned write of the mediation (not its partners).
	UpdateJoint(ctx context.Context, j *JointMediation) (bool, error)
	JointsOf(ctx context.Context, detaineeID int64) ([]JointMediation, error)
	// Joints lists newest first, with their partners; see JointFilter.
	Joints(ctx context.Context, f JointFilter) ([]JointMediation, error)
	AddJointMessage(ctx context.Context, m *JointMessage) error
	// JointMessages pages a thread newest first.
	JointMessages(ctx context.Context, mediationID, beforeID int64, limit int) ([]JointMessage, error)
}

// Org is an organisation as the detention rules see it.
type Org struct {
	ID       int64
	ParentID int64
	Kind     string // "detention_center", "station", "partner", …
	Name     string
	Path     string // IDs from the root, "/1/4/": a subtree is a prefix
}

// Org kinds the rules check.
const (
	OrgKindCentre  = "detention_center"
	OrgKindStation = "station"
)

// Contains reports whether other lies in o's subtree (o included).
func (o Org) Contains(other Org) bool {
	return o.Path != "" && len(other.Path) >= len(o.Path) && other.Path[:len(o.Path)] == o.Path
}

// Orgs answers questions about the organisation tree.
type Orgs interface {
	// Org is one organisation; an unknown ID is not found.
	Org(ctx context.Context, id int64) (Org, error)
	// OrgsOfKind lists every organisation of a kind.
	OrgsOfKind(ctx context.Context, kind string) ([]Org, error)
}

// Orders creates a work order in the transaction ctx carries; a repeated
// dedupe key adds nothing. SettleOrders ends, in the same transaction, the
// subject's open orders that the action named by cause did or made void
// (the lifecycle table of domain/workorder: "visit.decided" completes the
// booking's approval order…).
type Orders interface {
	CreateOrder(ctx context.Context, kind string, unitID, personID int64, priority int, title, resourceType string,
		resourceID int64, dedupeKey string) error
	SettleOrders(ctx context.Context, a domain.Actor, cause string, resourceID int64) error
}

// Bookings is visit booking: a release or transfer cancels the detainee's
// future bookings (and tells the families) in the same transaction.
type Bookings interface {
	CancelFutureFor(ctx context.Context, detaineeID int64, reason string) error
}

// People finds the citizen accounts family members use.
type People interface {
	// CitizenByPhone is the citizen account registered with a mobile
	// number, or found false.
	CitizenByPhone(ctx context.Context, phone string) (userID int64, found bool, err error)
	// IsCitizen reports whether userID is an enabled citizen account.
	IsCitizen(ctx context.Context, userID int64) (bool, error)
}

// FamilyNames names the citizen accounts linked as family, so that the
// profile reads "张三（配偶）" rather than an account number.
type FamilyNames interface {
	CitizenNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Requests tells which detainee a mediation request was filed for (0 when
// none); an unknown request is not found.
type Requests interface {
	DetaineeOfRequest(ctx context.Context, requestID int64) (int64, error)
}

// Attachments tells which request an uploaded attachment belongs to; an
// unknown attachment is not found.
type Attachments interface {
	RequestOfAttachment(ctx context.Context, attachmentID int64) (int64, error)
}

// FamilyLink registers a citizen as family of a detainee: who may book
// visits and file on their behalf.
type FamilyLink struct {
	DetaineeID   int64
	UserID       int64
	Relationship string
	LinkedBy     int64
	CreatedAt    time.Time
	Name         string // the account's name, when FamilyNames is set (not stored)
}
